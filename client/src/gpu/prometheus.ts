/**
 * A parser of the Prometheus text exposition format (version 0.0.4), which Triton's metrics port speaks
 * (servicex-facts.md §7.3). It is tolerant: a line it cannot read is skipped and counted, never thrown, so one broken
 * exporter line costs one series and not the whole GPU view.
 */

/** One sample line: `name{labels} value [timestamp]`. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** May be NaN or ±Infinity, as the format allows. */
  readonly value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  readonly timestampMs?: number;
}

/** A metric type from a `# TYPE` line. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** What a page holds: its samples in order, the declared types and help texts, and the lines that were skipped. */
export interface ParsedMetrics {
  readonly samples: Sample[];
  readonly types: Map<string, MetricType>;
  readonly help: Map<string, string>;
  /** How many lines could not be read. */
  readonly skipped: number;
  /** The 1-based numbers of the first few skipped lines, for a message. */
  readonly skippedLines: number[];
}

const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const MAX_SKIPPED_LINES_KEPT = 10;

/** Parses a whole page; never throws. */
export function parsePrometheus(text: string): ParsedMetrics {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const skippedLines: number[] = [];
  let skipped = 0;
  const skip = (lineNumber: number) => {
    skipped++;
    if (skippedLines.length < MAX_SKIPPED_LINES_KEPT) skippedLines.push(lineNumber);
  };
  let start = 0;
  for (let lineNumber = 1; start < text.length; lineNumber++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    // Only a line that starts with a blank pays for trimming.
    const first = line.charCodeAt(0);
    if (first === SPACE || first === TAB) {
      line = line.trim();
      if (line === '') continue;
    } else if (line === '') {
      continue;
    }
    if (line.charCodeAt(0) === HASH) {
      if (!readComment(line, types, help)) skip(lineNumber);
      continue;
    }
    const sample = readSample(line);
    if (sample) samples.push(sample);
    else skip(lineNumber);
  }
  return { samples, types, help, skipped, skippedLines };
}

const HASH = 35; // '#'
const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34; // '"'
const BACKSLASH = 92;
const EQUALS = 61;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Reads `# HELP` and `# TYPE`; other comments are fine and ignored. False for a HELP or TYPE line that is broken. */
function readComment(line: string, types: Map<string, MetricType>, help: Map<string, string>): boolean {
  const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
  if (!match) return !/^#\s+(HELP|TYPE)\b/.test(line);
  const [, keyword, name, rest = ''] = match;
  if (!isMetricName(name)) return false;
  if (keyword === 'TYPE') {
    const type = rest.trim();
    if (!TYPES.has(type)) return false;
    types.set(name, type as MetricType);
  } else {
    help.set(
      name,
      rest.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')),
    );
  }
  return true;
}

/** Reads one sample line, or undefined when any part of it is broken. */
function readSample(line: string): Sample | undefined {
  const length = line.length;
  let i = 0;
  while (i < length && isNameChar(line.charCodeAt(i), i === 0, true)) i++;
  if (i === 0) return undefined;
  const name = line.slice(0, i);
  const labels: Record<string, string> = {};
  if (line.charCodeAt(i) === OPEN_BRACE) {
    i = readLabels(line, i + 1, labels);
    if (i < 0) return undefined;
  }
  // At least one blank separates the name or labels from the value.
  const afterName = i;
  i = skipBlanks(line, i);
  if (i === afterName || i >= length) return undefined;
  let end = i;
  while (end < length && !isBlank(line.charCodeAt(end))) end++;
  const value = readValue(line.slice(i, end));
  if (value === undefined) return undefined;
  i = skipBlanks(line, end);
  if (i >= length) return { name, labels, value };
  end = i;
  while (end < length && !isBlank(line.charCodeAt(end))) end++;
  const timestamp = line.slice(i, end);
  if (skipBlanks(line, end) < length || !INTEGER.test(timestamp)) return undefined;
  return { name, labels, value, timestampMs: Number(timestamp) };
}

/** Reads `name="value",…}` from `from`; returns the index after the closing brace, or -1. */
function readLabels(line: string, from: number, labels: Record<string, string>): number {
  let i = from;
  for (;;) {
    i = skipBlanks(line, i);
    if (line.charCodeAt(i) === CLOSE_BRACE) return i + 1;
    const start = i;
    while (i < line.length && isNameChar(line.charCodeAt(i), i === start, false)) i++;
    if (i === start) return -1;
    const label = line.slice(start, i);
    i = skipBlanks(line, i);
    if (line.charCodeAt(i) !== EQUALS) return -1;
    i = skipBlanks(line, i + 1);
    if (line.charCodeAt(i) !== QUOTE) return -1;
    i++;
    const close = closingQuote(line, i);
    if (close < 0) return -1;
    const raw = line.slice(i, close);
    const value = raw.indexOf('\\') < 0 ? raw : unescapeLabel(raw);
    i = close + 1;
    if (Object.prototype.hasOwnProperty.call(labels, label)) return -1;
    // A label called __proto__ must stay a label and not become the object's prototype.
    if (label === '__proto__') Object.defineProperty(labels, label, { value, enumerable: true, writable: true });
    else labels[label] = value;
    i = skipBlanks(line, i);
    const next = line.charCodeAt(i);
    if (next === COMMA) i++;
    else if (next !== CLOSE_BRACE) return -1;
  }
}

/** The index of the quote that ends a label value starting at `from`, skipping escaped characters; -1 if none. */
function closingQuote(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The format defines three escapes; any other backslash is kept as it is, as Prometheus does. */
function unescapeLabel(raw: string): string {
  return raw.replace(/\\([\\"n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function skipBlanks(line: string, from: number): number {
  let i = from;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** A value: a decimal float, or NaN, +Inf, -Inf (case as Go's ParseFloat accepts them). */
function readValue(token: string): number | undefined {
  if (FLOAT.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case 'nan':
      return NaN;
    case '+inf':
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return undefined;
  }
}

/** Metric names may hold colons; label names may not. Neither starts with a digit. */
function isNameChar(code: number, first: boolean, colon: boolean): boolean {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95) return true;
  if (colon && code === 58) return true;
  return !first && code >= 48 && code <= 57;
}

function isMetricName(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (!isNameChar(name.charCodeAt(i), i === 0, true)) return false;
  return name.length > 0;
}
