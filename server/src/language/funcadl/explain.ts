import type { Expr } from './ast';
import { parseStarExpressions } from './atoms';
import { parseBitwiseOr, parseExpression } from './expressions';
import { Tok } from './tokens';
import type { Parser } from './parser';

/*
 * CPython's second parsing pass: the rules that only run after a failure, to say what is wrong ("Perhaps you forgot a
 * comma?", "cannot assign to …"). Each check returns quietly when its pattern does not apply, so the caller fails
 * with the generic "invalid syntax" instead.
 */

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

/** CPython's second-pass rule for two expressions side by side inside brackets: "Perhaps you forgot a comma?". */
export function checkMissingComma(p: Parser, first: number, a: Expr): void {
  if (!p.invalidRules || !startsExpression(p)) return;
  const excluded = (p.isName(first) && p.kind(first + 1) === Tok.String) || SOFT_KEYWORDS.has(p.textAt(first));
  if (excluded || (a.kind === 'Name' && (a.id === 'print' || a.id === 'exec'))) return;
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
  if (level > 0) p.raise('invalid syntax. Perhaps you forgot a comma?', a.start, b.end);
}

/**
 * CPython's second-pass rule for a name followed by more expressions (`print x`): it parses what follows the name,
 * which can itself raise, and asks for parentheses when the name is `print` or `exec`.
 */
export function checkLegacyPrint(p: Parser, first: number, a: Expr): void {
  if (!p.invalidRules || !p.isName(first) || p.peekOp('(', first + 1) || !startsExpression(p, first + 1)) return;
  const saved = p.pos;
  p.pos = first + 1;
  const b = p.probe(() => parseStarExpressions(p));
  p.pos = saved;
  const name = p.textAt(first);
  if (b && (name === 'print' || name === 'exec')) {
    p.raise(`Missing parentheses in call to '${name}'. Did you mean ${name}(...)?`, a.start, b.end);
  }
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
  // CPython's rule starts with a negative lookahead: the text must not begin with a list, a tuple, a generator
  // expression, True, None or False, so what matters is the leftmost atom of the target.
  let head = target;
  while (head.kind === 'Attribute' || head.kind === 'Subscript' || head.kind === 'Call' || head.kind === 'BinOp') {
    head = head.kind === 'Call' ? head.func : head.kind === 'BinOp' ? head.left : head.value;
  }
  const excluded =
    (head.start === target.start && (head.kind === 'List' || head.kind === 'Tuple' || head.kind === 'GeneratorExp')) ||
    (head.kind === 'Constant' && (head.value.type === 'none' || head.value.type === 'bool'));
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
    p.raise(
      `cannot assign to ${exprName(target)} here. Maybe you meant '==' instead of '='?`,
      target.start,
      target.end,
    );
  }
}

/**
 * The part of an assignment or `for` target that cannot be assigned to (`_PyPegen_get_invalid_target`). In a `for`
 * target a comparison is the `x in y` of the loop itself, so only its left side is checked.
 */
export function invalidTarget(target: Expr, forTarget = false): Expr | undefined {
  switch (target.kind) {
    case 'Name':
    case 'Attribute':
    case 'Subscript':
      return undefined;
    case 'Starred':
      return invalidTarget(target.value, forTarget);
    case 'Tuple':
    case 'List':
      for (const elt of target.elts) {
        const invalid = invalidTarget(elt, forTarget);
        if (invalid) return invalid;
      }
      return undefined;
    case 'Compare':
      if (!forTarget) return target;
      return target.ops[0] === 'in' ? invalidTarget(target.left, forTarget) : undefined;
    default:
      return target;
  }
}
