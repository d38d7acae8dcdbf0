import type { Expr } from '../funcadl/ast';

/** The expressions directly inside an expression, for the kinds the xAOD check does not treat on its own. */
export function childExpressions(expr: Expr): readonly (Expr | null)[] {
  switch (expr.kind) {
    case 'Name':
    case 'Constant':
      return [];
    case 'List':
    case 'Tuple':
    case 'Set':
      return expr.elts;
    case 'Dict':
      return [...expr.keys, ...expr.values];
    case 'Attribute':
    case 'Starred':
    case 'Await':
    case 'YieldFrom':
    case 'Yield':
      return [expr.value];
    case 'Subscript':
      return [expr.value, expr.slice];
    case 'Slice':
      return [expr.lower, expr.upper, expr.step];
    case 'Call':
      return [expr.func, ...expr.args, ...expr.keywords.map((k) => k.value)];
    case 'IfExp':
      return [expr.test, expr.body, expr.orelse];
    case 'UnaryOp':
      return [expr.operand];
    case 'BinOp':
      return [expr.left, expr.right];
    case 'BoolOp':
      return expr.values;
    case 'Compare':
      return [expr.left, ...expr.comparators];
    case 'Lambda':
      return [expr.body];
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return [expr.elt, ...expr.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'DictComp':
      return [expr.key, expr.value, ...expr.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'NamedExpr':
      return [expr.target, expr.value];
    case 'JoinedStr':
      return expr.values;
    case 'Linq':
      return expr.fields;
  }
}

/** The names a comprehension target binds (`j` in `for j in …`, `a` and `b` in `for a, b in …`). */
export function targetNames(target: Expr): string[] {
  const names: string[] = [];
  const pending: Expr[] = [target];
  // A loop rather than recursion, so a deeply nested target cannot exhaust the stack.
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.kind === 'Name') names.push(next.id);
    else if (next.kind === 'Tuple' || next.kind === 'List') pending.push(...next.elts);
    else if (next.kind === 'Starred') pending.push(next.value);
  }
  return names;
}
