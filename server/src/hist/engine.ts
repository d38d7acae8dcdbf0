import { readFile } from 'node:fs/promises';
import { makeAxis, RangeFinder, Filler1D, Filler2D, type AxisSpec } from './binning';
import { alignWeights, type ColumnChunk, type ColumnSource } from './chunk';
import { HistError, settle, throwIfAborted, type HistResult } from './errors';
import type { Histogram, Histogram1D, Histogram2D } from './histogram';
import { LocalFile, withLocalFile } from './localFile';
import { listParquetColumns, parquetColumns, type ParquetInfo } from './parquet';
import { listRootKeys, rootBranches, type RootItem } from './root';
import { readRootHistogram } from './rootHistogram';
import { parseUhi, type UhiDocument } from './uhi';
import { fromUhi } from './uhiConvert';

/** The bins of one axis: a number of bins over a range (automatic when absent), or explicit edges. */
export interface AxisOptions {
  readonly bins?: number;
  readonly range?: readonly [number, number];
  readonly edges?: readonly number[];
}

/** What to histogram: a column (and a second one for 2-D), an optional weight column, and the bins. */
export interface HistogramOptions extends AxisOptions {
  readonly column: string;
  /** A second column: the histogram is then 2-D, `column` on x and this on y. */
  readonly y?: string;
  readonly yAxis?: AxisOptions;
  readonly weight?: string;
  /** The TTree or RNTuple of a ROOT file; the first TTree in the file (else its first RNTuple) when absent. */
  readonly tree?: string;
}

/** How far the work is: rows done in the automatic range's first pass (when one is needed), then in the fill. */
export interface HistogramProgress {
  readonly pass: 'range' | 'fill';
  readonly rowsDone: number;
  readonly rowsTotal: number;
}

/** Cancellation and progress for one histogram; both optional. */
export interface HistogramControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: HistogramProgress) => void;
}

/** Bins when the caller gives neither a number of bins nor edges (numpy's default is 10; plots want more). */
export const DEFAULT_BINS = 50;

export type FileFormat = 'root' | 'parquet' | 'uhi';

/** What a file holds, for the custom editors: ROOT keys, Parquet columns, or the names of UHI histograms. */
export type FileListing =
  | { readonly format: 'root'; readonly items: readonly RootItem[] }
  | { readonly format: 'parquet'; readonly info: ParquetInfo }
  | { readonly format: 'uhi'; readonly names: readonly string[] };

