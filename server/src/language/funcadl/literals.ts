import type { PyValue } from './ast';
import { INT_MAX_STR_DIGITS } from './numbers';
import { PyError } from './errors';

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `str.isprintable()` for one code point: no control, format, private, unassigned or separator chars. */
export function isPrintable(codePoint: number): boolean {
  if (codePoint >= 0x20 && codePoint < 0x7f) return true;
  if (codePoint < 0xa0) return false;
  return !NOT_PRINTABLE.test(String.fromCodePoint(codePoint));
}

/** Whether the text is printable ASCII without backslash or single quote: what `repr` writes unchanged. */
function isPlainAscii(value: string): boolean {
  // A loop rather than a regular expression: the strings are short, and this runs for every attribute and string.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 39 || c === 92) return false;
  }
  return true;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Python's `repr()` of a str: single quotes unless the text has `'` and no `"`, non-printables escaped. */
export function reprStr(value: string): string {
  if (isPlainAscii(value)) return "'" + value + "'";
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 92 && c !== quote.charCodeAt(0)) continue;
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const escape = escapeChar(cp, quote);
    if (escape !== undefined) {
      out += value.slice(plainFrom, i) + escape;
      plainFrom = i + width;
    }
    i += width - 1;
  }
  return out + value.slice(plainFrom) + quote;
}

function escapeChar(cp: number, quote: string): string | undefined {
  switch (cp) {
    case 92:
      return '\\\\';
    case 9:
      return '\\t';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
  }
  if (cp === quote.charCodeAt(0)) return `\\${quote}`;
  if (isPrintable(cp) && !(cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  if (cp < 0x100) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** Python's `repr()` of bytes. */
export function reprBytes(value: readonly number[]): string {
  const quote = value.includes(39) && !value.includes(34) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of value) {
    if (b === 92) out += '\\\\';
    else if (b === 9) out += '\\t';
    else if (b === 10) out += '\\n';
    else if (b === 13) out += '\\r';
    else if (b === quote.charCodeAt(0)) out += `\\${quote}`;
    else if (b < 0x20 || b >= 0x7f) out += `\\x${hex(b, 2)}`;
    else out += String.fromCharCode(b);
  }
  return out + quote;
}

/**
 * Formats a double the way Python's `float_repr_style = 'short'` does: the shortest digits that round-trip (the same
 * digits JavaScript picks), in positional form when the decimal exponent is in [-4, 16), otherwise scientific with
 * a signed exponent of at least two digits. `addDotZero` is false for the parts of a complex number.
 */
export function reprFloat(value: number, addDotZero = true): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return (Object.is(value, -0) ? '-0' : '0') + (addDotZero ? '.0' : '');
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // In this range JavaScript and Python both write the shortest round-trip digits positionally.
    const text = String(value);
    return text.includes('.') || !addDotZero ? text : `${text}.0`;
  }
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const decimalPoint = exponent + 1;
  if (decimalPoint > -4 && decimalPoint <= 16) {
    if (decimalPoint <= 0) return `${sign}0.${'0'.repeat(-decimalPoint)}${digits}`;
    if (decimalPoint >= digits.length) {
      return `${sign}${digits}${'0'.repeat(decimalPoint - digits.length)}${addDotZero ? '.0' : ''}`;
    }
    return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const expSign = exponent < 0 ? '-' : '+';
  return `${sign}${digits[0] ?? ''}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's `repr()` of a complex number. */
export function reprComplex(real: number, imag: number): string {
  const imagText = reprFloat(imag, false);
  if (real === 0 && !Object.is(real, -0)) return `${imagText}j`;
  const signed = imagText.startsWith('-') ? imagText : `+${imagText}`;
  return `(${reprFloat(real, false)}${signed}j)`;
}

/** Python's `repr()` of an int, including the error Python raises past its digit limit. */
export function reprInt(value: bigint, start = 0, end = start): string {
  const text = value.toString();
  if (text.length - (value < 0n ? 1 : 0) > INT_MAX_STR_DIGITS) {
    throw new PyError(
      'ValueError',
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion; use ` +
        'sys.set_int_max_str_digits() to increase the limit',
      start,
      end,
    );
  }
  return text;
}

/** Python's `repr()` of any constant a query can hold. */
export function reprValue(value: PyValue, start = 0, end = start): string {
  switch (value.type) {
    case 'int':
      return reprInt(value.value, start, end);
    case 'float':
      return reprFloat(value.value);
    case 'complex':
      return reprComplex(value.real, value.imag);
    case 'str':
      return reprStr(value.value);
    case 'bytes':
      return reprBytes(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'ellipsis':
      return 'Ellipsis';
  }
}
