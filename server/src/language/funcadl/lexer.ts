import { PyError, codePointLabel, syntaxError } from './errors';
import { isPrintable } from './literals';
import { isIdentifierChar, scanNumber } from './numbers';
import { Tok, Tokens } from './tokens';

export { Tok, Tokens, normalizeIdentifier } from './tokens';

/** What the tokenizer produced: all tokens up to the first tokenizer error, and that error if there is one. */
export interface LexResult {
  readonly tokens: Tokens;
  readonly error?: PyError;
  /** An error to report only if the parser reaches the `Deferred` token that ends the stream. */
  readonly deferredError?: PyError;
  /** Open brackets left at the end: their characters and offsets, innermost last. */
  readonly openBrackets: { char: string; start: number; line: number }[];
}

/** Python's limit on bracket nesting (`MAXLEVEL` in CPython's tokenizer). */
export const MAX_BRACKET_DEPTH = 200;

const TWO_CHAR_OPS = new Set([
  '!=', '%=', '&=', '**', '*=', '+=', '-=', '->', '//', '/=', ':=', '<<', '<=', '<>', '==', '>=', '>>', '@=', '^=', '|=',
]); // prettier-ignore
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** How many characters the operator at `pos` spans (0 when there is none), by CPython's longest-match rule. */
function operatorWidth(text: string, pos: number, c: number): number {
  const next = text.charCodeAt(pos + 1);
  if (c === 46) return next === 46 && text.charCodeAt(pos + 2) === 46 ? 3 : 1;
  const third = text.charCodeAt(pos + 2);
  // `**=`, `//=`, `>>=` and `<<=` double their first character and end in `=`.
  if ((c === 42 || c === 47 || c === 62 || c === 60) && next === c && third === 61) return 3;
  if (next === 61 || next === 62 || next === c || next === 45 || next === 60) {
    if (TWO_CHAR_OPS.has(text.slice(pos, pos + 2))) return 2;
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
const STRING_PREFIX = /^(?:[rRuUfFbB]|[rR][bBfF]|[bBfF][rR])$/;

/** Tokenizes Python source the way CPython 3.11 does for the constructs a query can contain. */
export function tokenize(text: string): LexResult {
  const tokens = new Tokens(text);
  const brackets: { char: string; start: number; line: number }[] = [];
  const length = text.length;
  let pos = 0;
  let line = 1;
  let atLineStart = true;
  // CPython's NEWLINE token starts where a trailing comment starts, so errors at the end of a line point there.
  let commentStart = -1;
  const isNewline = (c: number) => c === 10 || c === 13;
  const skipNewline = (p: number) => (text.charCodeAt(p) === 13 && text.charCodeAt(p + 1) === 10 ? p + 2 : p + 1);
  const emitNewline = (at: number) => {
    if (tokens.count > 0 && tokens.kinds[tokens.count - 1] !== Tok.Newline) {
      tokens.push(Tok.Newline, commentStart >= 0 ? commentStart : at, at);
    }
    commentStart = -1;
  };
  try {
    while (true) {
      if (atLineStart && brackets.length === 0) {
        const lineStart = pos;
        while (pos < length && isBlank(text.charCodeAt(pos))) pos++;
        const c = text.charCodeAt(pos);
        if (pos >= length || c === 35 || isNewline(c)) {
          while (pos < length && !isNewline(text.charCodeAt(pos))) pos++;
          if (pos >= length) break;
          pos = skipNewline(pos);
          line++;
          continue;
        }
        if (pos > lineStart) tokens.push(Tok.Indent, lineStart, pos);
        atLineStart = false;
      }
      while (pos < length && isBlank(text.charCodeAt(pos))) pos++;
      if (pos >= length) break;
      const c = text.charCodeAt(pos);
      if (c === 35) {
        commentStart = pos;
        while (pos < length && !isNewline(text.charCodeAt(pos))) pos++;
        continue;
      }
      if (isNewline(c)) {
        if (brackets.length === 0) {
          emitNewline(pos);
          atLineStart = true;
        }
        commentStart = -1;
        pos = skipNewline(pos);
        line++;
        continue;
      }
      if (c === 92) {
        if (pos + 1 >= length) {
          tokens.push(Tok.EofInContinuation, length, length);
          return { tokens, openBrackets: brackets };
        }
        if (!isNewline(text.charCodeAt(pos + 1))) {
          tokens.push(Tok.Deferred, pos, pos + 1);
          const deferredError = syntaxError('unexpected character after line continuation character', pos + 1);
          return { tokens, deferredError, openBrackets: brackets };
        }
        pos = skipNewline(pos + 1);
        line++;
        continue;
      }
      if (isIdentifierStart(c)) {
        const start = pos;
        let ascii = true;
        for (let d = c; pos < length && isIdentifierChar(d); d = text.charCodeAt(++pos)) if (d >= 128) ascii = false;
        const q = text.charCodeAt(pos);
        if ((q === 39 || q === 34) && STRING_PREFIX.test(text.slice(start, pos))) {
          const scanned = scanString(text, start, pos, line);
          pos = scanned.end;
          line += scanned.lines;
          tokens.push(Tok.String, start, pos);
          continue;
        }
        if (!ascii) checkIdentifier(text, start, pos);
        tokens.push(Tok.Name, start, pos);
        continue;
      }
      if (c === 39 || c === 34) {
        const scanned = scanString(text, pos, pos, line);
        tokens.push(Tok.String, pos, scanned.end);
        pos = scanned.end;
        line += scanned.lines;
        continue;
      }
      if ((c >= 48 && c <= 57) || (c === 46 && isDigitAt(text, pos + 1))) {
        const end = scanNumber(text, pos);
        tokens.push(Tok.Number, pos, end);
        pos = end;
        continue;
      }
      if (c === 41 || c === 93 || c === 125) {
        const ch = text[pos];
        const open = brackets.pop();
        if (!open) throw syntaxError(`unmatched '${ch}'`, pos);
        if (open.char !== CLOSERS[ch]) {
          const where = open.line === line ? '' : ` on line ${open.line}`;
          throw syntaxError(
            `closing parenthesis '${ch}' does not match opening parenthesis '${open.char}'${where}`,
            pos,
          );
        }
        tokens.push(Tok.Op, pos, pos + 1);
        pos++;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) {
        if (brackets.length >= MAX_BRACKET_DEPTH) {
          throw new PyError('SyntaxError', 'too many nested parentheses', pos, pos + 1, 'funcadl/too-deep');
        }
        brackets.push({ char: text[pos], start: pos, line });
        tokens.push(Tok.Op, pos, pos + 1);
        pos++;
        continue;
      }
      const width = operatorWidth(text, pos, c);
      if (width > 0) {
        tokens.push(Tok.Op, pos, pos + width);
        pos += width;
        continue;
      }
      if (!isPrintable(c)) {
        throw syntaxError(`invalid non-printable character ${codePointLabel(c)}`, pos);
      }
      tokens.push(Tok.Stray, pos, pos + 1);
      pos++;
    }
  } catch (error) {
    if (!(error instanceof PyError)) throw error;
    tokens.push(Tok.Deferred, error.start, error.start);
    return { tokens, error, openBrackets: brackets };
  }
  if (brackets.length === 0) emitNewline(length);
  tokens.push(Tok.End, length, length);
  return { tokens, openBrackets: brackets };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isDigitAt(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return c >= 48 && c <= 57;
}

const XID_START = /[\p{XID_Start}_]/u;
const XID_CONTINUE = /\p{XID_Continue}/u;

/** Checks a run of identifier characters that contains non-ASCII ones, reporting the first invalid character. */
function checkIdentifier(text: string, start: number, end: number): void {
  let first = true;
  for (let i = start; i < end;) {
    const cp = text.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(cp);
    const valid = cp < 128 ? !first || !(cp >= 48 && cp <= 57) : (first ? XID_START : XID_CONTINUE).test(char);
    if (!valid || (cp >= 0xd800 && cp <= 0xdfff)) {
      const message = isPrintable(cp)
        ? `invalid character '${char}' (${codePointLabel(cp)})`
        : `invalid non-printable character ${codePointLabel(cp)}`;
      throw syntaxError(message, i, i + char.length);
    }
    first = false;
    i += char.length;
  }
}

/** Finds the end of a string literal whose quote is at `quoteAt`, or throws Python's "unterminated" error. */
function scanString(text: string, start: number, quoteAt: number, line: number): { end: number; lines: number } {
  const quote = text.charCodeAt(quoteAt);
  const triple = text.charCodeAt(quoteAt + 1) === quote && text.charCodeAt(quoteAt + 2) === quote;
  let pos = quoteAt + (triple ? 3 : 1);
  let lines = 0;
  let run = 0;
  const length = text.length;
  while (true) {
    if (pos >= length) break;
    const c = text.charCodeAt(pos);
    if (c === 10 || c === 13) {
      if (!triple) break;
      lines++;
      pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
      run = 0;
      continue;
    }
    pos++;
    if (c === quote) {
      run++;
      if (!triple || run === 3) return { end: pos, lines };
      continue;
    }
    run = 0;
    if (c === 92 && pos < length) {
      const next = text.charCodeAt(pos);
      if (next === 10 || next === 13) lines++;
      pos += next === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
    }
  }
  const kind = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
  throw syntaxError(`${kind} (detected at line ${line + lines})`, start, start + 1);
}
