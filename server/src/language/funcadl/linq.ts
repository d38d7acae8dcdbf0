import type { CallExpr, Expr, Module, Span, Stmt } from './ast';
import { PyError } from './errors';
import { LINQ_OPERATORS } from './linqNames';
import { PYTHON_FRAME_BUDGET, parseModule } from './parser';

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

/** The tree is freshly parsed and owned by this pass, so it is rewritten in place rather than copied. */
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
  const where = args.length > 0 ? { start: args[0].start, end: args[args.length - 1].end } : call.argsSpan;
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
    const func2 = lambdaFromString(args[1]);
    if (func2.kind !== 'Lambda') throw linqError('Second Aggregate() call argument must be a lambda', args[1]);
    return linq([transform(source), transform(args[0]), transform(func2)]);
  }
  if (arity.args === 0) {
    if (args.length !== 0) throw linqError(`${op}() call must have zero arguments`, where);
    return linq([transform(source)]);
  }
  if (args.length !== 1) throw linqError(`${op}() call must have exactly one argument`, where);
  if (arity.lambdaArgs === undefined) return linq([transform(source), transform(args[0])]);
  const selector = lambdaFromString(args[0]);
  if (selector.kind !== 'Lambda') throw linqError(`${op}() call argument must be a lambda`, args[0]);
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
  if (first.value === null) return arg;
  if (first.value.depth > PYTHON_FRAME_BUDGET) {
    throw new PyError('RecursionError', 'maximum recursion depth exceeded', arg.start, arg.end, 'funcadl/too-deep');
  }
  return relocate(first.value, arg);
}

function relocate(e: Expr, span: Span): Expr {
  const moved = rebuild(e, (child) => relocate(child, span)) as { start: number; end: number };
  moved.start = span.start;
  moved.end = span.end;
  return moved as Expr;
}

/**
 * Replaces each child of `e` by `map(child)`, in Python's field order, and returns `e`. The nodes are mutated: every
 * caller works on a tree it has just parsed.
 */
export function rebuild(e: Expr, map: (child: Expr) => Expr): Expr {
  const m = (x: Expr | null) => (x === null ? null : map(x));
  const all = (xs: Expr[]) => {
    for (let i = 0; i < xs.length; i++) xs[i] = map(xs[i]);
  };
  const node = e as unknown as Record<string, unknown>;
  switch (e.kind) {
    case 'Name':
    case 'Constant':
      break;
    case 'List':
    case 'Tuple':
    case 'Set':
      all(e.elts);
      break;
    case 'Dict':
      for (let i = 0; i < e.keys.length; i++) e.keys[i] = m(e.keys[i]);
      all(e.values);
      break;
    case 'Attribute':
    case 'Starred':
    case 'Await':
    case 'YieldFrom':
      node.value = map(e.value);
      break;
    case 'Yield':
      node.value = m(e.value);
      break;
    case 'Subscript':
      node.value = map(e.value);
      node.slice = map(e.slice);
      break;
    case 'Slice':
      node.lower = m(e.lower);
      node.upper = m(e.upper);
      node.step = m(e.step);
      break;
    case 'Call':
      node.func = map(e.func);
      all(e.args);
      for (const k of e.keywords) (k as { value: Expr }).value = map(k.value);
      break;
    case 'IfExp':
      node.test = map(e.test);
      node.body = map(e.body);
      node.orelse = map(e.orelse);
      break;
    case 'UnaryOp':
      node.operand = map(e.operand);
      break;
    case 'BinOp':
      node.left = map(e.left);
      node.right = map(e.right);
      break;
    case 'BoolOp':
      all(e.values);
      break;
    case 'Compare':
      node.left = map(e.left);
      all(e.comparators);
      break;
    case 'Lambda':
      for (let i = 0; i < e.args.kwDefaults.length; i++) e.args.kwDefaults[i] = m(e.args.kwDefaults[i]);
      all(e.args.defaults);
      node.body = map(e.body);
      break;
    case 'ListComp':
    case 'SetComp':
    case 'GeneratorExp':
    case 'DictComp':
      if (e.kind === 'DictComp') {
        node.key = map(e.key);
        node.value = map(e.value);
      } else {
        node.elt = map(e.elt);
      }
      for (const g of e.generators) {
        const gen = g as unknown as Record<string, unknown>;
        gen.target = map(g.target);
        gen.iter = map(g.iter);
        all(g.ifs);
      }
      break;
    case 'NamedExpr':
      node.target = map(e.target);
      node.value = map(e.value);
      break;
    case 'JoinedStr':
      all(e.values);
      break;
    case 'Linq':
      all(e.fields);
      break;
  }
  return e;
}
