import { UNASSIGNED_IN_PYTHON_311 } from './pythonUnicode';

// Python's `str(list)` of the values a request hash covers (strings, None and lists of strings), written out the
// way CPython 3.11 does it, so that sha256 of the text equals the Python client's (servicex-facts.md §1.10).

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function unassignedInPython(codePoint: number): boolean {
  let lo = 0;
  let hi = UNASSIGNED_IN_PYTHON_311.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = UNASSIGNED_IN_PYTHON_311[mid];
    if (codePoint < first) hi = mid - 1;
    else if (codePoint > last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether the text holds a code point that Python 3.11 escapes in `repr` and newer Pythons may not. */
export function dependsOnPythonUnicode(value: string): boolean {
  for (const char of value) if (unassignedInPython(char.codePointAt(0) ?? 0)) return true;
  return false;
}

/** Python 3.11's `str.isprintable()` for one code point: not Other (Cc, Cf, Cs, Co, Cn) nor Separator, save ' '. */
export function isPrintablePython(codePoint: number): boolean {
  if (codePoint >= 0x20 && codePoint < 0x7f) return true;
  if (codePoint < 0xa0) return false;
  if (NOT_PRINTABLE.test(String.fromCodePoint(codePoint))) return false;
  return !unassignedInPython(codePoint);
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * Python's `repr()` of a str: single quotes unless the text holds `'` and no `"`; backslash, the chosen quote, tab,
 * newline and carriage return escaped by name; other non-printable code points (lone surrogates included) as
 * `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
 */
export function pythonStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of value) {
    // Iterating a string yields whole code points, and a lone surrogate as itself, as Python sees them.
    const cp = char.codePointAt(0) ?? 0;
    if (char === quote || char === '\\') out += '\\' + char;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (isPrintablePython(cp)) out += char;
    else if (cp < 0x100) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

/** A value `str()` of a Python list can hold here: a str, None, or a nested list of them. */
export type PythonValue = string | null | readonly PythonValue[];

/** Python's `str()` (equal to `repr()`) of such a value: lists as `[a, b]`, None as `None`. */
export function pythonRepr(value: PythonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'string') return pythonStrRepr(value);
  return `[${value.map(pythonRepr).join(', ')}]`;
}

/** Python's ordering of str values: by code point, which differs from JavaScript's UTF-16 order above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const difference = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
}

/** Whether a string holds a lone surrogate, which Python cannot encode as UTF-8 (the client would fail). */
export function hasLoneSurrogate(value: string): boolean {
  return /\p{Cs}/u.test(value);
}
