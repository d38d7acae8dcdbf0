import type { PyValue } from './ast';
import { PyError, syntaxError } from './errors';

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHexDigit = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isOctDigit = (c: number) => c >= 48 && c <= 55;
const isBinDigit = (c: number) => c === 48 || c === 49;
/** Characters that may continue an identifier, as the tokenizer sees them (anything outside ASCII counts). */
export const isIdentifierChar = (c: number) => isAsciiIdentifierChar(c) || c >= 128;
/** ASCII letters, digits and `_`: only these make a numeric literal run on into an error. */
const isAsciiIdentifierChar = (c: number) => isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;

/** Python's limit on decimal digits when converting between int and str (`sys.get_int_max_str_digits()`). */
export const INT_MAX_STR_DIGITS = 4300;

/**
 * Scans the numeric literal that starts at `start` and returns where it ends, or throws the tokenizer's error.
 * Python lets a literal run straight into `and`, `else`, `for`, `if`, `in`, `is`, `not` and `or` (with a warning),
 * but any other identifier character right after a literal is an error; the positions reported mimic CPython 3.11,
 * which points one character before the place it stopped reading.
 */
export function scanNumber(text: string, start: number): number {
  const plain = scanPlainNumber(text, start);
  if (plain > 0) return plain;
  let pos = start;
  const at = (i: number) => (i < text.length ? text.charCodeAt(i) : -1);
  const fail = (kind: string, stop: number): never => {
    throw syntaxError(`invalid ${kind} literal`, Math.max(start, stop - 1));
  };
  const endOfNumber = (p: number, kind: string, reportAt = p): number => {
    const c = at(p);
    if (c < 0 || !isAsciiIdentifierChar(c) || keywordFollows(text, p)) return p;
    return fail(kind, reportAt);
  };
  // Reads digits with single underscores between them; returns the new position or throws at a bad underscore.
  const digits = (p: number, ok: (c: number) => boolean, kind: string): number => {
    while (true) {
      while (ok(at(p))) p++;
      if (at(p) !== 95) return p;
      if (!ok(at(p + 1))) {
        if (kind !== 'decimal' && isDigit(at(p + 1))) {
          throw syntaxError(`invalid digit '${text[p + 1]}' in ${kind} literal`, p + 1);
        }
        return fail(kind, p + 1);
      }
      p++;
    }
  };
  const radix = (ok: (c: number) => boolean, kind: string): number => {
    pos += 2;
    if (at(pos) === 95) pos++;
    if (!ok(at(pos))) {
      if (kind !== 'hexadecimal' && isDigit(at(pos))) {
        throw syntaxError(`invalid digit '${text[pos]}' in ${kind} literal`, pos);
      }
      return fail(kind, pos);
    }
    pos = digits(pos, ok, kind);
    if (kind !== 'hexadecimal' && isDigit(at(pos))) {
      throw syntaxError(`invalid digit '${text[pos]}' in ${kind} literal`, pos);
    }
    return endOfNumber(pos, kind);
  };
  const first = at(pos);
  if (first === 48) {
    const x = at(pos + 1) | 32;
    if (x === 120) return radix(isHexDigit, 'hexadecimal');
    if (x === 111) return radix(isOctDigit, 'octal');
    if (x === 98) return radix(isBinDigit, 'binary');
  }
  let isInteger = first !== 46;
  if (isInteger) {
    pos = digits(pos, isDigit, 'decimal');
    if (at(pos) === 46) {
      isInteger = false;
      pos++;
      if (isDigit(at(pos))) pos = digits(pos, isDigit, 'decimal');
    }
  } else {
    pos = digits(pos + 1, isDigit, 'decimal');
  }
  const e = at(pos);
  if (e === 101 || e === 69) {
    const afterE = pos + 1;
    let p = afterE;
    const sign = at(p);
    if (sign === 43 || sign === 45) {
      p++;
      if (!isDigit(at(p))) return fail('decimal', p);
    } else if (!isDigit(at(p))) {
      // CPython steps back over the `e` and then asks whether the literal may end there.
      return endOfNumber(pos, 'decimal', pos);
    }
    pos = digits(p, isDigit, 'decimal');
    isInteger = false;
  }
  const j = at(pos);
  if (j === 106 || j === 74) return endOfNumber(pos + 1, 'imaginary');
  if (isInteger) checkLeadingZeros(text, start, pos);
  return endOfNumber(pos, 'decimal');
}

