import type { Hist1D, Hist2D, ViewOptions } from '../protocol';
import { drawn1D, formatTick, logTicks, niceTicks, statsOf, type DrawnSeries } from './model';

// SVG text for a histogram, built as a string so that the same picture is shown, exported to SVG and rasterised to
// PNG. Colours and fonts come in through `Theme`, which the panel reads from VS Code's CSS variables.

export interface Theme {
  readonly foreground: string;
  readonly background: string;
  readonly grid: string;
  readonly font: string;
  readonly fontSize: number;
  /** Series colours, in order. */
  readonly palette: readonly string[];
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What the pointer is over, for the hover read-out. */
export interface Hover {
  readonly text: string;
}

export interface Plot {
  readonly svg: string;
  /** How many cells the keyboard read-out steps through. */
  readonly cells: number;
  /** The read-out for a point in the SVG's coordinates, or undefined outside the bins. */
  hit(x: number, y: number): Hover | undefined;
  /** The read-out of cell `i` (bins in order; for 2-D, x-major). */
  describe(i: number): Hover;
}

const MARGIN = { left: 68, right: 18, top: 30, bottom: 46 };
const RATIO_SHARE = 0.28;

/** Escapes text for SVG content and attribute values; names come from files and must not inject markup. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

interface Frame {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

class Scale {
  constructor(
    private readonly lo: number,
    private readonly hi: number,
    private readonly from: number,
    private readonly to: number,
    readonly log = false,
  ) {}

  at(value: number): number {
    const t = this.log
      ? (Math.log10(Math.max(value, this.lo)) - Math.log10(this.lo)) / (Math.log10(this.hi) - Math.log10(this.lo))
      : (value - this.lo) / (this.hi - this.lo || 1);
    return this.from + t * (this.to - this.from);
  }

  ticks(): number[] {
    return this.log ? logTicks(this.lo, this.hi) : niceTicks(this.lo, this.hi);
  }
}

function svgOpen(size: Size, theme: Theme): string {
  const font = escapeXml(theme.font);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}" ` +
    `viewBox="0 0 ${size.width} ${size.height}" font-family="${font}" font-size="${theme.fontSize}">` +
    `<rect width="100%" height="100%" fill="${escapeXml(theme.background)}"/>`
  );
}

function text(x: number, y: number, content: string, theme: Theme, anchor = 'middle', extra = ''): string {
  return `<text x="${r(x)}" y="${r(y)}" fill="${escapeXml(theme.foreground)}" text-anchor="${anchor}"${extra}>${escapeXml(content)}</text>`;
}

const r = (value: number) => Math.round(value * 100) / 100;

function axes(frame: Frame, x: Scale, y: Scale, theme: Theme, labels: { x?: string; y?: string }): string {
  const fg = escapeXml(theme.foreground);
  const grid = escapeXml(theme.grid);
  const parts = [
    `<rect x="${r(frame.x0)}" y="${r(frame.y1)}" width="${r(frame.x1 - frame.x0)}" height="${r(frame.y0 - frame.y1)}" fill="none" stroke="${fg}"/>`,
  ];
  for (const t of y.ticks()) {
    const py = y.at(t);
    if (py < frame.y1 - 0.5 || py > frame.y0 + 0.5) continue;
    parts.push(`<line x1="${r(frame.x0)}" x2="${r(frame.x1)}" y1="${r(py)}" y2="${r(py)}" stroke="${grid}"/>`);
    parts.push(text(frame.x0 - 6, py + theme.fontSize / 3, formatTick(t), theme, 'end'));
  }
  for (const t of x.ticks()) {
    const px = x.at(t);
    if (px < frame.x0 - 0.5 || px > frame.x1 + 0.5) continue;
    parts.push(`<line x1="${r(px)}" x2="${r(px)}" y1="${r(frame.y0)}" y2="${r(frame.y0 + 5)}" stroke="${fg}"/>`);
    if (labels.x !== undefined) parts.push(text(px, frame.y0 + 6 + theme.fontSize, formatTick(t), theme));
  }
  if (labels.x) parts.push(text((frame.x0 + frame.x1) / 2, frame.y0 + 2 * theme.fontSize + 14, labels.x, theme));
  if (labels.y) {
    const cy = (frame.y0 + frame.y1) / 2;
    parts.push(text(16, cy, labels.y, theme, 'middle', ` transform="rotate(-90 16 ${r(cy)})"`));
  }
  return parts.join('');
}

/**
 * A series as one path of horizontal and vertical moves, in whole hundredths of a pixel (drawn inside a
 * `scale(0.01)` group, since writing integers is several times faster than writing decimals). Bins narrower than a
 * pixel that share a pixel column are drawn as what that column can show: the first height, the lowest, the highest
 * and the last. So 10,000 bins across 1,000 pixels cost about as much as 1,000.
 */
function seriesPath(series: DrawnSeries, edges: readonly number[], x: Scale, y: Scale, filled: boolean): string {
  const hundredths = (px: number) => Math.round(px * 100);
  const xs = edges.map((edge) => hundredths(x.at(edge)));
  const tops = series.values.map((value, i) => hundredths(y.at(series.base[i] + value)));
  const path = new StepPath(xs[0], filled ? hundredths(y.at(series.base[0])) : tops[0]);
  const forward = tops.map((_, i) => i);
  path.steps(
    forward.map((i) => xs[i]),
    forward.map((i) => xs[i + 1]),
    tops,
  );
  if (filled) {
    // Back along the bottom of the band (the top of the band below, in a stack), right to left.
    const backward = forward.reverse();
    const bottoms = backward.map((i) => hundredths(y.at(series.base[i])));
    path.steps(
      backward.map((i) => xs[i + 1]),
      backward.map((i) => xs[i]),
      bottoms,
    );
    return `${path.end()}Z`;
  }
  return path.end();
}

/** Writes a path of horizontal and vertical moves, leaving out moves that go nowhere and joining horizontal ones. */
export class StepPath {
  private readonly parts: string[];
  private level: number;
  private pendingX: number | undefined;

