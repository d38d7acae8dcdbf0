import { HistError } from './errors';

// Bin contents follow numpy.histogram: bin i holds edges[i] <= x < edges[i + 1], the last bin is closed on the right,
// and regular edges are numpy.linspace's. Values outside the edges, which numpy drops, are counted in underflow and
// overflow; NaN goes to overflow, as in boost-histogram.

/** A binning of one axis: evenly spaced bins, or explicit increasing edges. */
export type AxisSpec =
  | { readonly type: 'regular'; readonly bins: number; readonly lower: number; readonly upper: number }
  | { readonly type: 'variable'; readonly edges: readonly number[] };

/** An axis ready for filling: its edges and a function from a value to a cell (0 underflow, bins + 1 overflow). */
export interface Axis {
  readonly spec: AxisSpec;
  readonly bins: number;
  readonly edges: Float64Array;
  cell(x: number): number;
  /** For evenly spaced bins: what the fill's inlined fast path needs (the same rule as `cell`). */
  readonly regular?: { readonly lower: number; readonly upper: number; readonly norm: number };
}

/** Checks a binning and builds the axis that fills it. */
export function makeAxis(spec: AxisSpec): Axis {
  if (spec.type === 'regular') {
    const { bins, lower, upper } = spec;
    if (!Number.isInteger(bins) || bins < 1)
      throw new HistError('invalid', `The number of bins must be a whole number of at least 1, not ${bins}.`);
    if (!Number.isFinite(lower) || !Number.isFinite(upper) || !(lower < upper)) {
      throw new HistError('invalid', `The range must be two finite numbers with LO < HI, not ${lower}:${upper}.`);
    }
    return regularAxis(spec, bins, lower, upper);
  }
  const edges = Float64Array.from(spec.edges);
  if (edges.length < 2) throw new HistError('invalid', 'Variable bins need at least two edges.');
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) throw new HistError('invalid', `Bin edge ${edges[i]} is not a finite number.`);
    if (i > 0 && !(edges[i - 1] < edges[i])) {
      throw new HistError(
        'invalid',
        `Bin edges must increase strictly, but ${edges[i - 1]} is followed by ${edges[i]}.`,
      );
    }
  }
  return { spec, bins: edges.length - 1, edges, cell: (x) => searchCell(edges, x) };
}

/** numpy.linspace(lower, upper, bins + 1), computed the way numpy does so that the edges agree to the last bit. */
export function linspace(lower: number, upper: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const step = (upper - lower) / bins;
  for (let i = 0; i <= bins; i++) edges[i] = step === 0 ? (i / bins) * (upper - lower) + lower : i * step + lower;
  edges[bins] = upper;
  return edges;
}

function regularAxis(spec: AxisSpec, bins: number, lower: number, upper: number): Axis {
  const edges = linspace(lower, upper, bins);
  const norm = bins / (upper - lower);
  const last = bins - 1;
  return {
    spec,
    bins,
    edges,
    regular: { lower, upper, norm },
    cell(x: number): number {
      if (x >= lower && x <= upper) {
        // numpy's fast path: scale, truncate, then correct by one bin where rounding put the value on the wrong side
        // of a linspace edge.
        let i = Math.trunc((x - lower) * norm);
        if (i === bins) i = last;
        if (x < edges[i]) i--;
        else if (i !== last && x >= edges[i + 1]) i++;
        return i + 1;
      }
      return x < lower ? 0 : bins + 1;
    },
  };
}

function searchCell(edges: Float64Array, x: number): number {
  const bins = edges.length - 1;
  if (!(x >= edges[0])) return x < edges[0] ? 0 : bins + 1;
  if (x > edges[bins]) return bins + 1;
  if (x === edges[bins]) return bins;
  // The largest i with edges[i] <= x.
  let low = 0;
  let high = bins;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (edges[mid] <= x) low = mid;
    else high = mid;
  }
  return low + 1;
}

/** A minimum and maximum over the finite values seen, for the automatic range's first pass. */
export class RangeFinder {
  min = Infinity;
  max = -Infinity;

