import type { Expr, PyValue } from '../funcadl/ast';
import { isPrintable, reprValue } from '../funcadl/literals';

/** Python's `ast._Precedence`, lowest first. */
const P = {
  TUPLE: 2,
  YIELD: 3,
  TEST: 4,
  OR: 5,
  AND: 6,
  NOT: 7,
  CMP: 8,
  EXPR: 9,
  BXOR: 10,
  BAND: 11,
  SHIFT: 12,
  ARITH: 13,
  TERM: 14,
  FACTOR: 15,
  POWER: 16,
  ATOM: 18,
} as const;

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '+': P.ARITH,
  '-': P.ARITH,
  '*': P.TERM,
  '@': P.TERM,
  '/': P.TERM,
  '%': P.TERM,
  '//': P.TERM,
  '<<': P.SHIFT,
  '>>': P.SHIFT,
  '|': P.EXPR,
  '^': P.BXOR,
  '&': P.BAND,
  '**': P.POWER,
};

/** What `ast.unparse` prints for a module holding `body` as its only expression (or nothing). */
export function unparseModule(body: Expr | undefined): string {
  if (!body) return '';
  if (body.kind === 'Constant' && body.value.type === 'str') return docstring(body.value.value);
  return unparse(body, P.YIELD);
}

/**
 * Python 3.11's `ast.unparse` for one expression, where `precedence` is what the parent asked for (`TEST` when it
 * asked nothing). LINQ nodes are printed as the method calls they stand for: `source.Op(other fields…)`.
 */
export function unparse(e: Expr, precedence: number = P.TEST): string {
  const parens = (own: number, text: () => string) => (precedence > own ? `(${text()})` : text());
  switch (e.kind) {
    case 'Name':
      return e.id;
    case 'Constant':
      return constant(e.value);
    case 'List':
      return `[${e.elts.map((x) => unparse(x)).join(', ')}]`;
    case 'Tuple':
      if (e.elts.length === 1) return parens(P.TUPLE, () => `${unparse(e.elts[0])},`);
      return e.elts.length === 0 || precedence > P.TUPLE
        ? `(${e.elts.map((x) => unparse(x)).join(', ')})`
        : e.elts.map((x) => unparse(x)).join(', ');
    case 'Dict': {
      // Python zips keys with values, so surplus keys or values are silently left out.
      const count = Math.min(e.keys.length, e.values.length);
      const items: string[] = [];
      for (let i = 0; i < count; i++) {
        const key = e.keys[i]!;
        const value = e.values[i];
        items.push(key === null ? `**${unparse(value, P.EXPR)}` : `${unparse(key)}: ${unparse(value)}`);
      }
      return `{${items.join(', ')}}`;
    }
    case 'Attribute': {
      const value = unparse(e.value, P.ATOM);
      const intLike = e.value.kind === 'Constant' && (e.value.value.type === 'int' || e.value.value.type === 'bool');
      return `${value}${intLike ? ' ' : ''}.${e.attr}`;
    }
    case 'Call':
      return `${unparse(e.func, P.ATOM)}(${[...e.args.map((x) => unparse(x)), ...e.keywords.map((k) => (k.arg === null ? '**' : `${k.arg}=`) + unparse(k.value))].join(', ')})`;
    case 'Subscript': {
      const index =
        e.slice.kind === 'Tuple' && e.slice.elts.length > 0
          ? e.slice.elts.length === 1
            ? `${unparse(e.slice.elts[0])},`
            : e.slice.elts.map((x) => unparse(x)).join(', ')
          : unparse(e.slice);
      return `${unparse(e.value, P.ATOM)}[${index}]`;
    }
    case 'IfExp':
      return parens(
        P.TEST,
        () => `${unparse(e.body, P.OR)} if ${unparse(e.test, P.OR)} else ${unparse(e.orelse, P.TEST)}`,
      );
    case 'UnaryOp': {
      const own = e.op === 'not' ? P.NOT : P.FACTOR;
      return parens(own, () => `${e.op}${e.op === 'not' ? ' ' : ''}${unparse(e.operand, own)}`);
    }
    case 'BinOp': {
      const own = BINARY_PRECEDENCE[e.op];
      const right = e.op === '**';
      return parens(
        own,
        () => `${unparse(e.left, right ? own + 1 : own)} ${e.op} ${unparse(e.right, right ? own : own + 1)}`,
      );
    }
    case 'Compare':
      return parens(P.CMP, () =>
        [unparse(e.left, P.CMP + 1), ...e.ops.map((op, i) => `${op} ${unparse(e.comparators[i], P.CMP + 1)}`)].join(
          ' ',
        ),
      );
    case 'BoolOp': {
      const own = e.op === 'and' ? P.AND : P.OR;
      // Python raises the precedence it asks of each successive operand by one.
      return parens(own, () => e.values.map((v, i) => unparse(v, own + 1 + i)).join(` ${e.op} `));
    }
    case 'Lambda': {
      const params = e.args.args.map((a) => a.name).join(', ');
      return parens(P.TEST, () => `lambda${params ? ` ${params}` : ''}: ${unparse(e.body, P.TEST)}`);
    }
    case 'Linq': {
      const [source, ...rest] = e.fields;
      return `${unparse(source, P.ATOM)}${source.kind === 'Constant' && ['int', 'bool'].includes(source.value.type) ? ' ' : ''}.${e.op}(${rest.map((x) => unparse(x)).join(', ')})`;
    }
    default:
      return `<${e.kind}>`;
  }
}

/** Float and complex constants print `inf` as the overflowing literal `1e309`, as `ast.unparse` does. */
function constant(value: PyValue): string {
  if (value.type === 'ellipsis') return '...';
  const text = reprValue(value);
  if (value.type === 'float' || value.type === 'complex') {
    return text.replace(/inf/g, '1e309').replace(/nan/g, '(1e309-1e309)');
  }
  return text;
}

/** How `ast.unparse` writes a module docstring: triple quotes, choosing the quote style that needs fewest escapes. */
function docstring(value: string): string {
  let escaped = '';
  for (const char of value) {
    const cp = char.codePointAt(0)!;
    if (char === '\n' || char === '\t') escaped += char;
    else if (char === '\\' || !isPrintable(cp) || (cp >= 0xd800 && cp <= 0xdfff)) escaped += unicodeEscape(cp);
    else escaped += char;
  }
  let quotes = ['"""', "'''"].filter((q) => !escaped.includes(q));
  if (quotes.length === 0) {
    const repr = reprValue({ type: 'str', value });
    const quote = ['"""', "'''"].find((q) => q.includes(repr[0])) ?? repr[0];
    return `${quote}${repr.slice(1, -1)}${quote}`;
  }
  if (escaped) {
    const last = escaped[escaped.length - 1];
    quotes = [...quotes.filter((q) => q[0] !== last), ...quotes.filter((q) => q[0] === last)];
    if (quotes[0][0] === last) escaped = `${escaped.slice(0, -1)}\\${last}`;
  }
  return `${quotes[0]}${escaped}${quotes[0]}`;
}

/** Python's `unicode_escape` codec for one character. */
function unicodeEscape(cp: number): string {
  const named: Readonly<Record<number, string>> = { 9: '\\t', 10: '\\n', 13: '\\r', 92: '\\\\' };
  if (named[cp]) return named[cp];
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}
