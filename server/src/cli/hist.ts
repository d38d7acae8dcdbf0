import { basename } from 'node:path';
import type { CliIo } from '../cli';
import {
  histogramFile,
  toUhi,
  writeUhi,
  type AxisOptions,
  type Histogram,
  type Histogram2D,
  type HistogramOptions,
} from '../hist';

const USAGE = `Usage: coffea-casa hist FILE --column NAME [--tree TREE] [--bins N] [--range LO:HI] [--edges E0,E1,...]
                        [--y NAME [--y-bins N] [--y-range LO:HI] [--y-edges E0,E1,...]]
                        [--weight NAME] [--format uhi|text]

Bins one column of a Parquet file or one field of a ROOT TTree or RNTuple (jagged ones flattened, as ak.flatten does)
and prints the histogram as UHI JSON (the default) or as a text table. Bins follow numpy.histogram (the last bin is
closed on the right); values outside the range are counted as underflow and overflow. Without --range or --edges the
range is the data's minimum to maximum. A record field of a Parquet file is named with dots (Muon.pt). --tree picks
the TTree or RNTuple of a ROOT file (the first TTree by default, else the first RNTuple); --y bins a second column
against the first (a 2-D histogram, with its own --y-bins, --y-range and --y-edges); --weight fills each value with
the weight from another column (one per event is spread over a jagged column).`;

interface Options {
  readonly file: string;
  readonly histogram: HistogramOptions;
  readonly format: 'uhi' | 'text';
}

function parseArgs(args: readonly string[]): Options | string {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const known = ['--column', '--tree', '--weight', '--format', '--y', ...AXIS_FLAGS, ...AXIS_FLAGS.map(yFlag)];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (known.includes(name)) {
      if (eq > 0 && arg.startsWith('--')) values.set(name, arg.slice(eq + 1));
      else if (i + 1 >= args.length) return `${name} needs a value`;
      else values.set(name, args[++i]);
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length !== 1) return positional.length === 0 ? 'a FILE is needed' : 'give exactly one FILE';
  const column = values.get('--column');
  if (!column) return '--column NAME is needed';
  const format = values.get('--format') ?? 'uhi';
  if (format !== 'uhi' && format !== 'text') return `--format must be uhi or text, not "${format}"`;
  const xAxis = parseAxis(values, (flag) => flag);
  if (typeof xAxis === 'string') return xAxis;
  let histogram: HistogramOptions = { column, ...xAxis };
  const tree = values.get('--tree');
  if (tree !== undefined) histogram = { ...histogram, tree };
  const weight = values.get('--weight');
  if (weight !== undefined) histogram = { ...histogram, weight };
  const y = values.get('--y');
  const yAxis = parseAxis(values, yFlag);
  if (typeof yAxis === 'string') return yAxis;
  if (y === undefined && Object.keys(yAxis).length > 0) return '--y-bins, --y-range and --y-edges need --y NAME';
  if (y !== undefined) histogram = { ...histogram, y, yAxis };
  return { file: positional[0], histogram, format };
}

const AXIS_FLAGS = ['--bins', '--range', '--edges'];

function yFlag(flag: string): string {
  return `--y-${flag.slice(2)}`;
}

/** One axis's --bins, --range and --edges (or the --y- ones, through `flag`). */
function parseAxis(values: ReadonlyMap<string, string>, flag: (name: string) => string): AxisOptions | string {
  let axis: AxisOptions = {};
  const bins = values.get(flag('--bins'));
  if (bins !== undefined) {
    if (!/^\d+$/.test(bins) || Number(bins) < 1 || Number(bins) > 10_000_000)
      return `${flag('--bins')} must be a whole number from 1 to 10000000, not "${bins}"`;
    axis = { ...axis, bins: Number(bins) };
  }
  const range = values.get(flag('--range'));
  if (range !== undefined) {
    const parts = range.split(':');
    const [lo, hi] = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
    if (parts.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      return `${flag('--range')} must be LO:HI with two numbers and LO < HI, not "${range}"`;
    }
    axis = { ...axis, range: [lo, hi] };
  }
  const edges = values.get(flag('--edges'));
  if (edges !== undefined) {
    if (range !== undefined || bins !== undefined) {
      return `${flag('--edges')} replaces ${flag('--bins')} and ${flag('--range')}; give one or the other`;
    }
    const list = edges.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
    if (list.length < 2 || list.some((e) => !Number.isFinite(e)))
      return `${flag('--edges')} must be at least two numbers separated by commas, not "${edges}"`;
    axis = { ...axis, edges: list };
  }
  return axis;
}

