/**
 * Messages between the extension and its histogram panel. The webview speaks first with `ready`; the extension answers
 * with `init` and then `histogram` once the bins exist. Every message received on either side is checked before use:
 * `isWebviewMessage` in the extension, `isExtensionMessage` in the webview.
 */

/** One sample's bins on the shared edges of a 1-D histogram; flow bins are kept apart from `values`. */
export interface HistSeries {
  readonly name: string;
  readonly values: readonly number[];
  /** Sums of squared weights; absent means Poisson (the variance is the count). */
  readonly variances?: readonly number[];
  readonly underflow: number;
  readonly overflow: number;
  /** Entries filled, flow included. */
  readonly entries: number;
  /** Mean and standard deviation of the filled values, when the engine saw them; else computed from the bins. */
  readonly mean?: number;
  readonly stdDev?: number;
}

export interface Hist1D {
  readonly kind: '1d';
  readonly title: string;
  readonly xLabel: string;
  /** N + 1 increasing edges for N bins. */
  readonly edges: readonly number[];
  readonly series: readonly HistSeries[];
}

export interface Hist2D {
  readonly kind: '2d';
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xEdges: readonly number[];
  readonly yEdges: readonly number[];
  /** `values[i][j]` is the bin of x bin i and y bin j. */
  readonly values: readonly (readonly number[])[];
  readonly entries: number;
}

export type HistData = Hist1D | Hist2D;

/** Where the bins came from, for Copy as Python; the extension keeps it, the webview only stores it in its state. */
export interface HistSource {
  readonly format: 'root' | 'parquet' | 'uhi';
  /** One entry per sample; several files of one sample are one dataset. */
  readonly samples: readonly { readonly name: string; readonly files: readonly string[] }[];
  /** The branch or column binned; absent for a histogram stored in the file. */
  readonly column?: string;
  readonly tree?: string;
  readonly weight?: string;
  /** The second column of a 2-D histogram. */
  readonly y?: string;
  /** The stored histogram's name (a UHI key or a ROOT object path). */
  readonly histogram?: string;
}

/** How the webview draws the histogram; kept in the webview state and sent with Copy as Python. */
export interface ViewOptions {
  readonly style: 'step' | 'filled' | 'errorbar';
  readonly logY: boolean;
  readonly combine: 'overlay' | 'stack';
  readonly normalise: boolean;
  /** Merge this many neighbouring bins (1 leaves the binning as it is). */
  readonly merge: number;
  /** The x range shown, or undefined for all bins. */
  readonly range?: readonly [number, number];
  /** Index of the series the ratio panel divides by, or undefined for no ratio panel. */
  readonly ratioTo?: number;
}

export const DEFAULT_OPTIONS: ViewOptions = {
  style: 'step',
  logY: false,
  combine: 'overlay',
  normalise: false,
  merge: 1,
};

/** One row of a file's contents beside the plot (a custom editor): a group, or something that can be drawn. */
export interface ListingItem {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly depth: number;
  /** True for columns, branches and stored histograms, which draw when picked. */
  readonly pickable: boolean;
}

/** The longest item id the extension accepts back from a webview. */
export const MAX_ID_CHARS = 4096;

export type ExtensionToWebview =
  | { readonly type: 'init'; readonly title: string }
  | {
      readonly type: 'histogram';
      readonly data: HistData;
      readonly options?: ViewOptions;
      readonly source?: HistSource;
    }
  | { readonly type: 'status'; readonly message: string; readonly error?: boolean }
  | { readonly type: 'listing'; readonly items: readonly ListingItem[] };

export type WebviewToExtension =
  | { readonly type: 'ready' }
  /** SVG text, or a PNG as base64 without the data-URL prefix. */
  | { readonly type: 'export'; readonly format: 'svg' | 'png'; readonly data: string }
  /** `edges` are the 1-D edges shown now, after any rebinning in the panel. */
  | { readonly type: 'copyPython'; readonly options: ViewOptions; readonly edges?: readonly number[] }
  /** The user picked a listing item to draw. */
  | { readonly type: 'pick'; readonly id: string }
  /** The user wants the same column from other files as more samples. */
  | { readonly type: 'addSample' }
  /** Bin the drawn column again, weighted by another listing item and/or against one for 2-D (ids from the listing). */
  | { readonly type: 'redraw'; readonly weight?: string; readonly y?: string };

/** The largest export the extension accepts from a webview, in characters. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** The most edges a panel may send back. */
export const MAX_EDGES = 100_001;

