import type { Arguments, Expr, LambdaExpr } from '../funcadl/ast';
import { PyError } from '../funcadl/errors';
import { numberValue } from '../funcadl/numbers';
import { KEYWORDS, parseModule } from '../funcadl/parser';
import type { QAtom, QComposite, QNode } from './syntax';

/** A node that qastle's text-to-Python transformer rejects, with qastle's own message. */
export class QastleNodeError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
    /** `qastle/arity`, `qastle/field-type`, `qastle/unknown-node` or `qastle/syntax` (for an atom Python rejects). */
    readonly code: string,
  ) {
    super(message);
  }
}

const UNARY: Readonly<Record<string, string>> = { '+': 'UAdd', '-': 'USub', not: 'Not', '~': 'Invert' };
const BINARY: Readonly<Record<string, string>> = {
  '+': 'Add', '-': 'Sub', '*': 'Mult', '/': 'Div', '%': 'Mod', '**': 'Pow', '//': 'FloorDiv', '&': 'BitAnd', '|': 'BitOr',
  '^': 'BitXor', '<<': 'LShift', '>>': 'RShift',
}; // prettier-ignore
const BOOLEAN: Readonly<Record<string, string>> = { and: 'And', or: 'Or' };
const COMPARE: Readonly<Record<string, string>> = {
  '==': 'Eq',
  '!=': 'NotEq',
  '<': 'Lt',
  '<=': 'LtE',
  '>': 'Gt',
  '>=': 'GtE',
};

/** LINQ node types: field count, and for those that take a function, which field and how many arguments. */
const LINQ_NODES: Readonly<Record<string, { fields: number; lambda?: [index: number, args: number, role: string] }>> = {
  Where: { fields: 2, lambda: [1, 1, 'predicate'] },
  Select: { fields: 2, lambda: [1, 1, 'selector'] },
  SelectMany: { fields: 2, lambda: [1, 1, 'selector'] },
  First: { fields: 1 },
  Last: { fields: 1 },
  ElementAt: { fields: 2 },
  Contains: { fields: 2 },
  Aggregate: { fields: 3, lambda: [2, 2, 'func'] },
  Count: { fields: 1 },
  Max: { fields: 1 },
  Min: { fields: 1 },
  Sum: { fields: 1 },
  All: { fields: 2, lambda: [1, 1, 'predicate'] },
  Any: { fields: 2, lambda: [1, 1, 'predicate'] },
  Concat: { fields: 2 },
  Zip: { fields: 1 },
  OrderBy: { fields: 2, lambda: [1, 1, 'key selector'] },
  OrderByDescending: { fields: 2, lambda: [1, 1, 'key selector'] },
  Choose: { fields: 2 },
};

/** Every composite node type qastle's text parser knows. */
export const NODE_TYPES: readonly string[] = [
  'list', 'dict', 'attr', 'subscript', 'call', 'if', 'lambda', ...Object.keys(UNARY), ...Object.keys(BINARY),
  ...Object.keys(BOOLEAN), ...Object.keys(COMPARE), ...Object.keys(LINQ_NODES),
].filter((t, i, all) => all.indexOf(t) === i); // prettier-ignore

const NUMBER_WORDS = ['zero', 'one', 'two', 'three'];
const plural = (n: number) => (n === 1 ? 'field' : 'fields');

/** Python's `str(type(node))` for the classes these messages mention. */
function pythonClass(e: Expr): string {
  const name = e.kind === 'Linq' ? e.op : e.kind === 'Tuple' ? 'List' : e.kind;
  const module = e.kind === 'Linq' ? 'qastle.linq_util' : 'ast';
  return `<class '${module}.${name}'>`;
}

const span = (q: QNode) => ({ start: q.start, end: q.end });

/**
 * Replays `qastle.text_ast_to_python_ast` on a parsed record: children first, as Lark's transformer works, with
 * qastle's messages. LINQ nodes come out as `Linq` expressions; atoms are evaluated as Python literals.
 */
