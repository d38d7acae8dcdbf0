// A JSON reader that keeps offsets, accepting what Python's json.loads accepts (NaN and Infinity included), so an
// `!UprootRaw` problem can be placed on the character that causes it.

interface Located {
  readonly start: number;
  readonly end: number;
}

/** A property of a JSON object, with where its key is. */
export interface JsonMember {
  readonly key: string;
  readonly keyRange: Located;
  readonly value: JsonValue;
}

/** A JSON value with its offsets in the text. */
export type JsonValue = Located &
  (
    | { readonly kind: 'object'; readonly members: readonly JsonMember[] }
    | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'number'; readonly value: number }
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'null' }
  );

/** Why a JSON text does not parse, and where. */
export interface JsonError extends Located {
  readonly message: string;
}

/** Nesting beyond this is refused instead of recursing further. */
const MAX_DEPTH = 200;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PYTHON_WORDS: Readonly<Record<string, string>> = { True: 'true', False: 'false', None: 'null' };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

/** Parses JSON text; on failure returns the first error, located, with a hint for mistakes Python users make. */
export function parseJson(text: string): { value: JsonValue } | { error: JsonError } {
  let pos = 0;
  const fail = (message: string, start = pos, end = start + 1): never => {
    throw new JsonSyntaxError(message, start, Math.min(Math.max(end, start), text.length));
  };
  const skip = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const trailingComma = (close: string): never => {
    let comma = pos - 1;
    while (comma > 0 && ' \t\n\r'.includes(text[comma])) comma--;
    return fail(`JSON allows no comma before "${close}"; remove it.`, comma, comma + 1);
  };
  const expectValue = (): never => {
    const ch = text[pos];
    if (ch === "'")
      fail('JSON strings need double quotes: this looks like a Python dict; write "treename", not \'treename\'.');
    const word = /^[A-Za-z_]\w*/.exec(text.slice(pos, pos + 32))?.[0];
    if (word && PYTHON_WORDS[word]) fail(`JSON writes ${PYTHON_WORDS[word]}, not ${word}.`, pos, pos + word.length);
    if (ch === ']' || ch === '}') trailingComma(ch);
    return fail(pos >= text.length ? 'Expecting value: the JSON ends here.' : 'Expecting value.');
  };

  const string = (): JsonValue => {
    const start = pos++;
    let value = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string: add the closing double quote.', start, text.length);
      const ch = text[pos];
      if (ch === '"') break;
      if (ch < ' ') fail('Invalid control character in a string: write \\n or \\t instead.', pos);
      if (ch !== '\\') {
        value += ch;
        pos++;
        continue;
      }
      const escape = text[pos + 1];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[escape ?? ''];
      if (simple !== undefined) {
        value += simple;
        pos += 2;
      } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else fail(`Invalid \\escape: "\\${escape ?? ''}". A backslash in JSON must be doubled: \\\\.`, pos, pos + 2);
    }
    pos++;
    return { kind: 'string', value, start, end: pos };
  };

  const value = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) fail(`JSON nested deeper than ${MAX_DEPTH} levels.`);
    skip();
    const start = pos;
    const ch = text[pos];
    if (ch === '"') return string();
    if (ch === '{' || ch === '[') return container(depth, ch);
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        if (result === null) return { kind: 'null', start, end: pos };
        if (typeof result === 'boolean') return { kind: 'boolean', value: result, start, end: pos };
        return { kind: 'number', value: result, start, end: pos };
      }
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number && number[0] !== '-') {
      pos += number[0].length;
      return { kind: 'number', value: Number(number[0]), start, end: pos };
    }
    return expectValue();
  };

  const container = (depth: number, open: '{' | '['): JsonValue => {
    const start = pos++;
    const close = open === '{' ? '}' : ']';
    const members: JsonMember[] = [];
    const items: JsonValue[] = [];
    skip();
    if (text[pos] === close) {
      pos++;
    } else {
      for (;;) {
        skip();
        if (open === '{') {
          if (text[pos] !== '"') {
            if (text[pos] === "'") fail('JSON keys need double quotes: write "treename", not \'treename\'.');
            if (text[pos] === '}') trailingComma('}');
            fail('Expecting a property name in double quotes.');
          }
          const key = string();
          skip();
          if (text[pos] !== ':') fail("Expecting ':' after the property name.");
          pos++;
          if (key.kind === 'string') members.push({ key: key.value, keyRange: key, value: value(depth + 1) });
        } else items.push(value(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === close) {
          pos++;
          break;
        }
        fail(pos >= text.length ? `Expecting "${close}": the JSON ends here.` : `Expecting ',' or '${close}'.`);
      }
    }
    return open === '{' ? { kind: 'object', members, start, end: pos } : { kind: 'array', items, start, end: pos };
  };

  try {
    const result = value(0);
    skip();
    if (pos < text.length) fail('Extra data after the JSON value: a query list is one [...] array.', pos, text.length);
    return { value: result };
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      return { error: { message: error.message, start: error.start, end: error.end } };
    throw error;
  }
}