  add(values: ArrayLike<number>): void {
    let { min, max } = this;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x < min && x !== -Infinity) min = x;
      if (x > max && x !== Infinity) max = x;
    }
    this.min = min;
    this.max = max;
  }

  /** Takes a known minimum and maximum, from a file's statistics, as if the values had been seen. */
  addRange(min: number, max: number): void {
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
  }

  /** The range numpy would pick for these values: [0, 1] when there are none, ±0.5 around a single value. */
  range(): [number, number] {
    if (this.min > this.max) return [0, 1];
    if (this.min === this.max) return [this.min - 0.5, this.max + 0.5];
    return [this.min, this.max];
  }
}

/** Running sums for the stats box: the mean and standard deviation of the filled values, flow included. */
export interface Moments {
  sumW: number;
  sumWX: number;
  sumWX2: number;
}

/** Fills one axis chunk by chunk; `counts` has a cell per bin plus underflow (first) and overflow (last). */
export class Filler1D {
  readonly counts: Float64Array;
  /** Per-cell sums of squared weights, only when weights were given. */
  readonly sumw2: Float64Array | undefined;
  entries = 0;
  readonly moments: Moments = { sumW: 0, sumWX: 0, sumWX2: 0 };

  constructor(
    readonly axis: Axis,
    readonly weighted: boolean,
  ) {
    this.counts = new Float64Array(axis.bins + 2);
    this.sumw2 = weighted ? new Float64Array(axis.bins + 2) : undefined;
  }

  /** Adds `values` (with `weights` of the same length when the filler is weighted). */
  fill(values: ArrayLike<number>, weights?: ArrayLike<number>): void {
    checkWeights(this.weighted, values, weights);
    if (!weights && this.axis.regular) {
      this.fillRegular(values, this.axis.regular);
      return;
    }
    this.fillEach(values, weights);
  }

  /** The fill of any axis, weighted or not: a cell per value through the axis's own rule. */
  private fillEach(values: ArrayLike<number>, weights: ArrayLike<number> | undefined): void {
    const { counts, sumw2, axis, moments } = this;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      const w = weights ? weights[i] : 1;
      const c = axis.cell(x);
      counts[c] += w;
      if (sumw2) sumw2[c] += w * w;
      if (Number.isFinite(x)) {
        moments.sumW += w;
        moments.sumWX += w * x;
        moments.sumWX2 += w * x * x;
      }
    }
    this.entries += values.length;
  }

  /** The unweighted fill of evenly spaced bins (see `fillPairs`), then the sums of the values outside the range. */
  private fillRegular(values: ArrayLike<number>, regular: { lower: number; upper: number; norm: number }): void {
    const { edges, bins } = this.axis;
    const stride = bins + 2;
    const pair = new Float64Array(2 * stride);
    const sums = new Float64Array(2);
    const n = values.length;
    const even = n - (n % 2);
    fillPairs(values, edges, regular, pair, sums);
    const { counts, moments } = this;
    for (let c = 0; c < stride; c++) counts[c] += pair[c] + pair[stride + c];
    moments.sumW += even;
    moments.sumWX += sums[0];
    moments.sumWX2 += sums[1];
    this.entries += even;
    // Values outside the range are rare, and adding them to the sums inside the loop slows it down even when there
    // are none; so when there were some, a second pass puts them in. NaN and the infinities are in no sum.
    if (pair[0] + pair[bins + 1] + pair[stride] + pair[stride + bins + 1] > 0) {
      addOutside(values, even, regular, moments);
    }
    // An odd value out goes through the axis's own rule.
    if (even < n) this.fillEach([values[n - 1]], undefined);
  }
}

/**
 * The hot loop of every histogram of a column: values, taken in pairs, into two copies of the counts (`pair`, one
 * after the other) and two sets of sums, so that a value never waits for the previous one's increment to land; with
 * the cell rule written out in the loop rather than called, this makes the fill about twice as fast. The rule is
 * exactly the regular axis's `cell` (numpy's scale, truncate and correct). Only values inside the range are summed,
 * into `sums` (sum, sum of squares). It is a function of its arguments alone, with nothing after the loop but two
 * stores: V8 compiles the loop while it runs, before the code after it has ever run, and a method that went on to
 * read its object's fields there lost that compiled code at the end of every call.
 */
