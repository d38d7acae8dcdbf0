import type { Histogram, Histogram1D, HistogramOptions, HistogramProgress, HistResult } from '../../../server/src/hist';
import type { HistData, HistSeries } from '../../../webviews/shared/protocol';

/** One sample: a name and its files, which together are one dataset (a ServiceX result is several files). */
export interface Sample {
  readonly name: string;
  readonly files: readonly string[];
}

/** Bins one file; the histogram worker or, in tests, the engine itself. */
export type BinFile = (
  path: string,
  options: HistogramOptions,
  control: { signal?: AbortSignal; onProgress?: (progress: HistogramProgress) => void },
) => Promise<HistResult<Histogram>>;

/** How far the whole job is, over every file of every sample. */
export interface SamplesProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly files: number;
  readonly pass: 'range' | 'fill';
}

/**
 * Bins a column over several samples of several files each, on one shared binning so that the samples can be stacked
 * and divided: with no range or edges given, a first pass finds each file's range and the union is used. Fails with
 * the first file's message that could not be read, naming the file.
 */
export async function histogramSamples(
  bin: BinFile,
  samples: readonly Sample[],
  options: HistogramOptions,
  control: { signal?: AbortSignal; onProgress?: (progress: SamplesProgress) => void } = {},
): Promise<HistResult<HistData>> {
  const files = samples.flatMap((s) => s.files);
  if (files.length === 0) return { ok: false, error: { kind: 'invalid', message: 'No files to histogram.' } };
  let shared: HistogramOptions = options;
  const auto = options.range === undefined && options.edges === undefined && options.y === undefined;
  if (auto && files.length > 1) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const [index, file] of files.entries()) {
      control.onProgress?.({ file, fileIndex: index, files: files.length, pass: 'range' });
      const probe = await bin(file, { ...options, bins: 1 }, { signal: control.signal });
      if (!probe.ok) return named(probe, file);
      if (probe.value.kind !== '1d') continue;
      lo = Math.min(lo, probe.value.edges[0]);
      hi = Math.max(hi, probe.value.edges[probe.value.edges.length - 1]);
    }
    if (Number.isFinite(lo) && Number.isFinite(hi)) shared = { ...options, range: [lo, hi > lo ? hi : lo + 1] };
  }
  const series: HistSeries[] = [];
  let index = 0;
  let first: Histogram | undefined;
  for (const sample of samples) {
    const parts: Histogram1D[] = [];
    for (const file of sample.files) {
      const fileIndex = index++;
      control.onProgress?.({ file, fileIndex, files: files.length, pass: 'fill' });
      const result = await bin(file, shared, { signal: control.signal });
      if (!result.ok) return named(result, file);
      first ??= result.value;
      if (result.value.kind === '2d') {
        // Two columns give a heat map of the first sample's first file; samples are not overlaid in 2-D.
        return { ok: true, value: heatMap(result.value, options) };
      }
      parts.push(result.value);
    }
    series.push(sumSeries(sample.name, parts));
  }
  const edges = first?.kind === '1d' ? first.edges : [0, 1];
  const title = options.weight ? `${options.column} (weighted by ${options.weight})` : options.column;
  return { ok: true, value: { kind: '1d', title, xLabel: options.column, edges, series } };
}

function named<T>(failure: HistResult<T> & { ok: false }, file: string): HistResult<never> {
  const message = failure.error.message.includes(file) ? failure.error.message : `${file}: ${failure.error.message}`;
  return { ok: false, error: { kind: failure.error.kind, message } };
}

/** Adds the bins of several files of one sample; mean and spread combine by their entries. */
export function sumSeries(name: string, parts: readonly Histogram1D[]): HistSeries {
  const bins = parts[0]?.values.length ?? 0;
  const values = new Array<number>(bins).fill(0);
  const weighted = parts.some((p) => p.variances !== undefined);
  const variances = new Array<number>(bins).fill(0);
  let underflow = 0;
  let overflow = 0;
  let entries = 0;
  let sumW = 0;
  let sumWX = 0;
  let sumWX2 = 0;
  for (const part of parts) {
    part.values.forEach((v, i) => {
      values[i] += v;
      variances[i] += part.variances ? part.variances[i] : v;
    });
    underflow += part.underflow;
    overflow += part.overflow;
    entries += part.entries;
    if (part.mean !== undefined && part.stdDev !== undefined && part.entries > 0) {
      sumW += part.entries;
      sumWX += part.entries * part.mean;
      sumWX2 += part.entries * (part.stdDev ** 2 + part.mean ** 2);
    }
  }
  const mean = sumW > 0 ? sumWX / sumW : undefined;
  const stdDev = mean !== undefined ? Math.sqrt(Math.max(0, sumWX2 / sumW - mean * mean)) : undefined;
  return {
    name,
    values,
    ...(weighted ? { variances } : {}),
    underflow,
    overflow,
    entries,
    ...(mean !== undefined && stdDev !== undefined ? { mean, stdDev } : {}),
  };
}

/** A stored or filled histogram as the panel draws it. */
export function toHistData(histogram: Histogram, title: string, sampleName = histogram.name): HistData {
  if (histogram.kind === '2d') return heatMap(histogram, { column: histogram.xName, y: histogram.yName }, title);
  return {
    kind: '1d',
    title,
    xLabel: histogram.name,
    edges: histogram.edges,
    series: [sumSeries(sampleName, [histogram])],
  };
}

function heatMap(
  histogram: Extract<Histogram, { kind: '2d' }>,
  options: Pick<HistogramOptions, 'column' | 'y'>,
  title?: string,
): HistData {
  return {
    kind: '2d',
    title: title ?? histogram.name,
    xLabel: options.column,
    yLabel: options.y ?? histogram.yName,
    xEdges: histogram.xEdges,
    yEdges: histogram.yEdges,
    values: histogram.values,
    entries: histogram.entries,
  };
}
