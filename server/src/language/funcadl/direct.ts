import { ATTRIBUTE, CONSTANT, DirectReader, GIVE_UP, LAMBDA, NAME, OTHER, giveUp, negated } from './directReader';
import { PyError } from './errors';
import { GLUE_CALL_END, GLUE_HEAD } from './gluePrefix';
import { tokenize } from './lexer';
import { LINQ_OPERATORS } from './linqNames';
import { reprStr, reprValue } from './literals';
import { Tok, type Tokens, normalizeIdentifier } from './tokens';

/**
 * A one-pass translator for the queries people actually write: it reads the tokens and writes qastle straight away,
 * with no syntax tree and no separate LINQ pass, which makes it several times quicker than the full pipeline. It
 * knows the usual subset of Python (names, constants, attributes, calls, subscripts, displays, lambdas, lambdas in
 * strings, operators, `if … else`) and gives up, returning `undefined`, on anything else (slices, comprehensions,
 * f-strings, starred items, long texts) and on anything that might fail; the full pipeline then decides, errors
 * included. For what it accepts, the full parser builds the tree whose qastle it writes, which
 * `test/unit/funcadlSpeedDirect.test.ts` checks on the corpus, on variants of it and on random token soup.
 */
export function translateDirect(source: string, gluePrefix: number): string | undefined {
  try {
    return translateModule(source, gluePrefix, false);
  } catch (error) {
    if (error === GIVE_UP || error instanceof PyError) return undefined;
    throw error;
  }
}

/** The qastle of a module holding one expression (a lambda when `lambda` is set), or `giveUp`. */
function translateModule(source: string, gluePrefix: number, lambda: boolean): string {
  // Python refuses a NUL anywhere, even inside a string literal, where the tokenizer does not look. Long texts cannot
  // be short enough in tokens to be worth scanning twice.
  if (source.length > MAX_LENGTH || source.indexOf('\0') >= 0) giveUp();
  const lex = tokenize(source, gluePrefix);
  try {
    // Few enough tokens keep qastle's recursion far inside Python's limit (each node costs at most 4 frames and
    // takes at least one token), so the depth need not be worked out.
    if (lex.error || lex.deferredError || lex.openBrackets.length > 0 || lex.tokens.count > MAX_TOKENS) giveUp();
    const reader = new QueryReader(lex.tokens);
    const qastle = reader.module(gluePrefix);
    if (lambda && !reader.readLambda()) giveUp();
    return qastle;
  } finally {
    lex.tokens.release();
  }
}

const MAX_TOKENS = 240;
const MAX_LENGTH = 4096;
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const BINARY_PRECEDENCE = new Map([
  ['|', 1], ['^', 2], ['&', 3], ['<<', 4], ['>>', 4], ['+', 5], ['-', 5], ['*', 6], ['/', 6], ['//', 6], ['%', 6],
]); // prettier-ignore

/** The operator levels of Python's expression grammar, over the atoms of `DirectReader`. */
class QueryReader extends DirectReader {
  /** The qastle of the glue's call, when the glue's tokens were not scanned (see `gluePrefix.ts`). */
  declare private glue: string;

  constructor(tokens: Tokens) {
    super(tokens);
    this.glue = '';
  }

  module(gluePrefix: number): string {
    if (gluePrefix > 0) {
      const tree = this.text.slice(GLUE_HEAD.length, gluePrefix - 3);
      this.glue = "(call EventDataset 'bogus.root' " + reprStr(tree) + ')';
    }
    let qastle = this.expression();
    if (this.isOp(',')) {
      // An unparenthesized tuple, as Python's `star_expressions` reads it.
      qastle = '(list ' + qastle;
      for (this.pos++; !this.isOp(';') && this.tokenKind(this.pos) !== Tok.Newline; this.pos++) {
        qastle += ' ' + this.item();
        if (!this.isOp(',')) break;
      }
      qastle += ')';
      this.kind = OTHER;
    }
    // One statement, with or without a `;` after it.
    if (this.isOp(';')) this.pos++;
    if (this.tokenKind(this.pos) !== Tok.Newline || this.tokenKind(this.pos + 1) !== Tok.End) giveUp();
    return qastle;
  }

