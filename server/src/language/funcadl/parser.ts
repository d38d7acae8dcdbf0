import type { Expr, Module, Span, Stmt } from './ast';
import { PyError, syntaxError } from './errors';
import { parseStatement } from './statements';
import { type LexResult, Tok, Tokens, tokenize } from './lexer';

/** Thrown (always the same object, so backtracking is cheap) when the grammar cannot continue at some token. */
export class ParseFailure extends Error {}
const FAILURE = new ParseFailure('parse failure');

/** How deep the parser itself may recurse before it reports the query as too deeply nested. */
export const MAX_NESTING = 500;

export const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]); // prettier-ignore

/**
 * Recursive-descent parser state over a token stream. Generic failures throw `ParseFailure` and are reported, as
 * CPython's PEG parser does, at the furthest token the parser looked at; specific errors (a missing comma, an
 * assignment inside a call) are thrown as `PyError` straight away and are never backtracked over.
 */
export class Parser {
  pos = 0;
  furthest = 0;
  nesting = 0;
  /**
   * Whether CPython's second-pass "invalid_" rules are active. They are switched off while parsing the right-hand
   * expression of the missing-comma rule, as CPython's `expression_without_invalid` does.
   */
  invalidRules = true;
  readonly tokens: Tokens;

  constructor(
    readonly text: string,
    readonly lex: LexResult,
  ) {
    this.tokens = lex.tokens;
  }

  kind(i = this.pos): number {
    if (i > this.furthest) this.furthest = i;
    const kind = i < this.tokens.count ? (this.tokens.kinds[i] ?? Tok.End) : Tok.End;
    // CPython's tokenizer reports these the moment the parser asks for the token, whatever the parser was doing.
    if (kind === Tok.End && this.lex.openBrackets.length > 0) {
      const open = this.lex.openBrackets[this.lex.openBrackets.length - 1]!;
      throw syntaxError(`'${open.char}' was never closed`, open.start);
    }
    if (kind === Tok.EofInContinuation) throw syntaxError('unexpected EOF while parsing', this.text.length);
    if (kind === Tok.Deferred) throw this.lex.error ?? this.lex.deferredError ?? syntaxError('invalid syntax', this.start(i));
    return kind;
  }
  /** Looks at a token's kind without counting it as read (for lookahead that only CPython's second pass does). */
  peekKind(i: number): number {
    return i < this.tokens.count ? (this.tokens.kinds[i] ?? Tok.End) : Tok.End;
  }
  /** `isOp` without counting the token as read. */
  peekOp(op: string, i: number): boolean {
    return this.peekKind(i) === Tok.Op && this.tokens.textOf(i) === op;
  }
  /** Raises a second-pass error, or fails generically while those rules are switched off. */
  raise(message: string, start: number, end = start + 1): never {
    if (!this.invalidRules) this.fail();
    throw syntaxError(message, start, end);
  }
  start(i = this.pos): number {
    return this.tokens.starts[Math.min(i, this.tokens.count - 1)] ?? this.text.length;
  }
  end(i = this.pos): number {
    return this.tokens.ends[Math.min(i, this.tokens.count - 1)] ?? this.text.length;
  }
  level(i: number): number {
    return this.tokens.levels[i] ?? 0;
  }
  textAt(i = this.pos): string {
    return this.tokens.textOf(i);
  }
  isOp(op: string, i = this.pos): boolean {
    const start = this.start(i);
    return (
      this.kind(i) === Tok.Op &&
      this.end(i) - start === op.length &&
      this.text.charCodeAt(start) === op.charCodeAt(0) &&
      this.text.startsWith(op, start)
    );
  }
  isKeyword(word: string, i = this.pos): boolean {
    const start = this.start(i);
    return this.kind(i) === Tok.Name && this.end(i) - start === word.length && this.text.startsWith(word, start);
  }
  /** A name token that is not a keyword. */
  isName(i = this.pos): boolean {
    return this.kind(i) === Tok.Name && !KEYWORDS.has(this.textAt(i));
  }
  eatOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
  eatKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }
  expectOp(op: string): number {
    if (!this.isOp(op)) this.fail();
    return this.pos++;
  }
  fail(): never {
    this.kind(this.pos);
    throw FAILURE;
  }
  /** The span from token `first` to the token before the current one. */
  spanFrom(first: number): Span {
    return { start: this.start(first), end: this.end(this.pos - 1) };
  }
  enter(): void {
    if (++this.nesting > MAX_NESTING) {
      throw new PyError(
        'RecursionError',
        'maximum recursion depth exceeded',
        this.start(),
        this.end(),
        'funcadl/too-deep',
        'The expression nests too deeply for the Python client; split it up',
      );
    }
  }
  leave(): void {
    this.nesting--;
  }
  /** Runs `parse` and restores the position if it fails generically, returning `undefined`. */
  attempt<T>(parse: () => T): T | undefined {
    const saved = this.pos;
    const savedNesting = this.nesting;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ParseFailure)) throw error;
      this.pos = saved;
      this.nesting = savedNesting;
      return undefined;
    }
  }
  /** Like `attempt`, but also leaves `furthest` as it was: for lookahead that only serves better error messages. */
  probe<T>(parse: () => T): T | undefined {
    const furthest = this.furthest;
    const result = this.attempt(parse);
    this.furthest = furthest;
    return result;
  }

  /** The error CPython reports when parsing stops without a more specific explanation. */
  genericError(): PyError {
    const i = Math.min(this.furthest, this.tokens.count - 1);
    const kind = this.tokens.kinds[i];
    if (kind === Tok.Indent) {
      return new PyError('IndentationError', 'unexpected indent', this.start(i), this.end(i));
    }
    return syntaxError('invalid syntax', this.start(i), Math.max(this.end(i), this.start(i) + 1));
  }
}