/** The format of a file from its first bytes ("root", "PAR1", "{"), falling back on its extension. */
export async function detectFormat(file: LocalFile): Promise<FileFormat> {
  const head = Buffer.from(await file.read(0, Math.min(16, file.size), 'header'));
  if (head.subarray(0, 4).toString('latin1') === 'root') return 'root';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (/^\s*\{/.test(head.toString('latin1'))) return 'uhi';
  const lower = file.path.toLowerCase();
  if (lower.endsWith('.root')) return 'root';
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.json')) return 'uhi';
  throw new HistError('unsupported', `${file.path} is neither a ROOT file, a Parquet file nor UHI JSON.`);
}

/** Lists what a ROOT, Parquet or UHI JSON file holds. */
export function listFile(path: string, signal?: AbortSignal): Promise<HistResult<FileListing>> {
  return settle(() =>
    withLocalFile(path, signal, async (file): Promise<FileListing> => {
      const format = await detectFormat(file);
      if (format === 'root') return { format, items: await listRootKeys(file) };
      if (format === 'parquet') return { format, info: await listParquetColumns(file) };
      return { format, names: Object.keys(await readUhiFile(file)) };
    }),
  );
}

/** Reads a histogram stored in a file: a TH1/TH2 of a ROOT file, or a histogram of a UHI document (the first by default). */
export function readStoredHistogram(path: string, name?: string, signal?: AbortSignal): Promise<HistResult<Histogram>> {
  return settle(() =>
    withLocalFile(path, signal, async (file) => {
      const format = await detectFormat(file);
      if (format === 'uhi') {
        const document = await readUhiFile(file);
        return fromUhi(document, name ?? Object.keys(document)[0] ?? '');
      }
      if (format === 'root') {
        if (!name) throw new HistError('invalid', 'Name the histogram to read from the ROOT file.');
        return readRootHistogram(file, name);
      }
      throw new HistError('unsupported', `${path} is a Parquet file, which holds columns, not stored histograms.`);
    }),
  );
}

async function readUhiFile(file: LocalFile): Promise<UhiDocument> {
  if (file.size > 256 * 1024 * 1024)
    throw new HistError('unsupported', `${file.path} is too large for a UHI JSON document.`);
  return parseUhi(await readFile(file.path, 'utf8'), file.path);
}

/**
 * Bins a column of a ROOT TTree or a Parquet file, streaming baskets or row groups; the plain async entry point that
 * the CLI calls and that a worker thread can call. Cancelling through `signal` gives a failed result of kind
 * `cancelled`.
 */
export function histogramFile(
  path: string,
  options: HistogramOptions,
  control: HistogramControl = {},
): Promise<HistResult<Histogram>> {
  return settle(() => withLocalFile(path, control.signal, (file) => histogramOf(file, options, control)));
}

async function histogramOf(file: LocalFile, options: HistogramOptions, control: HistogramControl): Promise<Histogram> {
  const { signal, onProgress } = control;
  const format = await detectFormat(file);
  if (format === 'uhi')
    throw new HistError('unsupported', `${file.path} is UHI JSON, which holds histograms, not columns to bin.`);
  const open = (columns: readonly string[]): Promise<ColumnSource> =>
    format === 'root' ? rootBranches(file, options.tree, columns, signal) : parquetColumns(file, columns, signal);
  if (format === 'parquet' && options.tree !== undefined) {
    throw new HistError('invalid', `--tree applies to ROOT files; ${file.path} is a Parquet file.`);
  }
  const yOptions = options.y === undefined ? undefined : (options.yAxis ?? {});
  const needsRange = [!hasBinning(options), yOptions !== undefined && !hasBinning(yOptions)];
  const ranges = [new RangeFinder(), new RangeFinder()];
  if (needsRange.some(Boolean)) {
    // A first pass over only the columns whose range is automatic, as numpy's own min/max pass.
    const columns = needsRange[0] ? [options.column] : [];
    if (needsRange[1]) columns.push(options.y as string);
    const source = await open(columns);
    const known = columns.map((column) => source.knownRange?.(column));
    if (known.every((range) => range !== undefined)) {
      known.forEach((range, i) => ranges[needsRange[0] ? i : 1].addRange(range[0], range[1]));
    } else {
      await source.read(
        (chunks) => chunks.forEach((chunk, i) => ranges[needsRange[0] ? i : 1].add(chunk.values)),
        (rowsDone, rowsTotal) => onProgress?.({ pass: 'range', rowsDone, rowsTotal }),
      );
      throwIfAborted(signal);
    }
  }
  const xAxis = makeAxis(axisSpec(options, ranges[0]));
  const columns = [
    options.column,
    ...(options.y !== undefined ? [options.y] : []),
    ...(options.weight !== undefined ? [options.weight] : []),
  ];
  const source = await open(columns);
  const progress = (rowsDone: number, rowsTotal: number) => onProgress?.({ pass: 'fill', rowsDone, rowsTotal });
  const weighted = options.weight !== undefined;
  if (options.y === undefined) {
    const filler = new Filler1D(xAxis, weighted);
    await source.read((chunks) => {
      const [x, w] = chunks;
      filler.fill(x.values, w ? alignWeights(x, w, `${options.column} and ${options.weight}`) : undefined);
    }, progress);
    throwIfAborted(signal);
    return result1D(options.column, filler);
  }
  const yAxis = makeAxis(axisSpec(yOptions ?? {}, ranges[1]));
  const filler = new Filler2D(xAxis, yAxis, weighted);
  await source.read((chunks) => {
    const [x, y, w] = chunks;
    const names = `${options.column} and ${options.y}`;
    const [xs, ys, base] = pair(x, y, names);
    filler.fill(xs, ys, w ? alignWeights(base, w, `${names} and ${options.weight}`) : undefined);
  }, progress);
  throwIfAborted(signal);
  return result2D(options.column, options.y, filler);
}

function hasBinning(options: AxisOptions): boolean {
  return options.edges !== undefined || options.range !== undefined;
}

function axisSpec(options: AxisOptions, found: RangeFinder): AxisSpec {
  if (options.edges !== undefined) return { type: 'variable', edges: options.edges };
  const [lower, upper] = options.range ?? found.range();
  return { type: 'regular', bins: options.bins ?? DEFAULT_BINS, lower, upper };
}

/** Pairs two columns value for value, spreading a per-event column over a jagged one; returns the layout used. */
function pair(x: ColumnChunk, y: ColumnChunk, names: string): [Float64Array, Float64Array, ColumnChunk] {
  if (x.rowLengths && !y.rowLengths) return [x.values, alignWeights(x, y, names), x];
  if (y.rowLengths && !x.rowLengths) return [alignWeights(y, x, names), y.values, y];
  return [x.values, alignWeights(x, y, names), x];
}

function result1D(name: string, filler: Filler1D): Histogram1D {
  const { axis, counts, sumw2, moments } = filler;
  const n = axis.bins;
  const mean = moments.sumW !== 0 ? moments.sumWX / moments.sumW : NaN;
  const variance = moments.sumW !== 0 ? Math.max(0, moments.sumWX2 / moments.sumW - mean * mean) : NaN;
  const stats = Number.isFinite(mean) ? { mean, stdDev: Math.sqrt(variance) } : {};
  return {
    kind: '1d',
    name,
    axis: axis.spec,
    edges: Array.from(axis.edges),
    values: Array.from(counts.subarray(1, n + 1)),
    ...(sumw2
      ? { variances: Array.from(sumw2.subarray(1, n + 1)), underflowVariance: sumw2[0], overflowVariance: sumw2[n + 1] }
      : {}),
    underflow: counts[0],
    overflow: counts[n + 1],
    entries: filler.entries,
    ...stats,
  };
}

function result2D(xName: string, yName: string, filler: Filler2D): Histogram2D {
  const { x, y, counts, sumw2 } = filler;
  const stride = y.bins + 2;
  const inner = (cells: Float64Array) =>
    Array.from({ length: x.bins }, (_, i) =>
      Array.from(cells.subarray((i + 1) * stride + 1, (i + 1) * stride + 1 + y.bins)),
    );
  return {
    kind: '2d',
    name: `${yName} vs ${xName}`,
    xName,
    yName,
    xAxis: x.spec,
    yAxis: y.spec,
    xEdges: Array.from(x.edges),
    yEdges: Array.from(y.edges),
    values: inner(counts),
    ...(sumw2 ? { variances: inner(sumw2), flowVariances: Array.from(sumw2) } : {}),
    flowValues: Array.from(counts),
    entries: filler.entries,
  };
}
