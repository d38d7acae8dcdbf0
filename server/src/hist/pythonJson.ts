import { HistError } from './errors';

// Python's json module writes NaN, Infinity and -Infinity as bare words, and UHI files from boost-histogram contain
// them (a mean storage's empty bins). JSON.parse rejects them, so documents are read with this small parser, which is
// JSON plus those three words, and written back the same way.

/** Parses JSON text that may contain Python's `NaN`, `Infinity` and `-Infinity`; errors give line and column. */
export function parsePythonJson(text: string): unknown {
  let at = 0;
  const fail = (what: string): never => {
    let line = 1;
    let column = 1;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text[i] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
    throw new HistError('invalid', `The file is not valid JSON: ${what} at line ${line}, column ${column}.`);
  };
  const space = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at++;
  };
  const word = (w: string) => text.startsWith(w, at) && (at += w.length) > 0;
  const value = (depth: number): unknown => {
    if (depth > 256) fail('nesting deeper than 256 levels');
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a "quoted" key');
        const key = string();
        space();
        if (text[at] !== ':') fail('expected ":" after a key');
        at++;
        Object.defineProperty(object, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return object;
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return array;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (word('true')) return true;
    if (word('false')) return false;
    if (word('null')) return null;
    if (word('NaN')) return NaN;
    if (word('Infinity')) return Infinity;
    if (word('-Infinity')) return -Infinity;
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at, at + 64));
    if (!match) return fail(at >= text.length ? 'unexpected end of file' : `unexpected ${JSON.stringify(text[at])}`);
    at += match[0].length;
    return Number(match[0]);
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') at++;
      else if (text.charCodeAt(at) < 0x20) fail('a control character inside a string');
      at++;
    }
    if (at >= text.length) fail('a string that never ends');
    at++;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      at = start;
      return fail('a bad escape in a string');
    }
  };
  const result = value(0);
  space();
  if (at < text.length) fail(`unexpected ${JSON.stringify(text[at])} after the document`);
  return result;
}

/** Writes `value` as JSON with two-space indent, numbers that are not finite written as Python writes them. */
export function stringifyPythonJson(value: unknown): string {
  const out: string[] = [];
  const write = (v: unknown, indent: string): void => {
    if (typeof v === 'number') out.push(pythonNumber(v));
    else if (Array.isArray(v)) {
      // Arrays of numbers stay on one line: a histogram's bins read better that way and the file stays small.
      if (v.every((item) => typeof item !== 'object' || item === null)) {
        out.push('[');
        v.forEach((item, i) => {
          if (i > 0) out.push(', ');
          write(item, indent);
        });
        out.push(']');
        return;
      }
      const inner = `${indent}  `;
      out.push('[\n');
      v.forEach((item, i) => {
        out.push(inner);
        write(item, inner);
        out.push(i < v.length - 1 ? ',\n' : '\n');
      });
      out.push(`${indent}]`);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, item]) => item !== undefined);
      if (entries.length === 0) {
        out.push('{}');
        return;
      }
      const inner = `${indent}  `;
      out.push('{\n');
      entries.forEach(([key, item], i) => {
        out.push(`${inner}${JSON.stringify(key)}: `);
        write(item, inner);
        out.push(i < entries.length - 1 ? ',\n' : '\n');
      });
      out.push(`${indent}}`);
    } else out.push(JSON.stringify(v ?? null));
  };
  write(value, '');
  return out.join('');
}

function pythonNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  // JSON.stringify drops the sign of -0, which Python keeps (a mean storage's empty bins have -0.0 variances).
  return Object.is(v, -0) ? '-0.0' : JSON.stringify(v);
}