/** Builds a node depth: Python stack frames qastle needs for this node (`cost`) plus its deepest child. */
export function depthOf(cost: number, ...children: (Expr | null | undefined)[]): number {
  let deepest = 0;
  for (const child of children) if (child && child.depth > deepest) deepest = child.depth;
  return cost + deepest;
}

/** The deepest of a list of children. */
export function deepest(children: readonly (Expr | null)[]): number {
  let max = 0;
  for (const child of children) if (child && child.depth > max) max = child.depth;
  return max;
}

/**
 * Parses `text` as a Python module in exec mode (what `ast.parse` does), or throws the `PyError` that Python would
 * raise. Tokenizer errors win over parser errors, as in CPython, which re-tokenizes the rest of the input after a
 * parse failure to look for them.
 */
export function parseModule(text: string): Module {
  const nul = text.indexOf('\0');
  if (nul >= 0) throw syntaxError('source code string cannot contain null bytes', nul);
  const lex = tokenize(text);
  const parser = new Parser(text, lex);
  const body: Stmt[] = [];
  try {
    while (parser.kind() !== Tok.End) {
      body.push(...parseStatementLine(parser));
    }
  } catch (error) {
    // A tokenizer error anywhere wins over what the parser found, except an unexpected indent, which CPython reports
    // before it looks at the rest of the input.
    if (error instanceof ParseFailure) {
      const generic = parser.genericError();
      throw generic.type === 'IndentationError' ? generic : (lex.error ?? generic);
    }
    if (error instanceof PyError && lex.error) throw lex.error;
    throw error;
  }
  return { start: 0, end: text.length, body };
}

/** One logical line: simple statements separated by `;`, then a NEWLINE. */
function parseStatementLine(p: Parser): Stmt[] {
  const statements = [parseStatement(p)];
  while (p.eatOp(';')) {
    if (p.kind() === Tok.Newline) break;
    statements.push(parseStatement(p));
  }
  if (p.kind() !== Tok.Newline) p.fail();
  p.pos++;
  return statements;
}
