import type { BinaryOperator, CompareOperator, Expr, Span } from './ast';
import { Tok } from './lexer';
import { parseAtom, parseCallArguments, parseSlices } from './atoms';
import { parseLambda } from './lambda';
import { type Parser, depthOf, deepest } from './parser';

/** Python's names for expression classes in "cannot assign to …" style messages (`_PyPegen_get_expr_name`). */
export function exprName(e: Expr): string {
  switch (e.kind) {
    case 'Attribute':
      return 'attribute';
    case 'Subscript':
      return 'subscript';
    case 'Starred':
      return 'starred';
    case 'Name':
      return 'name';
    case 'List':
      return 'list';
    case 'Tuple':
      return 'tuple';
    case 'Lambda':
      return 'lambda';
    case 'Call':
    case 'Linq':
      return 'function call';
    case 'BoolOp':
    case 'BinOp':
    case 'UnaryOp':
      return 'expression';
    case 'GeneratorExp':
      return 'generator expression';
    case 'Yield':
    case 'YieldFrom':
      return 'yield expression';
    case 'Await':
      return 'await expression';
    case 'ListComp':
      return 'list comprehension';
    case 'SetComp':
      return 'set comprehension';
    case 'DictComp':
      return 'dict comprehension';
    case 'Dict':
      return 'dict literal';
    case 'Set':
      return 'set display';
    case 'JoinedStr':
      return 'f-string expression';
    case 'Compare':
      return 'comparison';
    case 'IfExp':
      return 'conditional expression';
    case 'NamedExpr':
      return 'named expression';
    case 'Slice':
      return 'slice';
    case 'Constant':
      switch (e.value.type) {
        case 'none':
          return 'None';
        case 'bool':
          return e.value.value ? 'True' : 'False';
        case 'ellipsis':
          return 'ellipsis';
        default:
          return 'literal';
      }
  }
}

const SOFT_KEYWORDS = new Set(['match', 'case', '_']);
const EXPRESSION_KEYWORDS = new Set(['not', 'lambda', 'await', 'True', 'False', 'None']);

/** Whether the token at `i` can begin an expression (used only for error messages). */
export function startsExpression(p: Parser, i = p.pos): boolean {
  const kind = p.kind(i);
  if (kind === Tok.Number || kind === Tok.String) return true;
  if (kind === Tok.Name) return p.isName(i) || EXPRESSION_KEYWORDS.has(p.textAt(i));
  if (kind !== Tok.Op) return false;
  return ['(', '[', '{', '-', '+', '~', '...'].includes(p.textAt(i));
}

/** `expression`: a lambda, or a disjunction with an optional `if … else …`. */
export function parseExpression(p: Parser): Expr {
  if (p.isKeyword('lambda')) return parseLambda(p);
  const first = p.pos;
  p.enter();
  const a = parseDisjunction(p);
  p.leave();
  if (p.isKeyword('if')) {
    const ifAt = p.pos;
    p.pos++;
    const test = p.attempt(() => parseDisjunction(p));
    if (test && !p.isKeyword('else') && !p.isOp(':') && p.invalidRules) {
      p.raise("expected 'else' after 'if' expression", a.start, test.end);
    }
    const orelse = test && p.eatKeyword('else') ? p.attempt(() => parseExpression(p)) : undefined;
    if (test && orelse) {
      const depth = depthOf(2, test, a, orelse);
      return { kind: 'IfExp', test, body: a, orelse, start: a.start, end: orelse.end, depth };
    }
    // Like CPython's PEG parser, fall back to the plain disjunction and let the caller fail at the `if`.
    p.pos = ifAt;
    return a;
  }
  checkMissingComma(p, first, a);
  return a;
}

/**
 * CPython's second-pass rule for two expressions side by side: inside brackets it says "Perhaps you forgot a comma?",
 * and for a bare `print x` it asks for parentheses. Nothing happens unless a second expression really parses there.
 */
