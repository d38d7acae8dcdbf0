import type { Expr } from './ast';

/**
 * The direct children of an expression in the order Python's `ast.NodeVisitor.generic_visit` meets them (the order
 * of each class's `_fields`), so that passes raise the first error the reference would raise.
 */
export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'Name':
    case 'Constant':
      return [];
    case 'List':
    case 'Tuple':
    case 'Set':
      return e.elts;
    case 'Dict':
      return [...e.keys.filter((k): k is Expr => k !== null), ...e.values];
    case 'Attribute':
      return [e.value];
    case 'Subscript':
      return [e.value, e.slice];
    case 'Slice':
      return [e.lower, e.upper, e.step].filter((x): x is Expr => x !== null);
    case 'Call':
      return [e.func, ...e.args, ...e.keywords.map((k) => k.value)];
    case 'IfExp':
      return [e.test, e.body, e.orelse];
    case 'UnaryOp':
      return [e.operand];
    case 'BinOp':
      return [e.left, e.right];
    case 'BoolOp':
      return e.values;
    case 'Compare':
      return [e.left, ...e.comparators];
    case 'Lambda': {
      const a = e.args;
      return [...a.kwDefaults.filter((d): d is Expr => d !== null), ...a.defaults, e.body];
    }
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return [e.elt, ...e.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'DictComp':
      return [e.key, e.value, ...e.generators.flatMap((g) => [g.target, g.iter, ...g.ifs])];
    case 'Starred':
    case 'Await':
    case 'YieldFrom':
      return [e.value];
    case 'Yield':
      return e.value ? [e.value] : [];
    case 'NamedExpr':
      return [e.target, e.value];
    case 'JoinedStr':
      return e.values;
    case 'Linq':
      return e.fields;
  }
}
