import type { CallExpr, ConstantExpr, Expr, Module, PyValue, Span } from './ast';
import { PyError } from './errors';
import { reprStr, reprValue } from './literals';

const PYTHON_OPERATOR_CLASSES: Readonly<Record<string, string>> = {
  in: 'In',
  'not in': 'NotIn',
  is: 'Is',
  'is not': 'IsNot',
  '@': 'MatMult',
};

const OPERATOR_HINTS: Readonly<Record<string, string>> = {
  in: 'qastle has no `in`: write `x == a or x == b`, or use `.Contains(x)` on a collection',
  'not in': 'qastle has no `not in`: write `x != a and x != b`',
  is: 'qastle has no `is`: compare with `==`',
  'is not': 'qastle has no `is not`: compare with `!=`',
  '@': 'qastle has no matrix multiplication operator `@`',
};

const UNSUPPORTED_HINTS: Readonly<Record<string, string>> = {
  ListComp:
    'Comprehensions are not translated: write `coll.Select(lambda x: …)`, with `.Where(lambda x: …)` for an `if`',
  GeneratorExp: 'Comprehensions are not translated: write `coll.Select(lambda x: …)`, with `.Where(…)` for an `if`',
  SetComp: 'Comprehensions are not translated: write `coll.Select(lambda x: …)`',
  DictComp: 'Dict comprehensions are not translated: build the dict with literal keys',
  Set: 'Set displays are not supported: use a list `[…]`',
  Starred: 'Unpacking with `*` is not supported: pass the values one by one',
  NamedExpr: 'Assignment expressions (`:=`) are not supported: repeat the expression instead',
  Slice: 'Slices are not supported by qastle: index single elements such as `x[0]`, or filter with `.Where`',
  JoinedStr: 'f-strings are not supported: write a plain string literal',
  Await: '`await` has no meaning in a query',
  Yield: '`yield` has no meaning in a query',
  YieldFrom: '`yield from` has no meaning in a query',
  NoneType: 'Dict unpacking (`**`) is not supported: write the keys out',
};

/** The error qastle raises for a node class it has no visitor for. */
export function unsupported(pythonClass: string, span: Span): PyError {
  const qualified = pythonClass === 'NoneType' ? "<class 'NoneType'>" : `<class 'ast.${pythonClass}'>`;
  const code = pythonClass === 'Slice' ? 'funcadl/slice' : 'funcadl/unsupported';
  const hint = UNSUPPORTED_HINTS[pythonClass] ?? 'A query must be a single expression';
  return new PyError('SyntaxError', `Unsupported node type: ${qualified}`, span.start, span.end, code, hint);
}

/**
 * Replays `qastle.python_ast_to_text_ast` on a module whose LINQ nodes are already in place: the text Python sends,
 * or the first error Python meets, visiting children in the same order.
 */
export function emitModule(module: Module): string {
  const { body } = module;
  if (body.length === 0) return '';
  if (body.length > 1) {
    const second = body[1];
    throw new PyError(
      'SyntaxError',
      `A record must contain zero or one expressions; found ${body.length}`,
      second.start,
      body[body.length - 1].end,
      'funcadl/syntax',
      'A query is one expression: remove the `;` or the extra line',
    );
  }
  const statement = body[0];
  if (statement.kind !== 'Expr' || !statement.value) throw unsupported(statement.kind, statement);
  return emit(statement.value);
}

/** `(call func arg …)`; keyword arguments are dropped, as qastle drops them. */
function emitCall(e: CallExpr): string {
  let text = '(call ' + emit(e.func);
  for (const arg of e.args) text += ' ' + emit(arg);
  return text + ')';
}

/** `(type f1 f2 …)` built by concatenation, which V8 turns into cheap ropes. */
function composite(type: string, items: readonly Expr[]): string {
  let text = '(' + type;
  for (const item of items) text += ' ' + emit(item);
  return text + ')';
}

