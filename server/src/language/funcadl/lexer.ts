import { PyError, codePointLabel, syntaxError } from './errors';
import { isPrintable } from './literals';
import { scanNumber } from './numbers';
import { pushGluePrefix } from './gluePrefix';
import { ASCII_IDENTIFIER, OPENER_OF, operatorText, operatorWidth } from './operators';
import { ONE_CHAR_TEXT, Tok, Tokens } from './tokens';

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

const STRING_PREFIX = /^(?:[rRuUfFbB]|[rR][bBfF]|[bBfF][rR])$/;

/**
 * Tokenizes Python source the way CPython 3.11 does for the constructs a query can contain. `gluePrefix`, when not 0,
 * promises that the text starts with the client's glue `EventDataset('bogus.root', '<tree>').` of that length, with a
 * tree name free of backslashes and line breaks: its seven tokens are then known without scanning them.
 */
export function tokenize(text: string, gluePrefix = 0): LexResult {
  const tokens = new Tokens(text);
  // Open brackets as a stack of offsets and lines in scratch arrays: tokenize never runs inside itself.
  let depth = 0;
  // A local name for the table, which the identifier loop reads for every character.
  const identifier = ASCII_IDENTIFIER;
  const length = text.length;
  let pos = 0;
  let line = 1;
  let atLineStart = true;
  // CPython's NEWLINE token starts where a trailing comment starts, so errors at the end of a line point there.
  let commentStart = -1;
  if (gluePrefix > 0) {
    pushGluePrefix(tokens, gluePrefix);
    pos = gluePrefix;
    atLineStart = false;
  }
  try {
    while (true) {
      if (atLineStart && depth === 0) {
        const lineStart = pos;
        while (pos < length && isBlank(text.charCodeAt(pos))) pos++;
        const c = pos < length ? text.charCodeAt(pos) : -1;
        if (pos >= length || c === 35 || isNewline(c)) {
          while (pos < length && !isNewline(text.charCodeAt(pos))) pos++;
          if (pos >= length) break;
          pos = skipNewline(text, pos);
          line++;
          continue;
        }
        if (pos > lineStart) tokens.push(Tok.Indent, lineStart, pos);
        atLineStart = false;
      }
      while (pos < length && isBlank(text.charCodeAt(pos))) pos++;
      if (pos >= length) break;
      const c = text.charCodeAt(pos);
      if (isIdentifierStart(c)) {
        const start = pos;
        let ascii = c < 128;
        for (pos++; pos < length; pos++) {
          const d = text.charCodeAt(pos);
          if (d < 128) {
            if (identifier[d] === 0) break;
          } else {
            ascii = false;
          }
        }
        const q = pos < length ? text.charCodeAt(pos) : -1;
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
      if (c === 35) {
        commentStart = pos;
        while (pos < length && !isNewline(text.charCodeAt(pos))) pos++;
        continue;
      }
      if (isNewline(c)) {
        if (depth === 0) {
          emitNewline(tokens, commentStart >= 0 ? commentStart : pos, pos);
          atLineStart = true;
        }
        commentStart = -1;
        pos = skipNewline(text, pos);
        line++;
        continue;
      }
      if (c === 92) {
        if (pos + 1 >= length) {
          tokens.push(Tok.EofInContinuation, length, length);
          return { tokens, openBrackets: openBrackets(text, depth) };
        }
        if (!isNewline(text.charCodeAt(pos + 1))) {
          tokens.push(Tok.Deferred, pos, pos + 1);
          const deferredError = syntaxError('unexpected character after line continuation character', pos + 1);
          return { tokens, deferredError, openBrackets: openBrackets(text, depth) };
        }
        pos = skipNewline(text, pos + 1);
        line++;
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
        const ch = ONE_CHAR_TEXT[c];
        if (depth === 0) throw syntaxError(`unmatched '${ch}'`, pos);
        depth--;
        const openChar = ONE_CHAR_TEXT[text.charCodeAt(OPEN_STARTS[depth])];
        if (openChar !== OPENER_OF[c]) {
          const where = OPEN_LINES[depth] === line ? '' : ` on line ${OPEN_LINES[depth]}`;
          throw syntaxError(
            `closing parenthesis '${ch}' does not match opening parenthesis '${openChar}'${where}`,
            pos,
          );
        }
        tokens.pushOp(pos, pos + 1, ch);
        pos++;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) {
        if (depth >= MAX_BRACKET_DEPTH) {
          throw new PyError('SyntaxError', 'too many nested parentheses', pos, pos + 1, 'funcadl/too-deep');
        }
        const ch = ONE_CHAR_TEXT[c];
        OPEN_STARTS[depth] = pos;
        OPEN_LINES[depth] = line;
        depth++;
        tokens.pushOp(pos, pos + 1, ch);
        pos++;
        continue;
      }
      const width = operatorWidth(text, pos, c);
      if (width > 0) {
        tokens.pushOp(pos, pos + width, operatorText(text, pos, c, width));
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
    return { tokens, error, openBrackets: openBrackets(text, depth) };
  }
  if (depth === 0) emitNewline(tokens, commentStart >= 0 ? commentStart : length, length);
  tokens.push(Tok.End, length, length);
  return { tokens, openBrackets: openBrackets(text, depth) };
}

const OPEN_STARTS = new Int32Array(MAX_BRACKET_DEPTH);
const OPEN_LINES = new Int32Array(MAX_BRACKET_DEPTH);

/** The brackets still open on the scratch stack, as `LexResult` reports them. */
function openBrackets(text: string, depth: number): LexResult['openBrackets'] {
  const open: { char: string; start: number; line: number }[] = [];
  for (let i = 0; i < depth; i++) {
    open.push({ char: ONE_CHAR_TEXT[text.charCodeAt(OPEN_STARTS[i])], start: OPEN_STARTS[i], line: OPEN_LINES[i] });
  }
  return open;
}

/** Ends a logical line, unless nothing or a NEWLINE came before (blank lines and comments make no token). */
function emitNewline(tokens: Tokens, start: number, at: number): void {
  if (tokens.count > 0 && tokens.kinds[tokens.count - 1] !== Tok.Newline) tokens.push(Tok.Newline, start, at);
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}

function skipNewline(text: string, p: number): number {
  return text.charCodeAt(p) === 13 && p + 1 < text.length && text.charCodeAt(p + 1) === 10 ? p + 2 : p + 1;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isDigitAt(text: string, p: number): boolean {
  if (p >= text.length) return false;
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
