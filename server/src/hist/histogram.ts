import type { AxisSpec } from './binning';

// What the engine hands out: bins only, in plain arrays so that the result can cross a worker boundary or a webview
// message as it is. Flow bins are kept apart from `values`, as the panel's protocol has them.

/** A 1-D histogram: filled from a column, or read from a file. */
export interface Histogram1D {
  readonly kind: '1d';
  /** What was binned: a column or branch name, or the stored histogram's name. */
  readonly name: string;
  readonly title?: string;
  readonly axis: AxisSpec;
  /** N + 1 increasing edges for N bins. */
  readonly edges: number[];
  readonly values: number[];
  /** Sums of squared weights per bin; absent for unweighted counts (the variance is the count). */
  readonly variances?: number[];
  readonly underflow: number;
  readonly overflow: number;
  readonly underflowVariance?: number;
  readonly overflowVariance?: number;
  /** Values filled, flow and NaN included. */
  readonly entries: number;
  /** Weighted mean and standard deviation of the finite values filled; absent for a stored histogram without them. */
  readonly mean?: number;
  readonly stdDev?: number;
}

/** A 2-D histogram; `values[i][j]` is x bin i, y bin j, without flow. */
export interface Histogram2D {
  readonly kind: '2d';
  readonly name: string;
  readonly title?: string;
  readonly xName: string;
  readonly yName: string;
  readonly xAxis: AxisSpec;
  readonly yAxis: AxisSpec;
  readonly xEdges: number[];
  readonly yEdges: number[];
  readonly values: number[][];
  readonly variances?: number[][];
  /** Every cell with flow, `(ny + 2) * cellX + cellY`, cell 0 being underflow on each axis; for UHI output. */
  readonly flowValues: number[];
  readonly flowVariances?: number[];
  readonly entries: number;
}

export type Histogram = Histogram1D | Histogram2D;