/**
 * The end of a plain literal such as `30` or `1000.5` (no underscores, prefix, exponent or suffix, and nothing
 * identifier-like after it), or -1 for anything that needs the full scanner.
 */
function scanPlainNumber(text: string, start: number): number {
  // Reads stay inside the text: a read past its end would make V8 throw away the optimized code once more.
  const length = text.length;
  let p = start;
  while (p < length && isDigit(text.charCodeAt(p))) p++;
  if (p === start || (text.charCodeAt(start) === 48 && p > start + 1)) return -1;
  if (p < length && text.charCodeAt(p) === 46) {
    p++;
    while (p < length && isDigit(text.charCodeAt(p))) p++;
  }
  if (p >= length) return p;
  const next = text.charCodeAt(p);
  return next === 46 || isAsciiIdentifierChar(next) ? -1 : p;
}

// Letters after which CPython peeks for the rest of a keyword before deciding that a literal ends badly.
const KEYWORD_TAILS: Readonly<Record<string, readonly string[]>> = {
  a: ['nd'],
  e: ['lse'],
  f: ['or'],
  i: ['f', 'n', 's'],
  n: ['ot'],
  o: ['r'],
};

function keywordFollows(text: string, p: number): boolean {
  const first = text[p] ?? '';
  const tails = KEYWORD_TAILS[first];
  if (tails === undefined) return false;
  // After `i` CPython only checks one more letter; for the other keywords the whole word must end there.
  if (first === 'i') return tails.some((tail) => text.startsWith(tail, p + 1));
  return tails.some((tail) => {
    const after = p + 1 + tail.length;
    return text.startsWith(tail, p + 1) && (after >= text.length || !isIdentifierChar(text.charCodeAt(after)));
  });
}

function checkLeadingZeros(text: string, start: number, end: number): void {
  if (text.charCodeAt(start) !== 48) return;
  let p = start;
  while (p < end && (text.charCodeAt(p) === 48 || text.charCodeAt(p) === 95)) p++;
  if (p < end) {
    throw syntaxError(
      'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
      start,
      p,
    );
  }
}

/** Digits only, without a leading zero unless alone: such a literal's value is just `BigInt` of its text. */
function isPlainDecimal(raw: string): boolean {
  if (raw.length === 0 || (raw.length > 1 && raw.charCodeAt(0) === 48)) return false;
  for (let i = 0; i < raw.length; i++) if (!isDigit(raw.charCodeAt(i))) return false;
  return true;
}

/** The value of a numeric literal the scanner accepted, or the error Python raises while converting it. */
export function numberValue(raw: string, start: number): PyValue {
  if (raw.length < 16 && isPlainDecimal(raw)) return { type: 'int', value: BigInt(raw) };
  const clean = raw.replace(/_/g, '');
  const last = clean.charCodeAt(clean.length - 1) | 32;
  if (last === 106) return { type: 'complex', real: 0, imag: Number(clean.slice(0, -1)) };
  const lower = clean.toLowerCase();
  if (lower.startsWith('0x') || lower.startsWith('0o') || lower.startsWith('0b')) {
    return { type: 'int', value: BigInt(lower) };
  }
  if (/[.e]/.test(lower)) return { type: 'float', value: Number(clean) };
  const significant = clean.replace(/^0+(?=.)/, '');
  if (significant.length > INT_MAX_STR_DIGITS) {
    throw new PyError(
      'SyntaxError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${significant.length} ` +
        'digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer ' +
        'literals to avoid decimal conversion limits.',
      start,
      start + raw.length,
    );
  }
  return { type: 'int', value: BigInt(significant) };
}
