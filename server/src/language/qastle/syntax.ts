/**
 * The qastle text grammar (qastle's `syntax.lark`, servicex-facts.md §5.1): a record is empty or one node; a node is an
 * atom (identifier, string or number) or a parenthesised composite `(TYPE field …)` whose items are separated by
 * whitespace. Every node keeps UTF-16 offsets into the text.
 */

export interface QAtom {
  readonly kind: 'atom';
  readonly atomType: 'identifier' | 'string' | 'number';
  /** The atom exactly as written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface QComposite {
  readonly kind: 'composite';
  /** The node type: letters (`Select`, `call`) or an operator symbol (`+`, `**`, `<=`). */
  readonly type: string;
  readonly typeStart: number;
  readonly typeEnd: number;
  readonly fields: QNode[];
  readonly start: number;
  readonly end: number;
}

export type QNode = QAtom | QComposite;

/** A grammar error: where the text stops matching, or `end` when the input ends too early. */
export interface QSyntaxError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** True when the input ended where more was needed (Lark's `UnexpectedEOF`). */
  readonly atEnd: boolean;
}

export type QParseResult =
  { readonly ok: true; readonly node: QNode | undefined } | { readonly ok: false; readonly error: QSyntaxError };

/** Nesting deeper than this is reported instead of parsed, so that no later pass can overflow the stack. */
export const MAX_QASTLE_DEPTH = 1000;

const isWhitespace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const OPERATOR_TYPES = [
  '**',
  '//',
  '<<',
  '>>',
  '==',
  '!=',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '^',
  '|',
  '~',
  '<',
  '>',
];

class Failure extends Error {
  constructor(readonly error: QSyntaxError) {
    super(error.message);
  }
}

/** Parses qastle text into a tree, or reports the first place where it does not follow the grammar. */
export function parseQastle(text: string): QParseResult {
  let pos = 0;
  const length = text.length;
  const describe = (p: number) => {
    const cp = text.codePointAt(p) ?? 0;
    const char = String.fromCodePoint(cp);
    const shown = /[\p{L}\p{N}\p{P}\p{S}]/u.test(char)
      ? `'${char}'`
      : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    return { shown, width: char.length };
  };
  const fail = (expected: string): never => {
    if (pos >= length) {
      throw new Failure({
        message: `unexpected end of input: expected ${expected}`,
        start: length,
        end: length,
        atEnd: true,
      });
    }
    const { shown, width } = describe(pos);
    throw new Failure({
      message: `unexpected ${shown}: expected ${expected}`,
      start: pos,
      end: pos + width,
      atEnd: false,
    });
  };
  const skipWhitespace = () => {
    const from = pos;
    while (pos < length && isWhitespace(text.charCodeAt(pos))) pos++;
    return pos > from;
  };
  const node = (depth: number): QNode => {
    if (text.charCodeAt(pos) === 40) return composite(depth);
    const start = pos;
    const atomType = scanAtom();
    if (!atomType) fail('a node: an identifier, a string, a number or (');
    return { kind: 'atom', atomType: atomType!, text: text.slice(start, pos), start, end: pos };
  };
  const scanAtom = (): QAtom['atomType'] | undefined => {
    const c = text.charCodeAt(pos);
    if (c === 39 || c === 34) {
      const end = scanString(text, pos);
      if (end < 0) return undefined;
      pos = end;
      return 'string';
    }
    if (isLetter(c) || c === 95) {
      while (
        pos < length &&
        (isLetter(text.charCodeAt(pos)) || isDigit(text.charCodeAt(pos)) || text.charCodeAt(pos) === 95)
      )
        pos++;
      return 'identifier';
    }
    const end = scanNumber(text, pos);
    if (end < 0) return undefined;
    pos = end;
    return 'number';
  };
  const composite = (depth: number): QComposite => {
    if (depth >= MAX_QASTLE_DEPTH) {
      throw new Failure({ message: 'qastle nests too deeply', start: pos, end: pos + 1, atEnd: false });
    }
    const start = pos;
    pos++;
    skipWhitespace();
    const typeStart = pos;
    if (isLetter(text.charCodeAt(pos))) {
      while (pos < length && isLetter(text.charCodeAt(pos))) pos++;
    } else {
      const op = OPERATOR_TYPES.find((o) => text.startsWith(o, pos));
      if (!op) fail('a node type');
      pos += op!.length;
    }
    const type = text.slice(typeStart, pos);
    const typeEnd = pos;
    const fields: QNode[] = [];
    while (true) {
      const spaced = skipWhitespace();
      if (text.charCodeAt(pos) === 41) {
        pos++;
        return { kind: 'composite', type, typeStart, typeEnd, fields, start, end: pos };
      }
      if (!spaced) fail("whitespace or ')'");
      if (pos >= length) fail("')'");
      fields.push(node(depth + 1));
    }
  };
  try {
    skipWhitespace();
    if (pos >= length) return { ok: true, node: undefined };
    const root = node(0);
    skipWhitespace();
    if (pos < length) fail('the end of the record: a record holds one node');
    return { ok: true, node: root };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, error: error.error };
    throw error;
  }
}

/**
 * The end of a string literal starting at `start`, or -1. Lark matches `'(?:\\.|[^'])*'` with backtracking: escapes
 * first, and if no unescaped closing quote follows, a backslash may stand for itself so that a later quote closes it.
 */
function scanString(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  let pos = start + 1;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === quote) return pos + 1;
    pos += c === 92 && pos + 1 < text.length && text.charCodeAt(pos + 1) !== 10 ? 2 : 1;
  }
  // Backtracking can only end the string at a quote whose every earlier quote is preceded by a backslash.
  let last = -1;
  for (let i = start + 1; i < text.length; i++) {
    if (text.charCodeAt(i) !== quote) continue;
    last = i;
    if (text.charCodeAt(i - 1) !== 92) break;
  }
  return last < 0 ? -1 : last + 1;
}

/** The end of a NUMERIC_LITERAL at `start`, or -1: `[+-]digits[.[digits]]` or `.digits`, then `e[+-]digits`. */
function scanNumber(text: string, start: number): number {
  let pos = start;
  const digits = () => {
    const from = pos;
    while (isDigit(text.charCodeAt(pos))) pos++;
    return pos > from;
  };
  const c = text.charCodeAt(pos);
  if (c === 46) {
    pos++;
    if (!digits()) return -1;
  } else {
    if (c === 43 || c === 45) pos++;
    if (!digits()) return -1;
    if (text.charCodeAt(pos) === 46) {
      pos++;
      digits();
    }
  }
  const e = text.charCodeAt(pos);
  if (e === 101 || e === 69) {
    const mark = pos;
    pos++;
    const sign = text.charCodeAt(pos);
    if (sign === 43 || sign === 45) pos++;
    if (!digits()) pos = mark;
  }
  return pos;
}