function fillPairs(
  values: ArrayLike<number>,
  edges: Float64Array,
  regular: { lower: number; upper: number; norm: number },
  pair: Float64Array,
  sums: Float64Array,
): void {
  const { lower, upper, norm } = regular;
  const bins = edges.length - 1;
  const last = bins - 1;
  const stride = bins + 2;
  let sumA = 0;
  let squaresA = 0;
  let sumB = 0;
  let squaresB = 0;
  const n = values.length;
  for (let k = 0; k + 1 < n; k += 2) {
    const a = values[k];
    const b = values[k + 1];
    if (a >= lower && a <= upper) {
      let i = ((a - lower) * norm) | 0;
      if (i === bins) i = last;
      if (a < edges[i]) i--;
      else if (i !== last && a >= edges[i + 1]) i++;
      pair[i + 1]++;
      sumA += a;
      squaresA += a * a;
    } else pair[a < lower ? 0 : bins + 1]++;
    if (b >= lower && b <= upper) {
      let j = ((b - lower) * norm) | 0;
      if (j === bins) j = last;
      if (b < edges[j]) j--;
      else if (j !== last && b >= edges[j + 1]) j++;
      pair[stride + j + 1]++;
      sumB += b;
      squaresB += b * b;
    } else pair[stride + (b < lower ? 0 : bins + 1)]++;
  }
  sums[0] = sumA + sumB;
  sums[1] = squaresA + squaresB;
}

/** Adds the finite values of `values[0, count)` outside [lower, upper] to the moments; takes NaN and ±∞ out of sumW. */
function addOutside(
  values: ArrayLike<number>,
  count: number,
  regular: { lower: number; upper: number },
  moments: Moments,
): void {
  const { lower, upper } = regular;
  for (let k = 0; k < count; k++) {
    const x = values[k];
    if (x >= lower && x <= upper) continue;
    if (x > -Infinity && x < Infinity) {
      moments.sumWX += x;
      moments.sumWX2 += x * x;
    } else moments.sumW--;
  }
}

/** Fills two axes from pairs of values; `counts[(bins_y + 2) * cellX + cellY]`, flow cells included. */
export class Filler2D {
  readonly counts: Float64Array;
  readonly sumw2: Float64Array | undefined;
  entries = 0;

  constructor(
    readonly x: Axis,
    readonly y: Axis,
    readonly weighted: boolean,
  ) {
    const cells = (x.bins + 2) * (y.bins + 2);
    this.counts = new Float64Array(cells);
    this.sumw2 = weighted ? new Float64Array(cells) : undefined;
  }

  fill(xs: ArrayLike<number>, ys: ArrayLike<number>, weights?: ArrayLike<number>): void {
    if (xs.length !== ys.length) {
      throw new HistError(
        'invalid',
        `The two columns have different lengths (${xs.length} and ${ys.length}) and cannot be paired.`,
      );
    }
    checkWeights(this.weighted, xs, weights);
    const stride = this.y.bins + 2;
    const { counts, sumw2 } = this;
    for (let i = 0; i < xs.length; i++) {
      const w = weights ? weights[i] : 1;
      const c = this.x.cell(xs[i]) * stride + this.y.cell(ys[i]);
      counts[c] += w;
      if (sumw2) sumw2[c] += w * w;
    }
    this.entries += xs.length;
  }
}

function checkWeights(weighted: boolean, values: ArrayLike<number>, weights: ArrayLike<number> | undefined): void {
  if (weighted !== (weights !== undefined))
    throw new Error('weights must be given to a weighted filler, and only to it');
  if (weights && weights.length !== values.length) {
    throw new HistError(
      'invalid',
      `The weight column has ${weights.length} values where the binned column has ${values.length}; they must match one to one.`,
    );
  }
}
