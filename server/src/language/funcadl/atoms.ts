import type { Expr } from './ast';
import { comprehension, generatorDepth, parseComprehensionClauses } from './comprehensions';
import { parseBitwiseOr, parseExpression, parseStarNamed } from './expressions';
import { Tok, normalizeIdentifier } from './tokens';
import { numberValue } from './numbers';
import { type Parser, deepest, depthOf } from './parser';
import { evaluateStrings } from './strings';
import { parseExpressionSource } from './statements';

/** `atom`: names, constants, strings, and bracketed displays. */
export function parseAtom(p: Parser): Expr {
  const kind = p.kind();
  const start = p.start();
  const end = p.end();
  if (kind === Tok.Name) {
    const text = p.textAt();
    if (text === 'True' || text === 'False' || text === 'None') {
      p.pos++;
      const value = text === 'None' ? ({ type: 'none' } as const) : ({ type: 'bool', value: text === 'True' } as const);
      return { kind: 'Constant', value, start, end, depth: 2 };
    }
    if (!p.isName()) p.fail();
    p.pos++;
    const id = normalizeIdentifier(text);
    return { kind: 'Name', id, start, end, depth: 2 };
  }
  if (kind === Tok.Number) {
    p.pos++;
    return { kind: 'Constant', value: numberValue(p.textAt(p.pos - 1), start), start, end, depth: 2 };
  }
  if (kind === Tok.String) return parseStrings(p);
  if (kind !== Tok.Op) p.fail();
  if (p.isOp('...')) {
    p.pos++;
    return { kind: 'Constant', value: { type: 'ellipsis' }, start, end, depth: 2 };
  }
  if (p.isOp('(')) return parseParenthesized(p);
  if (p.isOp('[')) return parseList(p);
  if (p.isOp('{')) return parseBraces(p);
  return p.fail();
}

function parseStrings(p: Parser): Expr {
  const plain = plainString(p);
  if (plain !== undefined) {
    const start = p.start();
    const end = p.end();
    p.pos++;
    return { kind: 'Constant', value: { type: 'str', value: plain }, start, end, depth: 2 };
  }
  const pieces: { start: number; end: number }[] = [];
  while (p.kind() === Tok.String) {
    pieces.push({ start: p.start(), end: p.end() });
    p.pos++;
  }
  const start = pieces[0].start;
  const end = pieces[pieces.length - 1].end;
  const result = evaluateStrings(p.text, pieces, p.start(p.pos), (source, offset) =>
    parseExpressionSource(source, offset),
  );
  if (result.kind === 'constant') return { kind: 'Constant', value: result.value, start, end, depth: 2 };
  return { kind: 'JoinedStr', values: result.fields, start, end, depth: 2 + deepest(result.fields) };
}

function parseParenthesized(p: Parser): Expr {
  const open = p.pos;
  p.pos++;
  if (p.eatOp(')')) return { kind: 'Tuple', elts: [], ...p.spanFrom(open), depth: 2 };
  if (p.isOp('**') && p.invalidRules) {
    const star = p.pos;
    p.pos++;
    if (p.probe(() => parseExpression(p)) && p.isOp(')')) {
      p.raise('cannot use double starred expression here', p.start(star), p.end(star));
    }
    p.pos = star;
  }
  if (p.isKeyword('yield')) {
    const value = parseYield(p);
    p.expectOp(')');
    return value;
  }
  const first = parseStarNamed(p);
  if (p.isKeyword('for') || p.isKeyword('async')) {
    if (first.kind === 'Starred') p.fail();
    const generators = parseComprehensionClauses(p);
    p.expectOp(')');
    return comprehension('GeneratorExp', first, generators, p.spanFrom(open));
  }
  if (p.eatOp(')')) {
    if (first.kind === 'Starred') p.raise('cannot use starred expression here', first.start, first.end);
    return first;
  }
  const elts = [first];
  p.expectOp(',');
  while (!p.isOp(')')) {
    elts.push(parseStarNamed(p));
    if (!p.eatOp(',')) break;
  }
  p.expectOp(')');
  return { kind: 'Tuple', elts, ...p.spanFrom(open), depth: 2 + deepest(elts) };
}

/**
 * The value of the string token at the parser's position when it stands alone and is a plain quoted string without
 * escapes or carriage returns (nearly every string in a query), without the general evaluation.
 */
function plainString(p: Parser): string | undefined {
  if (p.kind(p.pos + 1) === Tok.String) return undefined;
  const text = p.text;
  const start = p.start();
  const end = p.end();
  const quote = text.charCodeAt(start);
  if ((quote !== 39 && quote !== 34) || end - start < 2 || text.charCodeAt(start + 1) === quote) return undefined;
  for (let i = start + 1; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c === 13) return undefined;
  }
  return text.slice(start + 1, end - 1);
}

