import type { CallExpr, Expr, Module, Span, Stmt } from './ast';
import { finalError } from './finalError';
import { glueCall } from './gluePrefix';
import { PyError, syntaxError } from './errors';
import { parseStatement } from './statements';
import { type LexResult, tokenize } from './lexer';
import { Tok, type Tokens } from './tokens';

/** Thrown (always the same object, so backtracking is cheap) when the grammar cannot continue at some token. */
export class ParseFailure extends Error {}
const FAILURE = new ParseFailure('parse failure');

const END = Tok.End;
const NAME = Tok.Name;
const OP = Tok.Op;

/** Python's default recursion limit leaves qastle about this many frames for walking a query's tree. */
export const PYTHON_FRAME_BUDGET = 994;

/** How deep the parser itself may recurse before it reports the query as too deeply nested. */
export const MAX_NESTING = 500;

/** Python 3.11's hard keywords, which are never names. */
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
  // Fields are declared and set in the constructor rather than initialised as class fields, which V8 defines slowly.
  declare readonly text: string;
  declare readonly lex: LexResult;
  declare pos: number;
  declare furthest: number;
  declare nesting: number;
  /**
   * Whether CPython's second-pass "invalid_" rules are active. They are switched off while parsing the right-hand
   * expression of the missing-comma rule, as CPython's `expression_without_invalid` does.
   */
  declare invalidRules: boolean;
  /** The primary parsed last by `parseExpression`'s fast path, reused by the full rule chain at the same place. */
  declare memoAt: number;
  declare memoEnd: number;
  declare memoNode: Expr | undefined;
  declare memoRules: boolean;
  /** The glue's call, when the text starts with the usual glue (see `gluePrefix.ts`): the primary at token 0. */
  declare glue: CallExpr | undefined;
  declare readonly tokens: Tokens;
  /** The token columns and count, copied here because `kind` reads them for every token the parser looks at. */
  declare private readonly kinds: Uint8Array;
  declare private readonly starts: Int32Array;
  declare private readonly ends: Int32Array;
  declare private readonly texts: string[];
  declare private readonly count: number;

  constructor(text: string, lex: LexResult, invalidRules = true) {
    this.text = text;
    this.lex = lex;
    this.pos = 0;
    this.furthest = 0;
    this.nesting = 0;
    this.invalidRules = invalidRules;
    this.memoAt = -1;
    this.memoEnd = 0;
    this.memoNode = undefined;
    this.memoRules = false;
    this.glue = undefined;
    this.tokens = lex.tokens;
    this.kinds = lex.tokens.kinds;
    this.starts = lex.tokens.starts;
    this.ends = lex.tokens.ends;
    this.texts = lex.tokens.texts;
    this.count = lex.tokens.count;
  }

  kind(i = this.pos): number {
    if (i > this.furthest) this.furthest = i;
    const kind = i < this.count ? this.kinds[i] : END;
    return kind < END ? kind : this.special(kind);
  }
  /** The end of the stream and the tokenizer's stopping points, which CPython reports the moment they are read. */
  private special(kind: number): number {
    if ((kind === Tok.End || kind === Tok.EofInContinuation) && this.lex.openBrackets.length > 0) {
      const open = this.lex.openBrackets[this.lex.openBrackets.length - 1];
      throw syntaxError(`'${open.char}' was never closed`, open.start);
    }
    if (kind === Tok.EofInContinuation) throw syntaxError('unexpected EOF while parsing', this.text.length);
    if (kind === Tok.Deferred) throw this.lex.error ?? this.lex.deferredError ?? syntaxError('invalid syntax', 0);
    return kind;
  }
  /** Looks at a token's kind without counting it as read (for lookahead that only CPython's second pass does). */
  peekKind(i: number): number {
    return i < this.tokens.count ? (this.tokens.kinds[i] ?? Tok.End) : Tok.End;
  }
  /** `isOp` without counting the token as read. */
  peekOp(op: string, i: number): boolean {
    return this.peekKind(i) === Tok.Op && this.tokens.texts[i] === op;
  }
  /** Raises a second-pass error, or fails generically while those rules are switched off. */
  raise(message: string, start: number, end = start + 1): never {
    if (!this.invalidRules) this.fail();
    throw syntaxError(message, start, end);
  }
  start(i = this.pos): number {
    return this.starts[Math.min(i, this.count - 1)] ?? this.text.length;
  }
  end(i = this.pos): number {
    return this.ends[Math.min(i, this.count - 1)] ?? this.text.length;
  }
  level(i: number): number {
    return this.tokens.level(i);
  }
  textAt(i = this.pos): string {
    return this.tokens.textOf(i);
  }
  isOp(op: string, i = this.pos): boolean {
    return this.kind(i) === OP && this.texts[i] === op;
  }
  isKeyword(word: string, i = this.pos): boolean {
    return this.kind(i) === NAME && this.texts[i] === word;
  }
  /** A name token that is not a keyword. */
  isName(i = this.pos): boolean {
    if (this.kind(i) !== NAME) return false;
    // Keywords are 2 to 8 letters long: most names (`e`, `Select`, `lep_pt`) are told apart without hashing them.
    const text = this.texts[i];
    return text.length < 2 || text.length > 8 || !KEYWORDS.has(text);
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
  /**
   * Runs `parse(this, a, b)` and restores the position if it fails generically, returning `undefined`. Arguments are
   * passed through rather than captured in a closure because this runs for every call and operator in a query.
   */
  attempt<T, A = undefined, B = undefined>(parse: (p: Parser, a: A, b: B) => T, a?: A, b?: B): T | undefined {
    const saved = this.pos;
    const savedNesting = this.nesting;
    try {
      return parse(this, a as A, b as B);
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
export function depthOf(cost: number, a?: Expr | null, b?: Expr | null, c?: Expr | null): number {
  // Fixed parameters rather than a rest array: this runs for every node the parser builds.
  let deepest = a ? a.depth : 0;
  if (b && b.depth > deepest) deepest = b.depth;
  if (c && c.depth > deepest) deepest = c.depth;
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
 * raise. `gluePrefix` is passed on to `tokenize`. Tokenizer errors win over parser errors, as in CPython, which
 * re-tokenizes the rest of the input after a parse failure to look for them.
 */
export function parseModule(text: string, gluePrefix = 0): Module {
  const nul = text.indexOf('\0');
  // CPython 3.11 refuses such text before tokenizing it, with a ValueError rather than a SyntaxError.
  if (nul >= 0) {
    throw new PyError('ValueError', 'source code string cannot contain null bytes', nul, nul + 1, 'funcadl/syntax');
  }
  const lex = tokenize(text, gluePrefix);
  try {
    return parseTokens(text, lex, gluePrefix > 0 ? glueCall(text, gluePrefix) : undefined);
  } finally {
    lex.tokens.release();
  }
}

function parseTokens(text: string, lex: LexResult, glue: CallExpr | undefined): Module {
  const first = new Parser(text, lex, false);
  first.glue = glue;
  try {
    return parseBody(first);
  } catch (error) {
    if (error instanceof PyError) throw finalError(text, lex, error, first);
    if (!(error instanceof ParseFailure)) throw error;
  }
  // Like CPython, parse again with the rules that explain common mistakes switched on. Inputs too large for that are
  // reported where the first pass stopped, which keeps the worst case linear.
  const generic = first.genericError();
  if (lex.tokens.count > SECOND_PASS_TOKEN_LIMIT) throw finalError(text, lex, generic, first);
  const second = new Parser(text, lex, true);
  second.glue = glue;
  second.furthest = first.furthest;
  try {
    parseBody(second);
  } catch (error) {
    if (error instanceof PyError) throw finalError(text, lex, error, second);
    if (!(error instanceof ParseFailure)) throw error;
  }
  throw finalError(text, lex, generic, second);
}

/** Inputs with more tokens than this get no second, explanatory parsing pass. */
export const SECOND_PASS_TOKEN_LIMIT = 20_000;

function parseBody(parser: Parser): Module {
  const body: Stmt[] = [];
  while (parser.kind() !== Tok.End) {
    for (const s of parseStatementLine(parser)) body.push(s);
  }
  return { start: 0, end: parser.text.length, body };
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
