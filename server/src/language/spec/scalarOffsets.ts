import type { Scalar } from 'yaml';
import { blockScalar } from './blockScalarOffsets';
import { OffsetBuilder as Builder, type ScalarToken } from './offsetBuilder';

/**
 * The parsed value of a YAML scalar with, for each UTF-16 unit of the value, the document range of the source text
 * that produced it. A unit made by an escape, a folded line break or a `''` pair maps to that whole source sequence.
 */
export interface ScalarText {
  readonly value: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Where an empty value sits in the document. */
  readonly anchor: number;
}

/**
 * Maps a scalar parsed with `keepSourceTokens` back to its source. The value is rebuilt with the yaml package's own
 * rules (compose/resolve-flow-scalar and resolve-block-scalar), and `undefined` is returned when the rebuilt value
 * differs from the parser's, so a caller never places a problem on the wrong character.
 */
export function mapScalar(node: Scalar): ScalarText | undefined {
  const token = (node as { srcToken?: ScalarToken }).srcToken;
  if (!token || typeof node.source !== 'string') return undefined;
  let built: Builder | undefined;
  switch (token.type) {
    case 'scalar':
      built = unfold(token.source, 0, token.source.length, token.offset);
      break;
    case 'single-quoted-scalar':
      built = token.source.length >= 2 ? singleQuoted(token) : undefined;
      break;
    case 'double-quoted-scalar':
      built = doubleQuoted(token);
      break;
    case 'block-scalar':
      built = blockScalar(token);
      break;
  }
  if (!built || built.value !== node.source) return undefined;
  const anchor = token.type === 'block-scalar' ? (node.range?.[0] ?? token.offset) : token.offset;
  return { value: built.value, starts: built.starts, ends: built.ends, anchor };
}

/** The document range of the value range [start, end), for placing a problem found in the value. */
export function toDocumentRange(text: ScalarText, start: number, end: number): { start: number; end: number } {
  const length = text.value.length;
  const s = Math.max(0, Math.min(start, length));
  const e = Math.max(s, Math.min(end, length));
  const from = s < length ? text.starts[s] : length > 0 ? text.ends[length - 1] : text.anchor;
  const to = e > s ? text.ends[e - 1] : from;
  return { start: from, end: Math.max(from, to) };
}

/** A line of a flow scalar: its content range in the source and the line break after it, if any. */
interface SourceLine {
  readonly start: number;
  readonly end: number;
  readonly breakEnd: number;
}

function splitFlowLines(source: string, from: number, to: number): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    if (source[i] !== '\n') continue;
    const end = i > start && source[i - 1] === '\r' ? i - 1 : i;
    lines.push({ start, end, breakEnd: i + 1 });
    start = i + 1;
  }
  lines.push({ start, end: to, breakEnd: to });
  return lines;
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';

/** Line folding of plain and single-quoted scalars: `unfoldLines` in resolve-flow-scalar, with offsets. */
function unfold(source: string, from: number, to: number, base: number): Builder {
  const out = new Builder();
  const lines = splitFlowLines(source, from, to);
  if (lines.length === 1) {
    out.copy(source, from, to, base);
    return out;
  }
  const trimEnd = (line: SourceLine) => {
    let end = line.end;
    while (end > line.start && isBlank(source[end - 1])) end--;
    return end;
  };
  const first = lines[0];
  out.copy(source, first.start, trimEnd(first), base);
  let sep = ' ';
  let sepAt = { start: base + first.end, end: base + first.breakEnd };
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i];
    let start = line.start;
    while (start < line.end && isBlank(source[start])) start++;
    const end = trimEnd(line);
    const lineBreak = { start: base + line.end, end: base + line.breakEnd };
    if (start >= end) {
      if (sep === '\n') out.push('\n', sepAt.start, sepAt.end);
      sep = '\n';
      sepAt = lineBreak;
    } else {
      out.push(sep, sepAt.start, sepAt.end);
      out.copy(source, start, end, base);
      sep = ' ';
      sepAt = lineBreak;
    }
  }
  const last = lines[lines.length - 1];
  let start = last.start;
  while (start < last.end && isBlank(source[start])) start++;
  out.push(sep, sepAt.start, sepAt.end);
  out.copy(source, start, last.end, base);
  return out;
}

function singleQuoted(token: ScalarToken): Builder {
  const inner = unfold(token.source, 1, token.source.length - 1, token.offset);
  // A doubled quote stands for one quote; the unit it produces covers both source quotes.
  const out = new Builder();
  for (let i = 0; i < inner.value.length; i++) {
    if (inner.value[i] === "'" && inner.value[i + 1] === "'") {
      out.push("'", inner.starts[i], inner.ends[i + 1]);
      i++;
    } else out.push(inner.value[i], inner.starts[i], inner.ends[i]);
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/** `doubleQuotedValue` in resolve-flow-scalar, with offsets. */
function doubleQuoted(token: ScalarToken): Builder | undefined {
  const { source, offset: base } = token;
  if (source.length < 2) return undefined;
  const out = new Builder();
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i];
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      // A line break folds into a space, or into one newline per following empty line.
      let folded = false;
      let next = source[i + 1];
      const breakAt = source[i - 1] === '\r' ? i - 1 : i;
      while (next === ' ' || next === '\t' || next === '\n' || next === '\r') {
        if (next === '\r' && source[i + 2] !== '\n') break;
        if (next === '\n') {
          out.push('\n', base + i + 1, base + i + 2);
          folded = true;
        }
        i += 1;
        next = source[i + 1];
      }
      if (!folded) out.push(' ', base + breakAt, base + breakAt + (source[breakAt] === '\r' ? 2 : 1));
    } else if (ch === '\\') {
      const escapeStart = i;
      let next = source[++i];
      const code = ESCAPES[next];
      if (code) out.push(code, base + escapeStart, base + i + 1);
      else if (next === '\n' || (next === '\r' && source[i + 1] === '\n')) {
        // An escaped line break joins the lines and drops the next line's indentation.
        if (next === '\r') i++;
        next = source[i + 1];
        while (next === ' ' || next === '\t') next = source[++i + 1];
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const digits = source.substr(i + 1, length);
        const code = digits.length === length && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : NaN;
        let text: string;
        try {
          text = String.fromCodePoint(code);
        } catch {
          text = source.substr(escapeStart, length + 2);
        }
        out.push(text, base + escapeStart, base + i + 1 + length);
        i += length;
      } else out.copy(source, escapeStart, escapeStart + 2, base);
    } else if (ch === ' ' || ch === '\t') {
      // Blanks before a line break are dropped; elsewhere they are kept.
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) out.copy(source, wsStart, i + 1, base);
    } else out.copy(source, i, i + 1, base);
  }
  return out;
}