export function toPython(node: QNode): Expr {
  return node.kind === 'atom' ? atomToPython(node) : compositeToPython(node);
}

function atomToPython(atom: QAtom): Expr {
  const simple = simpleAtom(atom);
  if (simple) return simple;
  const source = atom.atomType === 'number' && atom.text.startsWith('+') ? atom.text.slice(1) : atom.text;
  try {
    const module = parseModule(source);
    const value = module.body[0]?.value;
    if (!value) throw new QastleNodeError('Expression does not contain a node', atom.start, atom.end, 'qastle/syntax');
    return relocate(value, atom);
  } catch (error) {
    if (error instanceof PyError) {
      throw new QastleNodeError(`${error.pythonMessage} (<unknown>, line 1)`, atom.start, atom.end, 'qastle/syntax');
    }
    throw error;
  }
}

const PLAIN_NUMBER = /^(?:(?:[1-9]\d*|0)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Identifiers and plain numbers, which make up most of a large record, evaluated without running the Python parser;
 * anything unusual (keywords, strings, leading zeros) takes the general path, which reports Python's errors.
 */
function simpleAtom(atom: QAtom): Expr | undefined {
  const where = { start: atom.start, end: atom.end, depth: 2 };
  const { text } = atom;
  if (atom.atomType === 'identifier') {
    if (text === 'True' || text === 'False')
      return { kind: 'Constant', value: { type: 'bool', value: text === 'True' }, ...where };
    if (text === 'None') return { kind: 'Constant', value: { type: 'none' }, ...where };
    return KEYWORDS.has(text) ? undefined : { kind: 'Name', id: text, ...where };
  }
  if (atom.atomType !== 'number') return undefined;
  const negative = text.startsWith('-');
  const digits = text.startsWith('+') || negative ? text.slice(1) : text;
  if (!PLAIN_NUMBER.test(digits) || digits.length > 4000) return undefined;
  const constant: Expr = { kind: 'Constant', value: numberValue(digits, atom.start), ...where };
  return negative ? { kind: 'UnaryOp', op: '-', operand: constant, ...where } : constant;
}

function relocate(e: Expr, q: QNode): Expr {
  if (e.kind === 'UnaryOp') return { ...e, operand: relocate(e.operand, q), ...span(q) };
  return { ...e, ...span(q) };
}

function compositeToPython(node: QComposite): Expr {
  const fields = node.fields.map(toPython);
  const { type } = node;
  const n = fields.length;
  const fail = (message: string, code: string): never => {
    throw new QastleNodeError(message, node.start, node.end, code);
  };
  const where = { ...span(node), depth: 0 };
  const [a, b, c] = fields;
  switch (type) {
    case 'list':
      return { kind: 'List', elts: fields, ...where };
    case 'dict':
      if (n !== 2) fail(`Dictionary node must have two fields; found ${n}`, 'qastle/arity');
      for (const f of [a, b]) {
        if (f.kind !== 'List') fail(`Dictionary fields must be lists; found ${pythonClass(f)}`, 'qastle/field-type');
      }
      return { kind: 'Dict', keys: (a as { elts: Expr[] }).elts, values: (b as { elts: Expr[] }).elts, ...where };
    case 'attr':
      if (n !== 2) fail(`Attribute node must have two fields; found ${n}`, 'qastle/arity');
      if (b.kind !== 'Constant' || b.value.type !== 'str') {
        fail(`Attribute name must be a string; found ${pythonClass(b)}`, 'qastle/field-type');
      }
      return {
        kind: 'Attribute',
        value: a,
        attr: (b as { value: { value: string } }).value.value,
        attrSpan: b,
        ...where,
      };
    case 'subscript':
      if (n !== 2) fail(`Subscript node must have two fields; found ${n}`, 'qastle/arity');
      return { kind: 'Subscript', value: a, slice: b, ...where };
    case 'call':
      if (n < 1) fail(`Call node must have at least one field; found ${n}`, 'qastle/arity');
      return { kind: 'Call', func: a, args: fields.slice(1), keywords: [], argsSpan: span(node), ...where };
    case 'if':
      if (n !== 3) fail(`If node must have three fields; found ${n}`, 'qastle/arity');
      return { kind: 'IfExp', test: a, body: b, orelse: c, ...where };
    case 'lambda':
      return lambdaNode(node, fields, fail);
  }
  if (type in UNARY && n === 1) return { kind: 'UnaryOp', op: type as '+', operand: a, ...where };
  if (type in UNARY && type !== '+' && type !== '-') {
    fail(`${UNARY[type]} operator only supported for one operand; found ${n}`, 'qastle/arity');
  }
  if (type in BINARY) {
    if (n !== 2) fail(`${BINARY[type]} operator only supported for two operands; found ${n}`, 'qastle/arity');
    return { kind: 'BinOp', op: type as '+', left: a, right: b, ...where };
  }
  if (type in BOOLEAN) {
    if (n !== 2) fail(`${BOOLEAN[type]} operator only supported for two operands; found ${n}`, 'qastle/arity');
    return { kind: 'BoolOp', op: type as 'and', values: [a, b], ...where };
  }
  if (type in COMPARE) {
    if (n !== 2) fail(`${COMPARE[type]} operator only supported for two operands; found ${n}`, 'qastle/arity');
    return { kind: 'Compare', left: a, ops: [type as '=='], opSpans: [span(node)], comparators: [b], ...where };
  }
  const linq = LINQ_NODES[type];
  if (!linq) return fail(`Unknown composite node type: ${type}`, 'qastle/unknown-node');
  if (n !== linq.fields) {
    const count = NUMBER_WORDS[linq.fields];
    const name = type === 'dict' ? 'Dictionary' : type;
    fail(`${name} node must have ${count} ${plural(linq.fields)}; found ${n}`, 'qastle/arity');
  }
  if (linq.lambda) {
    const [index, args, role] = linq.lambda;
    const f = fields[index];
    // qastle's Aggregate message names the second field's class although it checks the third.
    const shown = type === 'Aggregate' ? fields[1] : f;
    if (f.kind !== 'Lambda') fail(`${type} ${role} must be a lambda; found ${pythonClass(shown)}`, 'qastle/field-type');
    const found = (f as LambdaExpr).args.args.length;
    if (found !== args) {
      fail(
        `${type} ${role} must have exactly ${NUMBER_WORDS[args]} argument${args === 1 ? '' : 's'}; found ${found}`,
        'qastle/arity',
      );
    }
  }
  return { kind: 'Linq', op: type, fields, ...where };
}

function lambdaNode(node: QComposite, fields: Expr[], fail: (message: string, code: string) => never): Expr {
  if (fields.length !== 2) fail(`Lambda node must have two fields; found ${fields.length}`, 'qastle/arity');
  const [params, body] = fields as [Expr, Expr];
  if (params.kind !== 'List')
    fail(`Lambda arguments must be in a list; found ${pythonClass(params)}`, 'qastle/field-type');
  const names = (params as { elts: Expr[] }).elts;
  for (const arg of names) {
    if (arg.kind !== 'Name')
      fail(`Lambda arguments must variable names; found ${pythonClass(arg)}`, 'qastle/field-type');
  }
  const args: Arguments = {
    posonlyargs: [],
    args: names.map((arg) => ({ name: (arg as { id: string }).id, start: arg.start, end: arg.end })),
    vararg: null,
    kwonlyargs: [],
    kwDefaults: [],
    kwarg: null,
    defaults: [],
    start: params.start,
    end: params.end,
  };
  return { kind: 'Lambda', args, body, start: node.start, end: node.end, depth: 0 };
}
