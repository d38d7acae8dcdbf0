import { linspace } from './binning';
import { HistError, reason } from './errors';
import type { Histogram1D, Histogram2D } from './histogram';
import type { LocalFile } from './localFile';
import { openRootFile } from './root';

// Histograms stored in ROOT files (TH1, TH2 and their profiles' bins), read through jsroot as bins for the engine.

interface AxisObject {
  fNbins: number;
  fXmin: number;
  fXmax: number;
  fXbins: ArrayLike<number>;
  fTitle?: string;
}

interface HistogramObject {
  _typename: string;
  fName: string;
  fTitle: string;
  fXaxis: AxisObject;
  fYaxis: AxisObject;
  fArray: ArrayLike<number>;
  fSumw2?: ArrayLike<number>;
  fEntries: number;
}

/** A TH1 or TH2 stored in the file, as bins; ROOT's cells include under- and overflow on each axis. */
export async function readRootHistogram(file: LocalFile, name: string): Promise<Histogram1D | Histogram2D> {
  const root = await openRootFile(file);
  let object: unknown;
  try {
    object = await root.readObject(name);
  } catch (error) {
    if (error instanceof HistError) throw error;
    throw new HistError('notFound', `${file.path} has no readable object "${name}" (${reason(error)}).`);
  }
  const hist = object as HistogramObject | null;
  if (!hist || !/^TH[12]|^TProfile$/.test(hist._typename) || !hist.fArray) {
    throw new HistError(
      'unsupported',
      `"${name}" in ${file.path} is a ${hist?._typename ?? 'missing object'}, not a TH1 or TH2.`,
    );
  }
  const sumw2 = hist.fSumw2 && hist.fSumw2.length === hist.fArray.length ? Array.from(hist.fSumw2) : undefined;
  const cells = Array.from(hist.fArray);
  const x = axisOf(hist.fXaxis);
  if (hist._typename.startsWith('TH2')) {
    const y = axisOf(hist.fYaxis);
    const nx = x.edges.length - 1;
    const ny = y.edges.length - 1;
    // ROOT stores cell (ix, iy) at ix + (nx + 2) * iy; UHI and our engine want x outermost.
    const flowValues: number[] = [];
    const flowVariances: number[] = [];
    for (let ix = 0; ix < nx + 2; ix++) {
      for (let iy = 0; iy < ny + 2; iy++) {
        flowValues.push(cells[ix + (nx + 2) * iy]);
        if (sumw2) flowVariances.push(sumw2[ix + (nx + 2) * iy]);
      }
    }
    const inner = (flat: number[]) =>
      Array.from({ length: nx }, (_, i) => flat.slice((i + 1) * (ny + 2) + 1, (i + 1) * (ny + 2) + 1 + ny));
    return {
      kind: '2d',
      name: hist.fName,
      title: hist.fTitle,
      xName: hist.fXaxis.fTitle || 'x',
      yName: hist.fYaxis.fTitle || 'y',
      xAxis: x.spec,
      yAxis: y.spec,
      xEdges: x.edges,
      yEdges: y.edges,
      values: inner(flowValues),
      ...(sumw2 ? { variances: inner(flowVariances), flowVariances } : {}),
      flowValues,
      entries: hist.fEntries,
    };
  }
  const n = x.edges.length - 1;
  return {
    kind: '1d',
    name: hist.fName,
    title: hist.fTitle,
    axis: x.spec,
    edges: x.edges,
    values: cells.slice(1, n + 1),
    ...(sumw2 ? { variances: sumw2.slice(1, n + 1), underflowVariance: sumw2[0], overflowVariance: sumw2[n + 1] } : {}),
    underflow: cells[0],
    overflow: cells[n + 1],
    entries: hist.fEntries,
  };
}

function axisOf(axis: AxisObject): { spec: Histogram1D['axis']; edges: number[] } {
  if (axis.fXbins && axis.fXbins.length === axis.fNbins + 1) {
    const edges = Array.from(axis.fXbins);
    return { spec: { type: 'variable', edges }, edges };
  }
  const edges = Array.from(linspace(axis.fXmin, axis.fXmax, axis.fNbins));
  return { spec: { type: 'regular', bins: axis.fNbins, lower: axis.fXmin, upper: axis.fXmax }, edges };
}