function checkMissingComma(p: Parser, first: number, a: Expr): void {
  if (!p.invalidRules || !startsExpression(p)) return;
  const excluded = (p.kind(first) === Tok.Name && p.kind(first + 1) === Tok.String) || SOFT_KEYWORDS.has(p.textAt(first));
  if (excluded) return;
  const saved = p.pos;
  p.invalidRules = false;
  let b: Expr | undefined;
  try {
    b = p.probe(() => parseExpression(p));
  } finally {
    p.invalidRules = true;
  }
  if (!b) return;
  const level = p.level(p.pos - 1);
  p.pos = saved;
  if (a.kind === 'Name' && (a.id === 'print' || a.id === 'exec')) {
    if (!p.isOp('(')) {
      p.raise(`Missing parentheses in call to '${a.id}'. Did you mean ${a.id}(...)?`, a.start, b.end);
    }
    return;
  }
  if (level > 0) p.raise('invalid syntax. Perhaps you forgot a comma?', a.start, b.end);
}

/** CPython's second-pass rule for `target := value` where the target is not a plain name. */
export function checkWalrusTarget(p: Parser, target: Expr): void {
  if (!p.invalidRules || !p.isOp(':=') || target.kind === 'Name') return;
  const saved = p.pos;
  p.pos++;
  const value = p.probe(() => parseExpression(p));
  p.pos = saved;
  if (value) p.raise(`cannot use assignment expressions with ${exprName(target)}`, target.start, target.end);
}

/**
 * `named_expression`: an expression, or `name := expression`. Where Python uses this rule (parentheses, list and set
 * items, subscripts) its second pass also explains a misplaced `:=` or `=`; call arguments pass `explain = false`.
 */
export function parseNamedExpression(p: Parser, explain = true): Expr {
  const target = parseExpression(p);
  if (explain && p.invalidRules) {
    checkWalrusTarget(p, target);
    if (p.isOp('=')) checkMisplacedAssignment(p, target);
  }
  if (target.kind !== 'Name' || !p.isOp(':=')) return target;
  p.pos++;
  const value = parseExpression(p);
  return { kind: 'NamedExpr', target, value, start: target.start, end: value.end, depth: depthOf(2, target, value) };
}

const BITWISE_LEVEL = new Set(['Compare', 'BoolOp', 'IfExp', 'Lambda', 'NamedExpr']);

/** Whether `e` is what CPython's `bitwise_or` rule alone would have parsed (no comparison, `not`, `and`, …). */
export function isBitwiseLevel(e: Expr): boolean {
  return !BITWISE_LEVEL.has(e.kind) && !(e.kind === 'UnaryOp' && e.op === 'not');
}

/**
 * CPython's second-pass explanation of `target = value` where an expression was expected. Returns without raising
 * when the pattern does not apply, so the caller fails generically.
 */