/** `yield`, `yield x`, `yield from x` (accepted by `ast.parse` inside parentheses; qastle rejects them later). */
export function parseYield(p: Parser): Expr {
  const start = p.start();
  p.pos++;
  if (p.eatKeyword('from')) {
    const value = parseExpression(p);
    return { kind: 'YieldFrom', value, start, end: value.end, depth: depthOf(2, value) };
  }
  if (p.isOp(')') || p.isOp(']') || p.isOp('}') || p.kind() === Tok.Newline || p.isOp(';') || p.isOp('=')) {
    return { kind: 'Yield', value: null, start, end: p.end(p.pos - 1), depth: 2 };
  }
  const value = parseStarExpressions(p);
  return { kind: 'Yield', value, start, end: value.end, depth: depthOf(2, value) };
}

/** `star_expressions`: one expression, or an unparenthesized tuple. */
export function parseStarExpressions(p: Parser): Expr {
  const first = p.pos;
  const one = () => (p.isOp('*') ? parseStarNamed(p) : parseExpression(p));
  const head = one();
  if (!p.isOp(',')) return head;
  const elts = [head];
  while (p.eatOp(',')) {
    if (!startsStarExpression(p)) break;
    elts.push(one());
  }
  return { kind: 'Tuple', elts, ...p.spanFrom(first), depth: 2 + deepest(elts) };
}

function startsStarExpression(p: Parser): boolean {
  const kind = p.kind();
  if (kind === Tok.Number || kind === Tok.String) return true;
  if (kind === Tok.Name) return p.isName() || ['not', 'lambda', 'await', 'True', 'False', 'None'].includes(p.textAt());
  return kind === Tok.Op && ['(', '[', '{', '-', '+', '~', '...', '*'].includes(p.textAt());
}

function parseList(p: Parser): Expr {
  const open = p.pos;
  p.pos++;
  const elts: Expr[] = [];
  while (!p.isOp(']')) {
    const elt = parseStarNamed(p);
    if (elts.length === 0 && (p.isKeyword('for') || p.isKeyword('async')) && elt.kind !== 'Starred') {
      const generators = parseComprehensionClauses(p);
      p.expectOp(']');
      return comprehension('ListComp', elt, generators, p.spanFrom(open));
    }
    elts.push(elt);
    if (!p.eatOp(',')) break;
  }
  p.expectOp(']');
  return { kind: 'List', elts, ...p.spanFrom(open), depth: 2 + deepest(elts) };
}

function parseBraces(p: Parser): Expr {
  const open = p.pos;
  p.pos++;
  if (p.eatOp('}')) return { kind: 'Dict', keys: [], values: [], ...p.spanFrom(open), depth: 4 };
  if (p.isOp('**')) return parseDictEntries(p, open);
  const first = parseStarNamed(p);
  if (p.isOp(':') && first.kind !== 'Starred') return parseDictEntries(p, open, first);
  if ((p.isKeyword('for') || p.isKeyword('async')) && first.kind !== 'Starred') {
    const generators = parseComprehensionClauses(p);
    p.expectOp('}');
    return comprehension('SetComp', first, generators, p.spanFrom(open));
  }
  const elts = [first];
  while (p.eatOp(',')) {
    if (p.isOp('}')) break;
    elts.push(parseStarNamed(p));
  }
  p.expectOp('}');
  return { kind: 'Set', elts, ...p.spanFrom(open), depth: 2 + deepest(elts) };
}

function parseDictEntries(p: Parser, open: number, firstKey?: Expr): Expr {
  const keys: (Expr | null)[] = [];
  const values: Expr[] = [];
  let key: Expr | undefined = firstKey;
  while (true) {
    if (key === undefined) {
      if (p.eatOp('**')) {
        keys.push(null);
        values.push(parseBitwiseOr(p));
      } else {
        // CPython explains a later key without a colon before anything inside the key itself.
        const rules = p.invalidRules;
        p.invalidRules = false;
        try {
          key = parseExpression(p);
        } finally {
          p.invalidRules = rules;
        }
        if (!p.isOp(':')) p.raise("':' expected after dictionary key", key.end - 1, key.end);
      }
    }
    if (key !== undefined) {
      const colon = p.expectOp(':');
      if (p.isOp('}') || p.isOp(',')) {
        p.raise("expression expected after dictionary key and ':'", p.start(colon), p.end(colon));
      }
      const value = parseExpression(p);
      if (keys.length === 0 && values.length === 0 && (p.isKeyword('for') || p.isKeyword('async'))) {
        const generators = parseComprehensionClauses(p);
        p.expectOp('}');
        const span = p.spanFrom(open);
        const depth = 2 + Math.max(key.depth, value.depth, ...generators.map(generatorDepth));
        return { kind: 'DictComp', key, value, generators, ...span, depth };
      }
      keys.push(key);
      values.push(value);
      key = undefined;
    }
    if (!p.eatOp(',') || p.isOp('}')) break;
  }
  p.expectOp('}');
  // qastle turns a dict into two lists, which costs two more Python frames than other nodes.
  const depth = 4 + Math.max(deepest(keys), deepest(values));
  return { kind: 'Dict', keys, values, ...p.spanFrom(open), depth };
}
