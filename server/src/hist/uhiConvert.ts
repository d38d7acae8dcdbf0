import { SERVER_VERSION } from '../version';
import type { AxisSpec } from './binning';
import { linspace } from './binning';
import { HistError } from './errors';
import type { Histogram, Histogram2D } from './histogram';
import { axisExtent, STORAGE_FIELDS, type UhiAxis, type UhiDocument, type UhiHistogram } from './uhi';

/** The UHI form of an engine histogram: regular or variable axes with both flow bins, double or weighted storage. */
export function toUhi(hist: Histogram): UhiHistogram {
  const writer_info = { 'coffea-casa': { version: SERVER_VERSION } };
  if (hist.kind === '1d') {
    const values = [hist.underflow, ...hist.values, hist.overflow];
    const storage = hist.variances
      ? {
          type: 'weighted' as const,
          values,
          variances: [hist.underflowVariance ?? 0, ...hist.variances, hist.overflowVariance ?? 0],
        }
      : { type: 'double' as const, values };
    return {
      uhi_schema: 1,
      writer_info,
      metadata: { name: hist.name, ...(hist.title ? { label: hist.title } : {}), entries: hist.entries },
      axes: [uhiAxis(hist.axis, hist.name)],
      storage,
    };
  }
  const stride = hist.yEdges.length + 1;
  const nested = (flat: readonly number[]) =>
    Array.from({ length: hist.xEdges.length + 1 }, (_, i) => flat.slice(i * stride, (i + 1) * stride));
  const storage = hist.flowVariances
    ? { type: 'weighted' as const, values: nested(hist.flowValues), variances: nested(hist.flowVariances) }
    : { type: 'double' as const, values: nested(hist.flowValues) };
  return {
    uhi_schema: 1,
    writer_info,
    metadata: { name: hist.name, ...(hist.title ? { label: hist.title } : {}), entries: hist.entries },
    axes: [uhiAxis(hist.xAxis, hist.xName), uhiAxis(hist.yAxis, hist.yName)],
    storage,
  };
}

function uhiAxis(spec: AxisSpec, name: string): UhiAxis {
  const flow = { underflow: true, overflow: true, circular: false, metadata: { name } };
  return spec.type === 'regular'
    ? { type: 'regular', lower: spec.lower, upper: spec.upper, bins: spec.bins, ...flow }
    : { type: 'variable', edges: [...spec.edges], ...flow };
}

/**
 * A histogram of a UHI document as the engine's bins, for drawing: one or two regular or variable axes (categories
 * and booleans become one unit-wide bin each). Sparse storage is expanded; an empty storage gives zeros. For mean
 * storages the values are the means per bin.
 */
export function fromUhi(document: UhiDocument, name: string): Histogram {
  const hist = document[name];
  if (!hist)
    throw new HistError(
      'notFound',
      `The UHI document has no histogram "${name}"; it has ${Object.keys(document).join(', ')}.`,
    );
  if (hist.axes.length < 1 || hist.axes.length > 2) {
    throw new HistError(
      'unsupported',
      `Histogram "${name}" has ${hist.axes.length} axes; only 1-D and 2-D histograms can be drawn.`,
    );
  }
  const axes = hist.axes.map((axis) => drawnAxis(axis, name));
  const shape = hist.axes.map((axis) => axisExtent(axis) as number);
  const total = shape.reduce((a, b) => a * b, 1);
  const values = denseField(hist, 'values', shape, total, name);
  const variances = hist.storage.type === 'weighted' ? denseField(hist, 'variances', shape, total, name) : undefined;
  const entries = hist.storage.type === 'mean' ? denseField(hist, 'counts', shape, total, name) : values;
  const sum = entries.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const title = typeof hist.metadata?.label === 'string' ? hist.metadata.label : undefined;
  if (axes.length === 1) {
    const [axis] = axes;
    const inner = (flat: number[]) => flat.slice(axis.under, axis.under + axis.bins);
    return {
      kind: '1d',
      name,
      ...(title ? { title } : {}),
      axis: axis.spec,
      edges: axis.edges,
      values: inner(values),
      ...(variances
        ? {
            variances: inner(variances),
            underflowVariance: axis.under ? variances[0] : 0,
            overflowVariance: axis.over ? variances[shape[0] - 1] : 0,
          }
        : {}),
      underflow: axis.under ? values[0] : 0,
      overflow: axis.over ? values[shape[0] - 1] : 0,
      entries: sum,
    };
  }
  const [x, y] = axes;
  // Re-laid onto cells with both flow bins on both axes, as the engine's 2-D histograms are.
  const flow = (flat: number[]) => {
    const out: number[] = [];
    for (let i = -1; i <= x.bins; i++) {
      for (let j = -1; j <= y.bins; j++) {
        const si = i < 0 ? (x.under ? 0 : -1) : i === x.bins ? (x.over ? x.under + x.bins : -1) : x.under + i;
        const sj = j < 0 ? (y.under ? 0 : -1) : j === y.bins ? (y.over ? y.under + y.bins : -1) : y.under + j;
        out.push(si < 0 || sj < 0 ? 0 : flat[si * shape[1] + sj]);
      }
    }
    return out;
  };
  const inner = (cells: number[]) =>
    Array.from({ length: x.bins }, (_, i) =>
      cells.slice((i + 1) * (y.bins + 2) + 1, (i + 1) * (y.bins + 2) + 1 + y.bins),
    );
  const flowValues = flow(values);
  const flowVariances = variances ? flow(variances) : undefined;
  const result: Histogram2D = {
    kind: '2d',
    name,
    ...(title ? { title } : {}),
    xName: axisName(hist.axes[0], 'x'),
    yName: axisName(hist.axes[1], 'y'),
    xAxis: x.spec,
    yAxis: y.spec,
    xEdges: x.edges,
    yEdges: y.edges,
    values: inner(flowValues),
    ...(flowVariances ? { variances: inner(flowVariances), flowVariances } : {}),
    flowValues,
    entries: sum,
  };
  return result;
}

