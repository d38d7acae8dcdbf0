import { reprFloat } from '../../../server/src/language/funcadl/literals';

// Python's `json.dumps(value)` with its defaults (`ensure_ascii=True`, separators ", " and ": "), for the selection
// strings the client builds with it. Objects are lists of entries so that key order is kept as Python keeps it (a
// JavaScript object would move integer-like keys to the front).

/** A JSON value with ordered object members. */
export type OrderedJson =
  | string
  | number
  | boolean
  | null
  | readonly OrderedJson[]
  | { readonly entries: readonly (readonly [string, OrderedJson])[] };

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const NAMED: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A JSON string as `json.dumps` writes it: everything outside printable ASCII as `\uhhhh` (surrogate pairs too). */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    const code = value.charCodeAt(i);
    const named = NAMED[char];
    if (named) out += named;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else out += `\\u${hex4(code)}`;
  }
  return out + '"';
}

/** `json.dumps(value)`. A whole number is written as a Python int, anything else as Python's float repr. */
export function pythonJsonDumps(value: OrderedJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return reprFloat(value);
  }
  if (typeof value === 'string') return pythonJsonString(value);
  if (Array.isArray(value)) return `[${(value as readonly OrderedJson[]).map(pythonJsonDumps).join(', ')}]`;
  const { entries } = value as { readonly entries: readonly (readonly [string, OrderedJson])[] };
  return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}
