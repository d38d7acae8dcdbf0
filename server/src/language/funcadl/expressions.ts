import type { BinaryOperator, CompareOperator, Expr, Span } from './ast';
import { Tok } from './tokens';
import { checkLegacyPrint, checkMisplacedAssignment, checkMissingComma, checkWalrusTarget } from './explain';
import { parseLambda } from './lambda';
import { parsePrimary } from './primary';

export { parsePrimary } from './primary';
import { type Parser, depthOf, deepest } from './parser';

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const TERMINATORS = new Set([',', ')', ']', '}', ':']);
const CONSTANT_NAMES = new Set(['True', 'False', 'None']);
const PRIMARY_OPENERS = new Set(['(', '[', '{', '...']);

/** Whether the token can only begin a primary (so no unary operator, `not`, `lambda` or `await`). */
function startsPrimary(p: Parser, kind: number): boolean {
  if (kind === Tok.Number || kind === Tok.String) return true;
  if (kind === Tok.Name) return p.isName() || CONSTANT_NAMES.has(p.tokens.texts[p.pos]);
  return kind === Tok.Op && PRIMARY_OPENERS.has(p.tokens.texts[p.pos]);
}

/** `expression`: a lambda, or a disjunction with an optional `if … else …`. */
export function parseExpression(p: Parser): Expr {
  const kind = p.kind();
  // Fast path: most operands in a query are a primary (`e.Jet_pt`, `'pt'`, `e.Jets.Where(…)`) followed by `,`, `)`,
  // `]`, `}` or `:`, where every longer rule would give the same node. Otherwise the primary is memoized for the full
  // chain of rules below, which starts by parsing the same primary at the same place.
  if (startsPrimary(p, kind)) {
    const first = p.pos;
    const e = parsePrimary(p);
    const next = p.kind();
    if ((next === Tok.Op && TERMINATORS.has(p.tokens.texts[p.pos])) || next === Tok.Newline) return e;
    p.memoAt = first;
    p.memoEnd = p.pos;
    p.memoNode = e;
    p.memoRules = p.invalidRules;
    p.pos = first;
  }
  if (kind === Tok.Name && p.isKeyword('lambda')) return parseLambda(p);
  const first = p.pos;
  p.enter();
  const a = parseDisjunction(p);
  p.leave();
  if (p.isKeyword('if')) {
    const ifAt = p.pos;
    p.pos++;
    const test = p.attempt(parseDisjunction);
    if (test && !p.isKeyword('else') && !p.isOp(':') && p.invalidRules) {
      p.raise("expected 'else' after 'if' expression", a.start, test.end);
    }
    p.enter();
    const orelse = test && p.eatKeyword('else') ? p.attempt(parseExpression) : undefined;
    p.leave();
    if (test && orelse) {
      const depth = depthOf(2, test, a, orelse);
      return { kind: 'IfExp', test, body: a, orelse, start: p.start(first), end: orelse.end, depth };
    }
    // Like CPython's PEG parser, fall back to the plain disjunction and let the caller fail at the `if`.
    p.pos = ifAt;
    return a;
  }
  checkMissingComma(p, first, a);
  checkLegacyPrint(p, first, a);
  return a;
}

/**
 * `named_expression`: an expression, or `name := expression`. Where Python uses this rule (parentheses, list and set
 * items, subscripts) its second pass also explains a misplaced `:=` or `=`; call arguments pass `explain = false`.
 */
export function parseNamedExpression(p: Parser, explain = true): Expr {
  const start = p.start();
  const target = parseExpression(p);
  if (explain && p.invalidRules) {
    checkWalrusTarget(p, target);
    if (p.isOp('=')) checkMisplacedAssignment(p, target);
  }
  if (target.kind !== 'Name' || !p.isOp(':=')) return target;
  p.pos++;
  const value = parseExpression(p);
  return { kind: 'NamedExpr', target, value, start, end: value.end, depth: depthOf(2, target, value) };
}

/** `star_named_expression`: `*x` or a named expression. */
export function parseStarNamed(p: Parser): Expr {
  if (p.isOp('*')) {
    const star = p.start();
    p.pos++;
    const value = parseBitwiseOr(p);
    return { kind: 'Starred', value, start: star, end: value.end, depth: depthOf(2, value) };
  }
  return parseNamedExpression(p);
}

/** `disjunction`: `or` of `and` of `not` of comparisons. */
export function parseDisjunction(p: Parser): Expr {
  return parseBoolean(p, 'or', parseConjunction);
}

function parseConjunction(p: Parser): Expr {
  return parseBoolean(p, 'and', parseInversion);
}