  /** Whether the expression read last is a lambda. */
  readLambda(): boolean {
    return this.kind === LAMBDA;
  }

  protected expression(): string {
    if (this.isKeyword('lambda')) return this.lambda();
    const body = this.disjunction();
    if (!this.isKeyword('if')) return body;
    this.pos++;
    const test = this.disjunction();
    if (!this.isKeyword('else')) giveUp();
    this.pos++;
    const orelse = this.expression();
    this.kind = OTHER;
    return '(if ' + test + ' ' + body + ' ' + orelse + ')';
  }

  private disjunction(): string {
    let text = this.conjunction();
    while (this.isKeyword('or')) {
      this.pos++;
      text = '(or ' + text + ' ' + this.conjunction() + ')';
      this.kind = OTHER;
    }
    return text;
  }

  private conjunction(): string {
    let text = this.inversion();
    while (this.isKeyword('and')) {
      this.pos++;
      text = '(and ' + text + ' ' + this.inversion() + ')';
      this.kind = OTHER;
    }
    return text;
  }

  private inversion(): string {
    if (!this.isKeyword('not')) return this.comparison();
    this.pos++;
    const operand = this.inversion();
    this.kind = OTHER;
    return '(not ' + operand + ')';
  }

  /** Comparisons; a chain `a < b < c` becomes `(and (< a b) (< b c))`, as qastle writes it. */
  private comparison(): string {
    const left = this.bitwiseOr(1);
    if (!this.atComparison()) return left;
    let op = this.texts[this.pos++];
    let previous = this.bitwiseOr(1);
    let text = '(' + op + ' ' + left + ' ' + previous + ')';
    while (this.atComparison()) {
      op = this.texts[this.pos++];
      const right = this.bitwiseOr(1);
      text = '(and ' + text + ' (' + op + ' ' + previous + ' ' + right + '))';
      previous = right;
    }
    this.kind = OTHER;
    return text;
  }

  private atComparison(): boolean {
    return this.tokenKind(this.pos) === Tok.Op && COMPARISONS.has(this.texts[this.pos]);
  }

  /** Binary operators by precedence climbing, all left-associative, as the full parser reads them. */
  private bitwiseOr(minPrecedence: number): string {
    let left = this.factor();
    while (this.tokenKind(this.pos) === Tok.Op) {
      const op = this.texts[this.pos];
      const precedence = BINARY_PRECEDENCE.get(op);
      if (precedence === undefined || precedence < minPrecedence) break;
      this.pos++;
      left = '(' + op + ' ' + left + ' ' + this.bitwiseOr(precedence + 1) + ')';
      this.kind = OTHER;
    }
    return left;
  }

  private factor(): string {
    const op = this.tokenKind(this.pos) === Tok.Op ? this.texts[this.pos] : '';
    if (op !== '-' && op !== '+' && op !== '~') return this.power();
    this.pos++;
    const operand = this.factor();
    const constant = this.kind === CONSTANT ? this.value : undefined;
    this.kind = OTHER;
    // qastle folds a sign into a constant operand.
    if (constant && op === '+') return operand;
    if (constant && op === '-') return reprValue(negated(constant));
    return '(' + op + ' ' + operand + ')';
  }

  private power(): string {
    if (this.isKeyword('await')) giveUp();
    if (this.pos === 0 && this.glue !== '') {
      // The glue's call is the primary at the start, as in the full parser.
      this.pos = GLUE_CALL_END;
      this.kind = OTHER;
      return this.finishPower(this.suffixes(this.glue));
    }
    return this.finishPower(this.suffixes(this.atom()));
  }

