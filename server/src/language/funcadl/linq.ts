import type { CallExpr, Comprehension, Expr, Keyword, Module, Span, Stmt } from './ast';
import { PyError } from './errors';
import { LINQ_OPERATORS } from './linqNames';
import { parseModule } from './parser';

const linqError = (message: string, span: Span) =>
  new PyError('SyntaxError', message, span.start, span.end, 'funcadl/linq-arity');

/**
 * Replays `qastle.insert_linq_nodes`: calls of LINQ operators, as methods (`x.Select(f)`) or as functions
 * (`Select(x, f)`), become `Linq` nodes after their arguments are checked. Errors come in the reference's order: an
 * outer call is checked before its source and arguments are visited, and keyword arguments of LINQ calls are ignored.
 */
export function insertLinqNodes(module: Module): Module {
  return { ...module, body: module.body.map(transformStatement) };
}

function transformStatement(s: Stmt): Stmt {
  const children = s.children.map(transform);
  const value = s.value ? children[s.children.indexOf(s.value)] : s.value;
  return { ...s, children, value };
}

function transform(e: Expr): Expr {
  if (e.kind === 'Call') return transformCall(e);
  return rebuild(e, transform);
}

function transformCall(call: CallExpr): Expr {
  const { func } = call;
  let op: string;
  let source: Expr;
  let args: Expr[];
  if (func.kind === 'Attribute' && LINQ_OPERATORS.has(func.attr)) {
    op = func.attr;
    source = func.value;
    args = [...call.args];
  } else if (func.kind === 'Name' && LINQ_OPERATORS.has(func.id)) {
    op = func.id;
    if (call.args.length === 0) throw linqError('LINQ operators must specify a data source to operate on', call);
    source = call.args[0]!;
    args = call.args.slice(1);
  } else {
    return rebuild(call, transform);
  }
  const arity = LINQ_OPERATORS.get(op)!;
  const where = args.length > 0 ? { start: args[0]!.start, end: args[args.length - 1]!.end } : call.argsSpan;
  const linq = (fields: Expr[]): Expr => ({
    kind: 'Linq',
    op,
    fields,
    call,
    start: call.start,
    end: call.end,
    depth: call.depth,
  });
  if (op === 'Aggregate') {
    if (args.length !== 2) {
      throw linqError(`Aggregate() call must have exactly two arguments; found${args.length}`, where);
    }
    const func2 = lambdaFromString(args[1]!);
    if (func2.kind !== 'Lambda') throw linqError('Second Aggregate() call argument must be a lambda', args[1]!);
    return linq([transform(source), transform(args[0]!), transform(func2)]);
  }
  if (arity.args === 0) {
    if (args.length !== 0) throw linqError(`${op}() call must have zero arguments`, where);
    return linq([transform(source)]);
  }
  if (args.length !== 1) throw linqError(`${op}() call must have exactly one argument`, where);
  if (arity.lambdaArgs === undefined) return linq([transform(source), transform(args[0]!)]);
  const selector = lambdaFromString(args[0]!);
  if (selector.kind !== 'Lambda') throw linqError(`${op}() call argument must be a lambda`, args[0]!);
  return linq([transform(source), transform(selector)]);
}

/**
 * A string argument such as `'lambda e: e.pt'` is parsed as a Python module and its first statement's `value` is
 * used, exactly as qastle does; its nodes are placed at the string's span, since escapes make finer offsets unreliable.
 */
function lambdaFromString(arg: Expr): Expr {
  if (arg.kind !== 'Constant' || arg.value.type !== 'str') return arg;
  let module: Module;
  try {
    module = parseModule(arg.value.value);
  } catch (error) {
    if (error instanceof PyError) {
      throw new PyError(error.type, error.pythonMessage, arg.start, arg.end, error.code, error.hint);
    }
    throw error;
  }
  const first = module.body[0];
  if (!first) return arg;
  if (first.value === undefined) {
    throw new PyError('AttributeError', `'${first.kind}' object has no attribute 'value'`, arg.start, arg.end);
  }
  return first.value === null ? arg : relocate(first.value, arg);
}

function relocate(e: Expr, span: Span): Expr {
  return { ...rebuild(e, (child) => relocate(child, span)), start: span.start, end: span.end } as Expr;
}

/** A copy of `e` whose children went through `map`, called in Python's field order (object literals evaluate in order). */
export function rebuild(e: Expr, map: (child: Expr) => Expr): Expr {
  const m = (x: Expr | null) => (x === null ? null : map(x));
  const generators = (gs: readonly Comprehension[]) =>
    gs.map((g) => ({ ...g, target: map(g.target), iter: map(g.iter), ifs: g.ifs.map(map) }));
  switch (e.kind) {
    case 'Name':
    case 'Constant':
      return e;
    case 'List':
    case 'Tuple':
    case 'Set':
      return { ...e, elts: e.elts.map(map) };
    case 'Dict':
      return { ...e, keys: e.keys.map(m), values: e.values.map(map) };
    case 'Attribute':
    case 'Starred':
    case 'Await':
    case 'YieldFrom':
      return { ...e, value: map(e.value) } as Expr;
    case 'Yield':
      return { ...e, value: m(e.value) };
    case 'Subscript':
      return { ...e, value: map(e.value), slice: map(e.slice) };
    case 'Slice':
      return { ...e, lower: m(e.lower), upper: m(e.upper), step: m(e.step) };
    case 'Call':
      return {
        ...e,
        func: map(e.func),
        args: e.args.map(map),
        keywords: e.keywords.map((k): Keyword => ({ ...k, value: map(k.value) })),
      };
    case 'IfExp':
      return { ...e, test: map(e.test), body: map(e.body), orelse: map(e.orelse) };
    case 'UnaryOp':
      return { ...e, operand: map(e.operand) };
    case 'BinOp':
      return { ...e, left: map(e.left), right: map(e.right) };
    case 'BoolOp':
      return { ...e, values: e.values.map(map) };
    case 'Compare':
      return { ...e, left: map(e.left), comparators: e.comparators.map(map) };
    case 'Lambda':
      return {
        ...e,
        args: { ...e.args, kwDefaults: e.args.kwDefaults.map(m), defaults: e.args.defaults.map(map) },
        body: map(e.body),
      };
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
      return { ...e, elt: map(e.elt), generators: generators(e.generators) };
    case 'DictComp':
      return { ...e, key: map(e.key), value: map(e.value), generators: generators(e.generators) };
    case 'NamedExpr':
      return { ...e, target: map(e.target), value: map(e.value) };
    case 'JoinedStr':
      return { ...e, values: e.values.map(map) };
    case 'Linq':
      return { ...e, fields: e.fields.map(map) };
  }
}