  constructor(x: number, y: number) {
    this.parts = [`M${x},${y}`];
    this.level = y;
  }

  /** Steps at `heights`, the i-th from `starts[i]` to `ends[i]`, with those sharing a pixel column reduced. */
  steps(starts: readonly number[], ends: readonly number[], heights: readonly number[]): void {
    for (let k = 0; k < heights.length;) {
      const column = Math.floor(starts[k] / 100);
      let j = k + 1;
      while (j < heights.length && Math.floor(starts[j] / 100) === column) j++;
      this.vertical(heights[k]);
      if (j - k > 1) {
        let low = heights[k];
        let high = heights[k];
        for (let i = k + 1; i < j; i++) {
          low = Math.min(low, heights[i]);
          high = Math.max(high, heights[i]);
        }
        this.vertical(low);
        this.vertical(high);
        this.vertical(heights[j - 1]);
      }
      this.pendingX = ends[j - 1];
      k = j;
    }
  }

  end(): string {
    this.flush();
    return this.parts.join('');
  }

  private vertical(y: number): void {
    if (y === this.level) return;
    this.flush();
    this.parts.push(`V${y}`);
    this.level = y;
  }

  private flush(): void {
    if (this.pendingX !== undefined) this.parts.push(`H${this.pendingX}`);
    this.pendingX = undefined;
  }
}

/**
 * Error bars as two paths (the vertical bars, the horizontal bin-width ticks) in hundredths of a pixel, and a marker
 * per bin only while bins are at least six pixels wide: thousands of separate elements would make the webview crawl,
 * and markers narrower than that would only merge into a band.
 */
function errorBars(series: DrawnSeries, edges: readonly number[], x: Scale, y: Scale, colour: string): string {
  const hundredths = (px: number) => Math.round(px * 100);
  const bars: string[] = [];
  const ticks: string[] = [];
  const markers: string[] = [];
  const wide =
    series.values.length === 0 || (x.at(edges[edges.length - 1]) - x.at(edges[0])) / series.values.length >= 6;
  series.values.forEach((value, i) => {
    if (!Number.isFinite(value)) return;
    const top = series.base[i] + value;
    const cx = hundredths(x.at((edges[i] + edges[i + 1]) / 2));
    const cy = hundredths(y.at(top));
    const error = Number.isFinite(series.errors[i]) ? series.errors[i] : 0;
    bars.push(`M${cx},${hundredths(y.at(top - error))}V${hundredths(y.at(top + error))}`);
    ticks.push(`M${hundredths(x.at(edges[i]))},${cy}H${hundredths(x.at(edges[i + 1]))}`);
    if (wide) markers.push(`<circle cx="${cx}" cy="${cy}" r="250" fill="${colour}"/>`);
  });
  return (
    `<g transform="scale(0.01)" stroke="${colour}" stroke-width="100" fill="none">` +
    `<path d="${bars.join('')}"/><path d="${ticks.join('')}"/>${markers.join('')}</g>`
  );
}

function yRange(series: readonly DrawnSeries[], log: boolean): [number, number] {
  let max = 0;
  let minPositive = Infinity;
  for (const s of series) {
    s.values.forEach((v, i) => {
      const top = s.base[i] + v + (Number.isFinite(s.errors[i]) ? s.errors[i] : 0);
      if (Number.isFinite(top)) max = Math.max(max, top);
      const low = s.base[i] + v;
      if (low > 0 && Number.isFinite(low)) minPositive = Math.min(minPositive, low);
    });
  }
  if (log) {
    const lo = Number.isFinite(minPositive) ? minPositive / 2 : 0.1;
    return [lo, Math.max(max * 2, lo * 10)];
  }
  return [0, max > 0 ? max * 1.1 : 1];
}

/** Draws a 1-D histogram with its samples, legend, stats box and, when chosen, the ratio panel. */
export function plot1D(data: Hist1D, options: ViewOptions, theme: Theme, size: Size): Plot {
  const drawn = drawn1D(data, options);
  const { edges } = drawn;
  const hasRatio = drawn.ratio !== undefined;
  const plotBottom = hasRatio ? size.height * (1 - RATIO_SHARE) : size.height - MARGIN.bottom;
  const main: Frame = { x0: MARGIN.left, x1: size.width - MARGIN.right, y0: plotBottom, y1: MARGIN.top };
  const x = new Scale(edges[0], edges[edges.length - 1], main.x0, main.x1);
  const [ylo, yhi] = yRange(drawn.series, options.logY);
  const y = new Scale(ylo, yhi, main.y0, main.y1, options.logY);
  const colour = (i: number) => escapeXml(theme.palette[i % theme.palette.length]);
  const yLabel = options.normalise ? 'Density' : 'Entries';
  const parts = [svgOpen(size, theme), text(size.width / 2, 18, data.title, theme)];
  parts.push(axes(main, x, y, theme, hasRatio ? { y: yLabel } : { x: data.xLabel, y: yLabel }));
  // Stacks are drawn top band first so that each band's outline stays visible over the one below.
  const order = drawn.series.map((_, i) => i);
  if (options.combine === 'stack') order.reverse();
  for (const i of order) {
    const s = drawn.series[i];
    if (options.style === 'errorbar') parts.push(errorBars(s, edges, x, y, colour(i)));
    else {
      const filled = options.style === 'filled' || options.combine === 'stack';
      const fill = filled ? `fill="${colour(i)}" fill-opacity="0.45"` : 'fill="none"';
      const d = seriesPath(s, edges, x, y, filled);
      parts.push(`<g transform="scale(0.01)"><path d="${d}" ${fill} stroke="${colour(i)}" stroke-width="150"/></g>`);
    }
  }
  parts.push(legendAndStats(data, drawn.series, main, theme, colour));
  if (drawn.ratio) {
    const frame: Frame = { x0: main.x0, x1: main.x1, y0: size.height - MARGIN.bottom, y1: plotBottom + 10 };
    const ys = new Scale(0, 2, frame.y0, frame.y1);
    parts.push(axes(frame, x, ys, theme, { x: data.xLabel, y: `Ratio to ${drawn.ratio.reference}` }));
    parts.push(
      `<line x1="${r(frame.x0)}" x2="${r(frame.x1)}" y1="${r(ys.at(1))}" y2="${r(ys.at(1))}" stroke="${escapeXml(theme.foreground)}" stroke-dasharray="4 3"/>`,
    );
    drawn.ratio.series.forEach((s, i) => {
      const clipped = { ...s, values: s.values.map((v) => (v > 2 ? NaN : v)) };
      parts.push(errorBars(clipped, edges, x, ys, colour(i)));
    });
  }
  parts.push('</svg>');
  const describe = (i: number): Hover => {
    const lines = drawn.series.map((s) => `${s.name}: ${formatTick(s.values[i])} ± ${formatTick(s.errors[i])}`);
    return { text: [`[${formatTick(edges[i])}, ${formatTick(edges[i + 1])})`, ...lines].join('\n') };
  };
  return {
    svg: parts.join(''),
    cells: edges.length - 1,
    hit: (px, py) => {
      if (px < main.x0 || px > main.x1 || py < main.y1 || py > size.height - MARGIN.bottom) return undefined;
      const i = edges.findIndex((e, k) => k < edges.length - 1 && px >= x.at(e) && px <= x.at(edges[k + 1]));
      return i < 0 ? undefined : describe(i);
    },
    describe,
  };
}

function legendAndStats(
  data: Hist1D,
  series: readonly DrawnSeries[],
  frame: Frame,
  theme: Theme,
  colour: (i: number) => string,
): string {
  const line = theme.fontSize + 4;
  const rows: { swatch?: string; text: string }[] = [];
  series.forEach((s, i) => {
    const source = data.series[i];
    const stats = statsOf(source, data.edges);
    rows.push({ swatch: colour(i), text: s.name });
    rows.push({
      text: `N ${formatTick(stats.entries)}  mean ${formatTick(stats.mean)}  std ${formatTick(stats.stdDev)}`,
    });
    rows.push({ text: `under ${formatTick(stats.underflow)}  over ${formatTick(stats.overflow)}` });
  });
  const width = Math.min(
    frame.x1 - frame.x0 - 8,
    Math.max(...rows.map((row) => row.text.length)) * theme.fontSize * 0.6 + 28,
  );
  const x0 = frame.x1 - width - 6;
  const parts = [
    `<rect x="${r(x0)}" y="${r(frame.y1 + 6)}" width="${r(width)}" height="${rows.length * line + 8}" fill="${escapeXml(theme.background)}" fill-opacity="0.85" stroke="${escapeXml(theme.grid)}"/>`,
  ];
  rows.forEach((row, k) => {
    const y = frame.y1 + 6 + (k + 1) * line;
    if (row.swatch) {
      parts.push(
        `<rect x="${r(x0 + 6)}" y="${r(y - theme.fontSize + 2)}" width="12" height="${theme.fontSize - 2}" fill="${row.swatch}"/>`,
      );
    }
    parts.push(text(x0 + 24, y, row.text, theme, 'start'));
  });
  return parts.join('');
}

/** A perceptual colour map (viridis, sampled), readable on light and dark themes. */
const VIRIDIS = [
  '#440154',
  '#482878',
  '#3e4989',
  '#31688e',
  '#26828e',
  '#1f9e89',
  '#35b779',
  '#6ece58',
  '#b5de2b',
  '#fde725',
];

export function colourFor(t: number): string {
  if (!Number.isFinite(t)) return 'none';
  const clamped = Math.min(1, Math.max(0, t));
  return VIRIDIS[Math.min(VIRIDIS.length - 1, Math.floor(clamped * VIRIDIS.length))];
}

/** Draws a 2-D histogram as a heat map with a colour bar; `logY` puts the colour scale on a log axis. */
export function plot2D(data: Hist2D, options: ViewOptions, theme: Theme, size: Size): Plot {
  const bar = 64;
  const frame: Frame = {
    x0: MARGIN.left,
    x1: size.width - MARGIN.right - bar,
    y0: size.height - MARGIN.bottom,
    y1: MARGIN.top,
  };
  const { xEdges, yEdges, values } = data;
  const x = new Scale(xEdges[0], xEdges[xEdges.length - 1], frame.x0, frame.x1);
  const y = new Scale(yEdges[0], yEdges[yEdges.length - 1], frame.y0, frame.y1);
  // A loop, not Math.max(...cells): a fine 2-D binning has more cells than a call can take arguments.
  let max = 0;
  let minPositive = Infinity;
  for (const row of values) {
    for (const v of row) {
      if (v > max && Number.isFinite(v)) max = v;
      if (v > 0 && v < minPositive) minPositive = v;
    }
  }
  if (!Number.isFinite(minPositive)) minPositive = max || 1;
  const z = options.logY
    ? new Scale(minPositive, Math.max(max, minPositive * 10), 0, 1, true)
    : new Scale(0, max || 1, 0, 1);
  const parts = [svgOpen(size, theme), text(size.width / 2, 18, data.title, theme)];
  // Neighbouring cells of a column that get the same palette colour are one rectangle.
  values.forEach((row, i) => {
    const px = x.at(xEdges[i]);
    const width = r(x.at(xEdges[i + 1]) - px);
    for (let j = 0; j < row.length;) {
      const fill = row[j] > 0 ? colourFor(z.at(row[j])) : 'none';
      let end = j + 1;
      while (end < row.length && (row[end] > 0 ? colourFor(z.at(row[end])) : 'none') === fill) end++;
      if (fill !== 'none') {
        const top = y.at(yEdges[end]);
        parts.push(
          `<rect x="${r(px)}" y="${r(top)}" width="${width}" height="${r(y.at(yEdges[j]) - top)}" fill="${fill}"/>`,
        );
      }
      j = end;
    }
  });
  parts.push(axes(frame, x, y, theme, { x: data.xLabel, y: data.yLabel }));
  const barFrame: Frame = { x0: frame.x1 + 14, x1: frame.x1 + 28, y0: frame.y0, y1: frame.y1 };
  const steps = 50;
  for (let k = 0; k < steps; k++) {
    const h = (barFrame.y0 - barFrame.y1) / steps;
    parts.push(
      `<rect x="${r(barFrame.x0)}" y="${r(barFrame.y0 - (k + 1) * h)}" width="14" height="${r(h + 0.5)}" fill="${colourFor((k + 0.5) / steps)}"/>`,
    );
  }
  const zAxis = options.logY
    ? new Scale(minPositive, Math.max(max, minPositive * 10), barFrame.y0, barFrame.y1, true)
    : new Scale(0, max || 1, barFrame.y0, barFrame.y1);
  for (const t of zAxis.ticks())
    parts.push(text(barFrame.x1 + 4, zAxis.at(t) + theme.fontSize / 3, formatTick(t), theme, 'start'));
  parts.push('</svg>');
  const ny = yEdges.length - 1;
  const describe = (cell: number): Hover => {
    const i = Math.floor(cell / ny);
    const j = cell % ny;
    const xr = `x [${formatTick(xEdges[i])}, ${formatTick(xEdges[i + 1])})`;
    const yr = `y [${formatTick(yEdges[j])}, ${formatTick(yEdges[j + 1])})`;
    return { text: `${xr}\n${yr}\n${formatTick(values[i][j])}` };
  };
  return {
    svg: parts.join(''),
    cells: (xEdges.length - 1) * ny,
    hit: (px, py) => {
      if (px < frame.x0 || px > frame.x1 || py < frame.y1 || py > frame.y0) return undefined;
      const i = xEdges.findIndex((e, k) => k < xEdges.length - 1 && px >= x.at(e) && px <= x.at(xEdges[k + 1]));
      const j = yEdges.findIndex((e, k) => k < yEdges.length - 1 && py <= y.at(e) && py >= y.at(yEdges[k + 1]));
      return i < 0 || j < 0 ? undefined : describe(i * ny + j);
    },
    describe,
  };
}