export function checkMisplacedAssignment(p: Parser, target: Expr, statement = false): void {
  if (!p.invalidRules || !isBitwiseLevel(target)) return;
  const excluded =
    target.kind === 'List' ||
    target.kind === 'Tuple' ||
    target.kind === 'GeneratorExp' ||
    (target.kind === 'Constant' && (target.value.type === 'none' || target.value.type === 'bool'));
  if (excluded && !(statement && target.kind === 'Constant')) return;
  const saved = p.pos;
  p.pos++;
  const value = p.probe(() => parseBitwiseOr(p));
  const followed = p.isOp('=') || p.isOp(':=');
  p.pos = saved;
  if (!value || followed) return;
  if (target.kind === 'Name' && !statement) {
    p.raise("invalid syntax. Maybe you meant '==' or ':=' instead of '='?", target.start, value.end);
  }
  if (!excluded) {
    p.raise(`cannot assign to ${exprName(target)} here. Maybe you meant '==' instead of '='?`, target.start, target.end);
  }
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

export function parseDisjunction(p: Parser): Expr {
  return parseBoolean(p, 'or', () => parseBoolean(p, 'and', () => parseInversion(p)));
}

function parseBoolean(p: Parser, op: 'and' | 'or', operand: () => Expr): Expr {
  const first = operand();
  if (!p.isKeyword(op)) return first;
  const values = [first];
  while (p.isKeyword(op)) {
    const before = p.pos;
    p.pos++;
    const next = p.attempt(operand);
    if (!next) {
      p.pos = before;
      break;
    }
    values.push(next);
  }
  if (values.length === 1) return first;
  const last = values[values.length - 1]!;
  // qastle nests `a and b and c` two at a time, so each extra operand costs another level.
  return { kind: 'BoolOp', op, values, start: first.start, end: last.end, depth: 2 * values.length + deepest(values) };
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
  const start = p.start();
  if (p.kind() === Tok.Op) {
    const text = p.textAt();
    if (['==', '!=', '<', '<=', '>', '>='].includes(text)) {
      p.pos++;
      return { op: text as CompareOperator, span: { start, end: p.end(p.pos - 1) } };
    }
    return undefined;
  }
  if (p.isKeyword('in')) {
    p.pos++;
    return { op: 'in', span: { start, end: p.end(p.pos - 1) } };
  }
  if (p.isKeyword('not') && p.isKeyword('in', p.pos + 1)) {
    p.pos += 2;
    return { op: 'not in', span: { start, end: p.end(p.pos - 1) } };
  }
  if (p.isKeyword('is')) {
    p.pos++;
    const op = p.eatKeyword('not') ? 'is not' : 'is';
    return { op, span: { start, end: p.end(p.pos - 1) } };
  }
  return undefined;
}

function parseComparison(p: Parser): Expr {
  const left = parseBitwiseOr(p);
  let before = p.pos;
  let operator = compareOperator(p);
  if (!operator) return left;
  const ops: CompareOperator[] = [];
  const opSpans: Span[] = [];
  const comparators: Expr[] = [];
  while (operator) {
    const comparator = p.attempt(() => parseBitwiseOr(p));
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
  const end = comparators[comparators.length - 1]!.end;
  const depth = 2 * ops.length + Math.max(left.depth, deepest(comparators));
  return { kind: 'Compare', left, ops, opSpans, comparators, start: left.start, end, depth };
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
  let left = parseFactor(p);
  while (p.kind() === Tok.Op) {
    const op = p.textAt();
    const precedence = BINARY_PRECEDENCE[op];
    if (precedence === undefined || precedence < minPrecedence) break;
    const before = p.pos;
    p.pos++;
    const right = p.attempt(() => parseBitwiseOr(p, precedence + 1));
    if (!right) {
      p.pos = before;
      break;
    }
    left = {
      kind: 'BinOp',
      op: op as BinaryOperator,
      left,
      right,
      start: left.start,
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
  let base: Expr;
  if (p.isKeyword('await')) {
    const start = p.start();
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
  const exponent = p.attempt(() => parseFactor(p));
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
    start: base.start,
    end: exponent.end,
    depth: depthOf(2, base, exponent),
  };
}

/** `primary`: an atom followed by attribute access, calls and subscripts, backtracking over a failed suffix. */
export function parsePrimary(p: Parser): Expr {
  let e = parseAtom(p);
  while (p.kind() === Tok.Op) {
    if (p.isOp('.')) {
      if (!p.isName(p.pos + 1)) break;
      const nameIndex = p.pos + 1;
      const raw = p.textAt(nameIndex);
      const attr = /^[\x00-\x7f]*$/.test(raw) ? raw : raw.normalize('NFKC');
      const attrSpan = { start: p.start(nameIndex), end: p.end(nameIndex) };
      p.pos += 2;
      e = { kind: 'Attribute', value: e, attr, attrSpan, start: e.start, end: attrSpan.end, depth: depthOf(2, e) };
    } else if (p.isOp('(')) {
      const func = e;
      const call = p.attempt(() => parseCallArguments(p, func));
      if (!call) break;
      e = call;
    } else if (p.isOp('[')) {
      const value = e;
      const subscript = p.attempt((): Expr => {
        p.pos++;
        const slice = parseSlices(p);
        p.expectOp(']');
        const end = p.end(p.pos - 1);
        return { kind: 'Subscript', value, slice, start: value.start, end, depth: depthOf(2, value, slice) };
      });
      if (!subscript) break;
      e = subscript;
    } else {
      break;
    }
  }
  return e;
}