function emit(e: Expr): string {
  switch (e.kind) {
    case 'Name':
      return e.id;
    case 'Constant':
      return reprValue(e.value, e.start, e.end);
    case 'List':
    case 'Tuple':
      return composite('list', e.elts);
    case 'Dict': {
      let keys = '(list';
      for (const k of e.keys) keys += ' ' + (k === null ? fail(unsupported('NoneType', e)) : emit(k));
      return '(dict ' + keys + ') ' + composite('list', e.values) + ')';
    }
    case 'Attribute':
      return '(attr ' + emit(e.value) + ' ' + reprStr(e.attr) + ')';
    case 'Subscript': {
      const value = emit(e.value);
      return '(subscript ' + value + ' ' + emit(e.slice) + ')';
    }
    case 'Call':
      return emitCall(e);
    case 'IfExp':
      return composite('if', [e.test, e.body, e.orelse]);
    case 'UnaryOp':
      if (e.operand.kind === 'Constant' && (e.op === '+' || e.op === '-')) {
        return e.op === '+' ? emit(e.operand) : reprValue(negate(e.operand, e), e.start, e.end);
      }
      return composite(e.op, [e.operand]);
    case 'BinOp':
      // qastle looks the operator up before it visits the operands.
      if (e.op === '@') throw operatorError('@', e);
      return composite(e.op, [e.left, e.right]);
    case 'BoolOp': {
      let text = emit(e.values[0]);
      for (let i = 1; i < e.values.length; i++) text = '(' + e.op + ' ' + text + ' ' + emit(e.values[i]) + ')';
      return text;
    }
    case 'Compare':
      return emitCompare(e);
    case 'Lambda': {
      let params = '(list';
      for (const a of e.args.args) params += ' ' + a.name;
      return '(lambda ' + params + ') ' + emit(e.body) + ')';
    }
    case 'Linq':
      return composite(e.op, e.fields);
    default:
      throw unsupported(e.kind, e);
  }
}

function emitCompare(e: Extract<Expr, { kind: 'Compare' }>): string {
  let left = emit(e.left);
  let right = emit(e.comparators[0]);
  const check = (i: number) => {
    const op = e.ops[i];
    if (op in PYTHON_OPERATOR_CLASSES) throw operatorError(op, e.opSpans[i]);
    return op;
  };
  let text = '(' + check(0) + ' ' + left + ' ' + right + ')';
  for (let i = 1; i < e.ops.length; i++) {
    left = right;
    right = emit(e.comparators[i]);
    text = '(and ' + text + ' (' + check(i) + ' ' + left + ' ' + right + '))';
  }
  return text;
}

function operatorError(op: string, span: Span): PyError {
  const pythonClass = PYTHON_OPERATOR_CLASSES[op];
  return new PyError(
    'KeyError',
    `<class 'ast.${pythonClass}'>`,
    span.start,
    span.end,
    'funcadl/unsupported',
    OPERATOR_HINTS[op],
  );
}

function fail(error: PyError): never {
  throw error;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  str: 'str',
  bytes: 'bytes',
  none: 'NoneType',
  ellipsis: 'ellipsis',
};

/** `-constant` as qastle folds it: Python's unary minus applied to the constant's value. */
function negate(operand: ConstantExpr, span: Span): PyValue {
  const v = operand.value;
  switch (v.type) {
    case 'int':
      return { type: 'int', value: -v.value };
    case 'bool':
      return { type: 'int', value: v.value ? -1n : 0n };
    case 'float':
      return { type: 'float', value: -v.value };
    case 'complex':
      return { type: 'complex', real: -v.real, imag: -v.imag };
    default:
      throw new PyError(
        'TypeError',
        `bad operand type for unary -: '${TYPE_NAMES[v.type] ?? v.type}'`,
        span.start,
        span.end,
        'funcadl/unsupported',
        'Only numbers can be negated',
      );
  }
}