function axisName(axis: UhiAxis, fallback: string): string {
  const name = axis.metadata?.label ?? axis.metadata?.name;
  return typeof name === 'string' ? name : fallback;
}

interface DrawnAxis {
  readonly spec: AxisSpec;
  readonly edges: number[];
  readonly bins: number;
  readonly under: 0 | 1;
  readonly over: 0 | 1;
}

function drawnAxis(axis: UhiAxis, name: string): DrawnAxis {
  switch (axis.type) {
    case 'regular':
      return {
        spec: { type: 'regular', bins: axis.bins, lower: axis.lower, upper: axis.upper },
        edges: Array.from(linspace(axis.lower, axis.upper, axis.bins)),
        bins: axis.bins,
        under: axis.underflow ? 1 : 0,
        over: axis.overflow ? 1 : 0,
      };
    case 'variable':
      if (typeof axis.edges === 'string') {
        throw new HistError(
          'unsupported',
          `Histogram "${name}" keeps its edges in ${axis.edges}; only inline JSON arrays can be read.`,
        );
      }
      return {
        spec: { type: 'variable', edges: axis.edges },
        edges: axis.edges,
        bins: axis.edges.length - 1,
        under: axis.underflow ? 1 : 0,
        over: axis.overflow ? 1 : 0,
      };
    case 'category_str':
    case 'category_int':
    case 'boolean': {
      const bins = axis.type === 'boolean' ? 2 : axis.categories.length;
      return {
        spec: { type: 'regular', bins, lower: 0, upper: bins },
        edges: Array.from(linspace(0, bins, bins)),
        bins,
        under: 0,
        over: axis.type !== 'boolean' && axis.flow ? 1 : 0,
      };
    }
  }
}

/** A storage field as a flat row-major array over all cells (flow included); zeros when the storage is empty. */
function denseField(
  hist: UhiHistogram,
  field: 'values' | 'variances' | 'counts',
  shape: number[],
  total: number,
  name: string,
): number[] {
  const storage = hist.storage;
  const data = storage[field];
  if (data === undefined || !STORAGE_FIELDS[storage.type].includes(field)) return new Array<number>(total).fill(0);
  if (typeof data === 'string' || typeof storage.index === 'string') {
    throw new HistError(
      'unsupported',
      `Histogram "${name}" keeps its ${field} out of band (${String(typeof data === 'string' ? data : storage.index)}); only inline JSON arrays can be read.`,
    );
  }
  if (storage.index) {
    const dense = new Array<number>(total).fill(0);
    const index = storage.index;
    (data as number[]).forEach((value, k) => {
      let cell = 0;
      for (let a = 0; a < shape.length; a++) cell = cell * shape[a] + index[a][k];
      dense[cell] = value;
    });
    return dense;
  }
  return (data as unknown[]).flat(shape.length) as number[];
}

/** The names of the histograms in a UHI document, in file order. */
export function uhiNames(document: UhiDocument): string[] {
  return Object.keys(document);
}
