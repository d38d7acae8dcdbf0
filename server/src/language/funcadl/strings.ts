import type { Expr, PyValue } from './ast';
import { syntaxError } from './errors';
import { ABBREVIATIONS, NAME_BLOCKS } from './unicodeNames';

/** What a run of adjacent string tokens evaluates to: a constant, or an f-string's replacement-field expressions. */
export type StringResult =
  { readonly kind: 'constant'; readonly value: PyValue } | { readonly kind: 'fstring'; readonly fields: Expr[] };

/** Parses the expression inside an f-string replacement field; `offset` is where `source` starts in the text. */
export type FieldParser = (source: string, offset: number) => Expr;

/**
 * Evaluates adjacent string literals (`'a' "b"` is one constant), as Python's parser does after tokenizing. Errors in
 * escapes are reported where CPython reports them: at the token that follows the strings (`errorAt`).
 */
export function evaluateStrings(
  text: string,
  tokens: readonly { start: number; end: number }[],
  errorAt: number,
  parseField: FieldParser,
): StringResult {
  if (tokens.length === 1) {
    // The common case, a plain quoted string without escapes, needs no decoding.
    const { start, end } = tokens[0];
    const quote = text.charCodeAt(start);
    if ((quote === 39 || quote === 34) && end - start >= 2 && text.charCodeAt(start + 1) !== quote) {
      const body = text.slice(start + 1, end - 1);
      if (!body.includes('\\') && !body.includes('\r'))
        return { kind: 'constant', value: { type: 'str', value: body } };
    }
  }
  let sawBytes = false;
  let sawText = false;
  let fields: Expr[] | undefined;
  let str = '';
  const bytes: number[] = [];
  for (const token of tokens) {
    const raw = text.slice(token.start, token.end);
    const quoteAt = raw.search(/['"]/);
    const prefix = raw.slice(0, quoteAt).toLowerCase();
    const quoteWidth = raw.startsWith(raw[quoteAt].repeat(3), quoteAt) && raw.length - quoteAt >= 6 ? 3 : 1;
    const body = raw.slice(quoteAt + quoteWidth, raw.length - quoteWidth).replace(/\r\n?/g, '\n');
    const bodyStart = token.start + quoteAt + quoteWidth;
    const isBytes = prefix.includes('b');
    if (isBytes ? sawText : sawBytes) throw syntaxError('cannot mix bytes and nonbytes literals', errorAt);
    if (isBytes) sawBytes = true;
    else sawText = true;
    const isRaw = prefix.includes('r');
    if (isBytes) {
      for (let i = 0; i < body.length; i++) {
        if (body.charCodeAt(i) >= 128) {
          throw syntaxError('bytes can only contain ASCII literal characters', token.start, token.end);
        }
      }
      if (isRaw) for (let i = 0; i < body.length; i++) bytes.push(body.charCodeAt(i));
      else decodeBytes(body, bytes, errorAt);
    } else if (prefix.includes('f')) {
      fields ??= [];
      const literal = scanFString(body, bodyStart, isRaw, errorAt, parseField, fields);
      str += literal;
    } else {
      str += isRaw ? body : decodeEscapes(body, errorAt);
    }
  }
  if (fields) return { kind: 'fstring', fields };
  return { kind: 'constant', value: sawBytes ? { type: 'bytes', value: bytes } : { type: 'str', value: str } };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';

/** Decodes the escapes of a non-raw str literal body, with CPython's 'unicodeescape' error messages. */
function decodeEscapes(body: string, errorAt: number): string {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  // CPython decodes a copy of the body in which each non-ASCII character became a ten-byte `\U` escape, so the
  // positions in its messages count those characters ten times; `position` keeps that count.
  let position = 0;
  const fail = (from: number, to: number, reason: string): never => {
    throw syntaxError(
      `(unicode error) 'unicodeescape' codec can't decode bytes in position ${from}-${to - 1}: ${reason}`,
      errorAt,
    );
  };
  while (i < body.length) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      const unit = body.charCodeAt(i);
      position += unit < 128 ? 1 : unit >= 0xd800 && unit <= 0xdfff ? 5 : 10;
      i++;
      continue;
    }
    const escapeStart = position;
    const e = body[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      position += 2;
    } else if (isOctal(e)) {
      let j = i + 1;
      let value = 0;
      while (j < body.length && j < i + 4 && isOctal(body[j])) value = value * 8 + Number(body[j++]);
      out += String.fromCodePoint(value);
      position += j - i;
      i = j;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      let j = i + 2;
      while (j < i + 2 + width && isHex(body[j])) j++;
      const label = e === 'x' ? 'XX' : e === 'u' ? 'XXXX' : 'XXXXXXXX';
      if (j < i + 2 + width) fail(escapeStart, escapeStart + (j - i), `truncated \\${e}${label} escape`);
      const value = parseInt(body.slice(i + 2, j), 16);
      if (value > 0x10ffff) fail(escapeStart, escapeStart + (j - i), 'illegal Unicode character');
      out += String.fromCodePoint(value);
      position += j - i;
      i = j;
    } else if (e === 'N') {
      const close = body[i + 2] === '{' ? body.indexOf('}', i + 3) : -1;
      if (close < 0 || close === i + 3) {
        const consumed = Math.min(body.length - i, body[i + 2] === '{' ? 3 : 2);
        fail(escapeStart, escapeStart + consumed, 'malformed \\N character escape');
      }
      const codePoint = lookupCharacterName(body.slice(i + 3, close));
      if (codePoint === undefined) fail(escapeStart, escapeStart + (close + 1 - i), 'unknown Unicode character name');
      out += String.fromCodePoint(codePoint!);
      position += close + 1 - i;
      i = close + 1;
    } else {
      // Unknown escapes stay as written (Python only warns about them).
      out += '\\';
      i += 1;
      position += 1;
    }
  }
  return out;
}

/** Decodes the escapes of a non-raw bytes literal body into `out`. */
function decodeBytes(body: string, out: number[], errorAt: number): void {
  for (let i = 0; i < body.length;) {
    const c = body[i];
    if (c !== '\\') {
      out.push(body.charCodeAt(i++));
      continue;
    }
    const e = body[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      const s = SIMPLE_ESCAPES[e];
      if (s) out.push(s.charCodeAt(0));
      i += 2;
    } else if (isOctal(e)) {
      let j = i + 1;
      let value = 0;
      while (j < body.length && j < i + 4 && isOctal(body[j])) value = value * 8 + Number(body[j++]);
      out.push(value & 0xff);
      i = j;
    } else if (e === 'x') {
      if (!isHex(body[i + 2]) || !isHex(body[i + 3])) {
        throw syntaxError(`(value error) invalid \\x escape at position ${i}`, errorAt);
      }
      out.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 4;
    } else {
      out.push(92);
      i += 1;
    }
  }
}

/**
 * Splits an f-string body into its literal text and replacement fields, parsing each field's expression. Only what a
 * query could plausibly contain is modelled; the result is always rejected by qastle anyway.
 */
function scanFString(
  body: string,
  bodyStart: number,
  isRaw: boolean,
  errorAt: number,
  parseField: FieldParser,
  fields: Expr[],
): string {
  let literal = '';
  let i = 0;
  const fail = (message: string): never => {
    throw syntaxError(`f-string: ${message}`, errorAt);
  };
  while (i < body.length) {
    const c = body[i];
    if (c === '}') {
      if (body[i + 1] !== '}') fail("single '}' is not allowed");
      literal += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      literal += c;
      i++;
      continue;
    }
    if (body[i + 1] === '{') {
      literal += '{';
      i += 2;
      continue;
    }
    let depth = 0;
    let j = i + 1;
    let quote = '';
    for (; j < body.length; j++) {
      const d = body[j];
      if (quote) {
        if (d === quote) quote = '';
      } else if (d === "'" || d === '"') quote = d;
      else if ('([{'.includes(d)) depth++;
      else if (')]}'.includes(d)) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (d === '!' || d === ':') && body[j + 1] !== '=') break;
    }
    const source = body.slice(i + 1, j).replace(/=\s*$/, '');
    if (j >= body.length) fail("expecting '}'");
    if (source.trim() === '') fail('empty expression not allowed');
    fields.push(parseField(`(${source})`, bodyStart + i));
    if (body[j] === '!') {
      if (!'sra'.includes(body[j + 1] ?? 'x') || !body[j + 1]) {
        fail("invalid conversion character: expected 's', 'r', or 'a'");
      }
      j += 2;
    }
    if (body[j] === ':') {
      let nested = 0;
      for (j++; j < body.length && !(body[j] === '}' && nested === 0); j++) {
        if (body[j] === '{') nested++;
        else if (body[j] === '}') nested--;
      }
    }
    if (body[j] !== '}') fail("expecting '}'");
    i = j + 1;
  }
  return isRaw ? literal : decodeEscapes(literal, errorAt);
}

let characterNames: Map<string, number> | undefined;

/** The code point a `\N{…}` name stands for, from the bundled subset of Unicode names (case-insensitive). */
export function lookupCharacterName(name: string): number | undefined {
  const upper = name.toUpperCase();
  const cjk = /^CJK UNIFIED IDEOGRAPH-([0-9A-F]{4,5})$/.exec(upper);
  if (cjk) return parseInt(cjk[1], 16);
  if (!characterNames) {
    characterNames = new Map();
    for (const [first, packed] of NAME_BLOCKS) {
      const names = packed.replace(/%(.)/g, (_, key: string) => ABBREVIATIONS[key] ?? '').split(';');
      names.forEach((n, index) => {
        if (n) characterNames!.set(n, first + index);
      });
    }
  }
  return characterNames.get(upper);
}