/** `coffea-casa hist FILE --column NAME …`: bins a column and prints UHI JSON or a text table. */
export async function runHist(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`coffea-casa hist: ${options}.\n\n${USAGE}`);
    return 2;
  }
  let result;
  try {
    result = await quietly(() => histogramFile(options.file, options.histogram));
  } catch (error) {
    // Not an expected failure, but the user still gets one line rather than a stack trace.
    io.err(
      `coffea-casa hist: ${options.file} could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
    return 1;
  }
  if (!result.ok) {
    io.err(`coffea-casa hist: ${result.error.message}`);
    return 1;
  }
  const hist = result.value;
  if (options.format === 'uhi') io.out(writeUhi({ [options.histogram.column]: toUhi(hist) }).trimEnd());
  else io.out(textTable(hist, basename(options.file), options.histogram));
  return 0;
}

/**
 * jsroot reports some problems on the console as well as by rejecting ("R__unzip: header size exceeds buffer size"),
 * which would mix with the UHI JSON on standard output; the user gets our one line on standard error instead.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line no-console -- the point is to silence what a library writes to the console.
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  const silent = () => undefined;
  Object.assign(console, { log: silent, info: silent, warn: silent, error: silent });
  try {
    return await work();
  } finally {
    Object.assign(console, saved);
  }
}

const number = (x: number) => (Number.isInteger(x) && Math.abs(x) < 1e15 ? String(x) : x.toPrecision(6));

/** A table a person reads: one line per bin with its edges and count (and error for weighted fills), flow bins too. */
export function textTable(hist: Histogram, file: string, options: HistogramOptions): string {
  if (hist.kind === '2d') return gridTable(hist, file, options);
  const header = describe(hist, file, options);
  const weighted = hist.variances !== undefined;
  const rows: string[][] = [
    ['bin', 'low', 'high', weighted ? 'sum of weights' : 'count', ...(weighted ? ['error'] : [])],
  ];
  const error = (v: number | undefined) => (v === undefined ? [] : [number(Math.sqrt(v))]);
  rows.push(['underflow', '-inf', number(hist.edges[0]), number(hist.underflow), ...error(hist.underflowVariance)]);
  hist.values.forEach((value, i) => {
    rows.push([
      String(i),
      number(hist.edges[i]),
      number(hist.edges[i + 1]),
      number(value),
      ...error(hist.variances?.[i]),
    ]);
  });
  rows.push([
    'overflow',
    number(hist.edges[hist.edges.length - 1]),
    'inf',
    number(hist.overflow),
    ...error(hist.overflowVariance),
  ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  return [header, ...lines].join('\n');
}

function describe(hist: Histogram, file: string, options: HistogramOptions): string {
  const where = options.tree ? `${file} (${options.tree})` : file;
  const weight = options.weight ? `, weighted by ${options.weight}` : '';
  const stats =
    hist.kind === '1d' && hist.mean !== undefined
      ? `, mean ${number(hist.mean)}, std dev ${number(hist.stdDev ?? NaN)}`
      : '';
  return `# ${hist.name} in ${where}${weight}: ${hist.entries} entries${stats}`;
}

/**
 * A 2-D histogram as a grid: a row per x cell and a column per y cell, the flow cells first and last, each labelled
 * with its interval ([low, high), the last bin closed). Weighted fills print the sums of weights.
 */
function gridTable(hist: Histogram2D, file: string, options: HistogramOptions): string {
  const cells = (edges: readonly number[]) => [
    `< ${number(edges[0])}`,
    ...edges.slice(0, -1).map((low, i) => `${number(low)}..${number(edges[i + 1])}`),
    `> ${number(edges[edges.length - 1])}`,
  ];
  const yCells = cells(hist.yEdges);
  const stride = yCells.length;
  const rows: string[][] = [[`${hist.xName} \\ ${hist.yName}`, ...yCells]];
  cells(hist.xEdges).forEach((label, i) => {
    rows.push([label, ...hist.flowValues.slice(i * stride, (i + 1) * stride).map(number)]);
  });
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  return [describe(hist, file, options), ...lines].join('\n');
}
