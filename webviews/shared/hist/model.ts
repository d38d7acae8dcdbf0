import type { Hist1D, HistSeries, ViewOptions } from '../protocol';

// Pure operations on bins, shared by the panel and the unit tests. They never see raw data: only what the extension's
// binning engine sent.

/** A series as drawn: contents and their uncertainties on a set of edges. */
export interface DrawnSeries {
  readonly name: string;
  readonly values: number[];
  readonly errors: number[];
  /** For stacks: where this series' band starts (the sum of the ones below); zeros otherwise. */
  readonly base: number[];
}

export interface Drawn1D {
  readonly edges: number[];
  readonly series: DrawnSeries[];
  readonly ratio?: { readonly reference: string; readonly series: DrawnSeries[] };
}

/** Merges every `factor` neighbouring bins; a last, shorter group becomes one bin of its own. */
export function mergeBins(data: Hist1D, factor: number): Hist1D {
  if (factor <= 1) return data;
  const bins = data.edges.length - 1;
  const edges: number[] = [data.edges[0]];
  for (let i = factor; i < bins; i += factor) edges.push(data.edges[i]);
  edges.push(data.edges[bins]);
  const sum = (list: readonly number[]) => {
    const out: number[] = [];
    for (let i = 0; i < bins; i += factor) out.push(list.slice(i, i + factor).reduce((a, b) => a + b, 0));
    return out;
  };
  return {
    ...data,
    edges,
    series: data.series.map((s) => ({
      ...s,
      values: sum(s.values),
      ...(s.variances ? { variances: sum(s.variances) } : {}),
    })),
  };
}

/**
 * Rebins onto new edges that are a subset of the current ones (merging whole bins); returns a sentence saying which
 * edge is not an existing one otherwise, since splitting a bin needs the data again.
 */
export function rebinToEdges(data: Hist1D, newEdges: readonly number[]): Hist1D | string {
  if (newEdges.length < 2) return 'Give at least two edges.';
  const index: number[] = [];
  for (const edge of newEdges) {
    const i = data.edges.findIndex((e) => Math.abs(e - edge) <= 1e-9 * Math.max(1, Math.abs(e)));
    if (i < 0) return `${edge} is not an edge of the current binning; only existing edges can be kept.`;
    if (index.length > 0 && i <= index[index.length - 1]) return 'Edges must increase.';
    index.push(i);
  }
  const first = index[0];
  const last = index[index.length - 1];
  const group = (list: readonly number[]) => index.slice(1).map((end, k) => sumRange(list, index[k], end));
  return {
    ...data,
    edges: index.map((i) => data.edges[i]),
    series: data.series.map((s) => ({
      ...s,
      values: group(s.values),
      ...(s.variances ? { variances: group(s.variances) } : {}),
      // Bins left out at either end join the flow, so that no entry disappears.
      underflow: s.underflow + sumRange(s.values, 0, first),
      overflow: s.overflow + sumRange(s.values, last, s.values.length),
    })),
  };
}

function sumRange(list: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += list[i];
  return total;
}

/** The bins whose both edges lie in [lo, hi]; the histogram itself when no bin would be left. */
export function restrictRange(data: Hist1D, range: readonly [number, number] | undefined): Hist1D {
  if (!range) return data;
  const [lo, hi] = range;
  const from = data.edges.findIndex((e) => e >= lo);
  let to = data.edges.length - 1;
  while (to > 0 && data.edges[to] > hi) to--;
  if (from < 0 || to - from < 1) return data;
  return {
    ...data,
    edges: data.edges.slice(from, to + 1),
    series: data.series.map((s) => ({
      ...s,
      values: s.values.slice(from, to),
      ...(s.variances ? { variances: s.variances.slice(from, to) } : {}),
    })),
  };
}

/** Poisson or weighted uncertainties of a series. */
export function errorsOf(series: HistSeries): number[] {
  return (series.variances ?? series.values).map((v) => Math.sqrt(Math.max(0, v)));
}

/** Entries, mean, standard deviation and flow of a series, from the engine when it sent them, else from the bins. */
export function statsOf(
  series: HistSeries,
  edges: readonly number[],
): { entries: number; mean: number; stdDev: number; underflow: number; overflow: number } {
  let mean = series.mean;
  let stdDev = series.stdDev;
  if (mean === undefined || stdDev === undefined) {
    let total = 0;
    let first = 0;
    let second = 0;
    series.values.forEach((v, i) => {
      const centre = (edges[i] + edges[i + 1]) / 2;
      total += v;
      first += v * centre;
      second += v * centre * centre;
    });
    mean = total > 0 ? first / total : 0;
    stdDev = total > 0 ? Math.sqrt(Math.max(0, second / total - mean * mean)) : 0;
  }
  return { entries: series.entries, mean, stdDev, underflow: series.underflow, overflow: series.overflow };
}

/**
 * What the plot draws for the options: merged, restricted, normalised (to unit area, as a density) and stacked or
 * overlaid, with a ratio of every series to the reference when one is chosen.
 */
export function drawn1D(data: Hist1D, options: ViewOptions): Drawn1D {
  const shown = restrictRange(mergeBins(data, options.merge), options.range);
  const edges = [...shown.edges];
  const widths = edges.slice(1).map((e, i) => e - edges[i]);
  let series: DrawnSeries[] = shown.series.map((s) => {
    const errors = errorsOf(s);
    const values = [...s.values];
    if (!options.normalise) return { name: s.name, values, errors, base: values.map(() => 0) };
    const area = values.reduce((sum, v, i) => sum + v * widths[i], 0);
    const scale = (i: number) => (area > 0 ? 1 / area : 0) * (widths[i] > 0 ? 1 : 0);
    return {
      name: s.name,
      values: values.map((v, i) => v * scale(i)),
      errors: errors.map((e, i) => e * scale(i)),
      base: values.map(() => 0),
    };
  });
  if (options.combine === 'stack') {
    const running = edges.slice(1).map(() => 0);
    series = series.map((s) => {
      const base = [...running];
      s.values.forEach((v, i) => (running[i] += v));
      return { ...s, base };
    });
  }
  const reference = options.ratioTo === undefined ? undefined : series[options.ratioTo];
  if (!reference) return { edges, series };
  const ratio = series.map((s) => ({
    name: s.name,
    values: s.values.map((v, i) => (reference.values[i] > 0 ? v / reference.values[i] : NaN)),
    errors: s.errors.map((e, i) => (reference.values[i] > 0 ? e / reference.values[i] : NaN)),
    base: s.values.map(() => 0),
  }));
  return { edges, series, ratio: { reference: reference.name, series: ratio } };
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Decade ticks for a log axis over [lo, hi], lo > 0. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    const t = 10 ** p;
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
  }
  return ticks.length > 0 ? ticks : [lo];
}

/** A short label for a tick: no float noise, exponents for very large or small values. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const size = Math.abs(value);
  if (size >= 1e5 || size < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return String(Number(value.toPrecision(6)));
}