/** The largest number of bins merged at once. */
export const MAX_MERGE = 1000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Checks view options from an untrusted webview (or from saved state). */
export function isViewOptions(value: unknown): value is ViewOptions {
  if (!isRecord(value)) return false;
  const { style, logY, combine, normalise, merge, range, ratioTo } = value;
  if (style !== 'step' && style !== 'filled' && style !== 'errorbar') return false;
  if (typeof logY !== 'boolean' || typeof normalise !== 'boolean') return false;
  if (combine !== 'overlay' && combine !== 'stack') return false;
  if (!Number.isInteger(merge) || (merge as number) < 1 || (merge as number) > MAX_MERGE) return false;
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every(isFiniteNumber) || range[0] >= range[1])
      return false;
  }
  if (ratioTo !== undefined && (!Number.isInteger(ratioTo) || (ratioTo as number) < 0)) return false;
  return true;
}

/** Checks a message from a webview, which is untrusted: every field, and the size of exports. */
export function isWebviewMessage(value: unknown): value is WebviewToExtension {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'addSample':
      return true;
    case 'export': {
      const { format, data } = value;
      if (typeof data !== 'string' || data.length === 0 || data.length > MAX_EXPORT_CHARS) return false;
      if (format === 'svg') return data.trimStart().startsWith('<svg');
      return format === 'png' && /^[A-Za-z0-9+/]+={0,2}$/.test(data);
    }
    case 'redraw':
      return [value.weight, value.y].every(
        (id) => id === undefined || (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS),
      );
    case 'pick':
      return typeof value.id === 'string' && value.id.length > 0 && value.id.length <= MAX_ID_CHARS;
    case 'copyPython':
      return (
        isViewOptions(value.options) &&
        (value.edges === undefined || (isEdges(value.edges) && value.edges.length <= MAX_EDGES))
      );
    default:
      return false;
  }
}

const isNumberList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'number');

function isEdges(value: unknown): value is number[] {
  return isNumberList(value) && value.length >= 2 && value.every((v, i) => i === 0 || v > value[i - 1]);
}

function isSeries(value: unknown, bins: number): value is HistSeries {
  if (!isRecord(value) || typeof value.name !== 'string') return false;
  if (!isNumberList(value.values) || value.values.length !== bins) return false;
  if (value.variances !== undefined && (!isNumberList(value.variances) || value.variances.length !== bins))
    return false;
  return ['underflow', 'overflow', 'entries'].every((key) => typeof value[key] === 'number');
}

/** Checks a message from the extension before the webview uses it. */
export function isExtensionMessage(value: unknown): value is ExtensionToWebview {
  if (!isRecord(value)) return false;
  if (value.type === 'init') return typeof value.title === 'string';
  if (value.type === 'status') return typeof value.message === 'string';
  if (value.type === 'listing') {
    return (
      Array.isArray(value.items) &&
      value.items.every(
        (item) =>
          isRecord(item) &&
          typeof item.id === 'string' &&
          typeof item.label === 'string' &&
          (item.description === undefined || typeof item.description === 'string') &&
          Number.isInteger(item.depth) &&
          typeof item.pickable === 'boolean',
      )
    );
  }
  if (value.type !== 'histogram' || !isRecord(value.data)) return false;
  if (value.options !== undefined && !isViewOptions(value.options)) return false;
  const data = value.data;
  if (typeof data.title !== 'string' || typeof data.xLabel !== 'string') return false;
  if (data.kind === '1d') {
    if (!isEdges(data.edges) || !Array.isArray(data.series)) return false;
    const bins = data.edges.length - 1;
    return data.series.every((s) => isSeries(s, bins));
  }
  if (data.kind !== '2d' || typeof data.yLabel !== 'string') return false;
  if (!isEdges(data.xEdges) || !isEdges(data.yEdges) || !Array.isArray(data.values)) return false;
  const ny = data.yEdges.length - 1;
  return (
    data.values.length === data.xEdges.length - 1 && data.values.every((row) => isNumberList(row) && row.length === ny)
  );
}

/** Checks a source description kept in a panel's saved state. */
export function isHistSource(value: unknown): value is HistSource {
  if (!isRecord(value)) return false;
  if (value.format !== 'root' && value.format !== 'parquet' && value.format !== 'uhi') return false;
  const optionalText = ['column', 'tree', 'weight', 'y', 'histogram'].every(
    (key) => value[key] === undefined || typeof value[key] === 'string',
  );
  return (
    optionalText &&
    Array.isArray(value.samples) &&
    value.samples.every(
      (s) =>
        isRecord(s) &&
        typeof s.name === 'string' &&
        Array.isArray(s.files) &&
        s.files.every((f) => typeof f === 'string'),
    )
  );
}