function parseBoolean(p: Parser, op: 'and' | 'or', parseOperand: (p: Parser) => Expr): Expr {
  const start = p.start();
  const first = parseOperand(p);
  if (!p.isKeyword(op)) return first;
  const values = [first];
  while (p.isKeyword(op)) {
    const before = p.pos;
    p.pos++;
    const next = p.attempt(parseOperand);
    if (!next) {
      p.pos = before;
      break;
    }
    values.push(next);
  }
  if (values.length === 1) return first;
  const last = values[values.length - 1];
  // qastle nests `a and b and c` two at a time, so each extra operand costs another level.
  return { kind: 'BoolOp', op, values, start, end: last.end, depth: 2 * values.length + deepest(values) };
}

function parseInversion(p: Parser): Expr {
  if (!p.isKeyword('not')) return parseComparison(p);
  const start = p.start();
  p.pos++;
  p.enter();
  const operand = parseInversion(p);
  p.leave();
  return { kind: 'UnaryOp', op: 'not', operand, start, end: operand.end, depth: depthOf(2, operand) };
}

function compareOperator(p: Parser): { op: CompareOperator; span: Span } | undefined {
  const kind = p.kind();
  if (kind !== Tok.Op && kind !== Tok.Name) return undefined;
  const text = p.tokens.texts[p.pos];
  const start = p.start();
  if (kind === Tok.Op) {
    if (!COMPARISONS.has(text)) return undefined;
    p.pos++;
    return { op: text as CompareOperator, span: { start, end: p.end(p.pos - 1) } };
  }
  if (text === 'in') {
    p.pos++;
    return { op: 'in', span: { start, end: p.end(p.pos - 1) } };
  }
  if (text === 'not' && p.isKeyword('in', p.pos + 1)) {
    p.pos += 2;
    return { op: 'not in', span: { start, end: p.end(p.pos - 1) } };
  }
  if (text === 'is') {
    p.pos++;
    const op = p.eatKeyword('not') ? 'is not' : 'is';
    return { op, span: { start, end: p.end(p.pos - 1) } };
  }
  return undefined;
}

function parseComparison(p: Parser): Expr {
  const start = p.start();
  const left = parseBitwiseOr(p);
  let before = p.pos;
  let operator = compareOperator(p);
  if (!operator) return left;
  const ops: CompareOperator[] = [];
  const opSpans: Span[] = [];
  const comparators: Expr[] = [];
  while (operator) {
    const comparator = p.attempt(parseBitwiseOr);
    if (!comparator) {
      p.pos = before;
      break;
    }
    ops.push(operator.op);
    opSpans.push(operator.span);
    comparators.push(comparator);
    before = p.pos;
    operator = compareOperator(p);
  }
  if (ops.length === 0) return left;
  const end = comparators[comparators.length - 1].end;
  const depth = 2 * ops.length + Math.max(left.depth, deepest(comparators));
  return { kind: 'Compare', left, ops, opSpans, comparators, start, end, depth };
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '|': 1,
  '^': 2,
  '&': 3,
  '<<': 4,
  '>>': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '//': 6,
  '%': 6,
  '@': 6,
};

/** `bitwise_or` and every binary level below it, by precedence climbing (all left-associative). */
export function parseBitwiseOr(p: Parser, minPrecedence = 1): Expr {
  const start = p.start();
  let left = parseFactor(p);
  while (p.kind() === Tok.Op) {
    const op = p.textAt();
    const precedence = BINARY_PRECEDENCE[op];
    if (precedence === undefined || precedence < minPrecedence) break;
    const before = p.pos;
    p.pos++;
    const right = p.attempt(parseBitwiseOr, precedence + 1);
    if (!right) {
      p.pos = before;
      break;
    }
    left = {
      kind: 'BinOp',
      op: op as BinaryOperator,
      left,
      right,
      start,
      end: right.end,
      depth: depthOf(2, left, right),
    };
  }
  return left;
}

function parseFactor(p: Parser): Expr {
  if (p.kind() === Tok.Op) {
    const op = p.textAt();
    if (op === '-' || op === '+' || op === '~') {
      const start = p.start();
      p.pos++;
      p.enter();
      const operand = parseFactor(p);
      p.leave();
      return { kind: 'UnaryOp', op, operand, start, end: operand.end, depth: depthOf(2, operand) };
    }
  }
  return parsePower(p);
}

function parsePower(p: Parser): Expr {
  const start = p.start();
  let base: Expr;
  if (p.isKeyword('await')) {
    p.pos++;
    const value = parsePrimary(p);
    base = { kind: 'Await', value, start, end: value.end, depth: depthOf(2, value) };
  } else {
    base = parsePrimary(p);
  }
  if (!p.isOp('**')) return base;
  const before = p.pos;
  p.pos++;
  p.enter();
  const exponent = p.attempt(parseFactor);
  p.leave();
  if (!exponent) {
    p.pos = before;
    return base;
  }
  return {
    kind: 'BinOp',
    op: '**',
    left: base,
    right: exponent,
    start,
    end: exponent.end,
    depth: depthOf(2, base, exponent),
  };
}
