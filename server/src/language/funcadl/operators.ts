import { ONE_CHAR_TEXT } from './tokens';

// Character tables and operator scanning for the tokenizer, kept apart from its main loop.

/** 1 for the ASCII characters that may continue an identifier (letters, digits, `_`): a table is quicker to read. */
export const ASCII_IDENTIFIER = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    table[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;
  }
  return table;
})();

const TWO_CHAR_OPS = new Set([
  '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '<>', '==', '>=', '>>', '@=', '^=', '|=',
]); // prettier-ignore
/** The opening bracket for each closing one, by character code. */
export const OPENER_OF: readonly string[] = (() => {
  const table: string[] = [];
  table[41] = '(';
  table[93] = '[';
  table[125] = '{';
  return table;
})();

/** Interned texts of the longer operators, by their first two characters, so that tokenizing allocates nothing. */
const byFirstTwo = (ops: readonly string[]) =>
  new Map<number, string>(ops.map((op) => [op.charCodeAt(0) * 65536 + op.charCodeAt(1), op]));
const TWO_CHAR_TEXT = byFirstTwo([...TWO_CHAR_OPS]);
const THREE_CHAR_TEXT = byFirstTwo(['...', '**=', '//=', '>>=', '<<=']);

/** The text of the operator of `width` characters at `pos`, without allocating a new string. */
export function operatorText(text: string, pos: number, c: number, width: number): string {
  if (width === 1) return ONE_CHAR_TEXT[c];
  const key = c * 65536 + text.charCodeAt(pos + 1);
  return (width === 2 ? TWO_CHAR_TEXT : THREE_CHAR_TEXT).get(key) ?? text.slice(pos, pos + width);
}

/** How many characters the operator at `pos` spans (0 when there is none), by CPython's longest-match rule. */
export function operatorWidth(text: string, pos: number, c: number): number {
  const length = text.length;
  const next = pos + 1 < length ? text.charCodeAt(pos + 1) : -1;
  if (c === 46) return next === 46 && pos + 2 < length && text.charCodeAt(pos + 2) === 46 ? 3 : 1;
  const third = pos + 2 < length ? text.charCodeAt(pos + 2) : -1;
  // `**=`, `//=`, `>>=` and `<<=` double their first character and end in `=`.
  if ((c === 42 || c === 47 || c === 62 || c === 60) && next === c && third === 61) return 3;
  if (next === 61 || next === 62 || next === c || next === 45 || next === 60) {
    if (TWO_CHAR_TEXT.has(c * 65536 + next)) return 2;
  }
  // One-character operators: % & ( ) * + , - . / : ; < = > @ [ ] ^ { | } ~
  switch (c) {
    case 37: case 38: case 40: case 41: case 42: case 43: case 44: case 45: case 47: case 58: case 59: case 60:
    case 61: case 62: case 64: case 91: case 93: case 94: case 123: case 124: case 125: case 126:
      return 1;
    default:
      return 0;
  }
} // prettier-ignore