  private finishPower(base: string): string {
    if (!this.isOp('**')) return base;
    this.pos++;
    const exponent = this.factor();
    this.kind = OTHER;
    return '(** ' + base + ' ' + exponent + ')';
  }

  /** Attribute access, calls and subscripts after a primary whose qastle is `text`. */
  private suffixes(text: string): string {
    while (this.tokenKind(this.pos) === Tok.Op) {
      const op = this.texts[this.pos];
      if (op === '.') {
        if (!this.isPlainName(this.pos + 1)) break;
        this.base = text;
        this.id = normalizeIdentifier(this.texts[this.pos + 1]);
        this.pos += 2;
        text = '(attr ' + text + ' ' + reprStr(this.id) + ')';
        this.kind = ATTRIBUTE;
      } else if (op === '(') {
        text = this.call(text);
      } else if (op === '[') {
        this.pos++;
        text = '(subscript ' + text + ' ' + this.index() + ')';
        this.kind = OTHER;
      } else {
        break;
      }
    }
    return text;
  }

  /** What is between the brackets of a subscript: one index or a tuple of them; slices give up. */
  private index(): string {
    let text = this.item();
    if (this.isOp(':')) giveUp();
    if (this.isOp(',')) {
      text = '(list ' + text;
      for (this.pos++; !this.isOp(']'); this.pos++) {
        text += ' ' + this.item();
        if (this.isOp(':')) giveUp();
        if (!this.isOp(',')) break;
      }
      text += ')';
      this.kind = OTHER;
    }
    this.expectOp(']');
    return text;
  }

  /** A call with positional arguments; a LINQ operator is written as `insert_linq_nodes` rewrites it. */
  private call(func: string): string {
    const op = this.id;
    const linq = (this.kind === ATTRIBUTE || this.kind === NAME) && LINQ_OPERATORS.has(op);
    const method = linq && this.kind === ATTRIBUTE;
    // The arguments are written as they are read, without collecting them first: this runs for every call.
    let text = linq ? '' : '(call ' + func;
    let source = method ? this.base : '';
    const lambdaArgs = linq && LINQ_OPERATORS.get(op)!.lambdaArgs !== undefined;
    let count = 0;
    let keywords = false;
    this.pos++;
    while (!this.isOp(')')) {
      if (this.isOp('**')) {
        // A `**mapping` argument is dropped like a keyword argument.
        this.pos++;
        this.item();
        keywords = true;
        if (!this.isOp(',')) break;
        this.pos++;
        continue;
      }
      if (this.isOp('=', this.pos + 1)) {
        // qastle drops keyword arguments; `insert_linq_nodes` visits them, except in a LINQ call, and a check
        // here can only make the translator give up more often.
        if (!this.isPlainName(this.pos)) giveUp();
        this.pos += 2;
        this.item();
        keywords = true;
        if (!this.isOp(',')) break;
        this.pos++;
        continue;
      }
      if (keywords) giveUp();
      const arg = this.item();
      if (this.isOp('=')) giveUp();
      // A LINQ operator called as a function takes its source as the first argument.
      const index = linq && !method ? count - 1 : count;
      if (index < 0) {
        source = arg;
      } else if (!lambdaArgs || (op === 'Aggregate' && index !== 1) || this.kind === LAMBDA) {
        text += ' ' + arg;
      } else if (this.kind === CONSTANT && this.value?.type === 'str') {
        // A string may hold a lambda's source, which qastle parses in its place.
        text += ' ' + translateModule(this.value.value, 0, true);
      } else {
        giveUp();
      }
      count++;
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(')');
    this.kind = OTHER;
    if (!linq) return text + ')';
    // An arity that `insert_linq_nodes` would reject is left to the full pipeline.
    if ((method ? count : count - 1) !== LINQ_OPERATORS.get(op)!.args) giveUp();
    return '(' + op + ' ' + source + text + ')';
  }
}
