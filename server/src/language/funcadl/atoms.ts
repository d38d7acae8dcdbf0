import type { CallExpr, Comprehension, Expr, Keyword } from './ast';
import { exprName, parseBitwiseOr, parseDisjunction, parseExpression, parseNamedExpression, parseStarNamed } from './expressions';
import { Tok } from './lexer';
import { isLinqCall } from './linqNames';
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
    const id = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKC');
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
  const pieces: { start: number; end: number }[] = [];
  while (p.kind() === Tok.String) {
    pieces.push({ start: p.start(), end: p.end() });
    p.pos++;
  }
  const start = pieces[0]!.start;
  const end = pieces[pieces.length - 1]!.end;
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
        key = parseExpression(p);
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

function generatorDepth(g: Comprehension): number {
  return 2 + Math.max(g.target.depth, g.iter.depth, deepest(g.ifs));
}

function comprehension(
  kind: 'ListComp' | 'SetComp' | 'GeneratorExp',
  elt: Expr,
  generators: Comprehension[],
  span: { start: number; end: number },
): Expr {
  const depth = 2 + Math.max(elt.depth, ...generators.map(generatorDepth));
  return { kind, elt, generators, ...span, depth };
}

/** One or more `for … in …` clauses, each with optional `if` filters. */
export function parseComprehensionClauses(p: Parser): Comprehension[] {
  const generators: Comprehension[] = [];
  while (p.isKeyword('for') || (p.isKeyword('async') && p.isKeyword('for', p.pos + 1))) {
    const start = p.start();
    const isAsync = p.eatKeyword('async');
    p.pos++;
    const targetAt = p.pos;
    const target = p.attempt(() => parseTargets(p));
    if (!target || !p.isKeyword('in')) {
      // CPython's second pass reparses the target as an expression to explain what is wrong with it.
      p.pos = targetAt;
      if (p.invalidRules) {
        const e = p.probe(() => parseStarExpressions(p));
        if (e) checkTarget(p, e);
      }
      p.pos = targetAt;
      p.fail();
    }
    p.pos++;
    const iter = parseDisjunction(p);
    const ifs: Expr[] = [];
    while (p.eatKeyword('if')) ifs.push(parseDisjunction(p));
    generators.push({ target, iter, ifs, isAsync, start, end: p.end(p.pos - 1) });
  }
  return generators;
}

/** `star_targets` of a `for` clause: names, attributes, subscripts, and tuples or lists of them. */
function parseTargets(p: Parser): Expr {
  const first = p.pos;
  const one = (): Expr => {
    const star = p.isOp('*') ? p.start() : -1;
    if (star >= 0) p.pos++;
    const target = parseBitwiseOr(p);
    checkTarget(p, target);
    return star >= 0 ? { kind: 'Starred', value: target, start: star, end: target.end, depth: depthOf(2, target) } : target;
  };
  const head = one();
  if (!p.isOp(',')) return head;
  const elts = [head];
  while (p.eatOp(',') && !p.isKeyword('in')) elts.push(one());
  return { kind: 'Tuple', elts, ...p.spanFrom(first), depth: 2 + deepest(elts) };
}

function checkTarget(p: Parser, target: Expr): void {
  if (target.kind === 'Name' || target.kind === 'Attribute' || target.kind === 'Subscript') return;
  if (target.kind === 'Tuple' || target.kind === 'List') {
    target.elts.forEach((elt) => checkTarget(p, elt));
    return;
  }
  if (target.kind === 'Starred') return checkTarget(p, target.value);
  p.raise(`cannot assign to ${exprName(target)}`, target.start, target.end);
}

/** The parenthesised arguments of a call whose callee is `func`. */
export function parseCallArguments(p: Parser, func: Expr): CallExpr {
  const open = p.pos;
  p.pos++;
  const args: Expr[] = [];
  const keywords: Keyword[] = [];
  let sawKeyword = false;
  let sawDoubleStar = false;
  while (!p.isOp(')')) {
    const itemStart = p.pos;
    if (p.isOp('*') || p.isOp('**')) {
      const double = p.isOp('**');
      const star = p.pos;
      if (!double && sawDoubleStar) {
        p.raise('iterable argument unpacking follows keyword argument unpacking', p.start(), p.end());
      }
      p.pos++;
      const value = p.attempt(() => parseExpression(p));
      if (!value) {
        if (!double && (args.length > 0 || keywords.length > 0)) {
          p.raise('iterable argument unpacking follows keyword argument unpacking', p.start(star), p.end(star));
        }
        p.fail();
      }
      if (double) {
        keywords.push({ arg: null, value, start: p.start(itemStart), end: value.end });
        sawDoubleStar = true;
      } else {
        args.push({ kind: 'Starred', value, start: p.start(itemStart), end: value.end, depth: depthOf(2, value) });
      }
    } else if (p.kind() === Tok.Name && ['True', 'False', 'None'].includes(p.textAt()) && p.peekOp('=', p.pos + 1)) {
      p.raise(`cannot assign to ${p.textAt()}`, p.start(), p.end(p.pos + 1));
    } else if (p.isName() && p.isOp('=', p.pos + 1)) {
      const name = p.textAt();
      p.pos += 2;
      const value = parseExpression(p);
      keywords.push({ arg: name.normalize('NFKC'), value, start: p.start(itemStart), end: value.end });
      sawKeyword = true;
    } else {
      const value = parseNamedExpression(p, false);
      if (p.isOp('=')) {
        p.raise('expression cannot contain assignment, perhaps you meant "=="?', value.start, p.end());
      }
      if (p.isKeyword('for') || p.isKeyword('async')) {
        const generators = parseComprehensionClauses(p);
        const last = generators[generators.length - 1]!;
        const lastEnd = last.ifs.length > 0 ? last.ifs[last.ifs.length - 1]!.end : last.iter.end;
        if (args.length > 0 || keywords.length > 0 || p.isOp(',')) {
          p.raise('Generator expression must be parenthesized', value.start, lastEnd);
        }
        if (!p.isOp(')')) p.fail();
        // A lone generator argument is Python's `f(x for x in y)`: the generator's span is the parentheses.
        args.push(comprehension('GeneratorExp', value, generators, { start: p.start(open), end: p.end() }));
      } else {
        if (sawKeyword || sawDoubleStar) {
          const which = sawDoubleStar ? 'keyword argument unpacking' : 'keyword argument';
          p.raise(`positional argument follows ${which}`, value.start, value.end);
        }
        args.push(value);
      }
    }
    if (!p.eatOp(',')) break;
  }
  const close = p.expectOp(')');
  const argsSpan = { start: p.start(open), end: p.end(close) };
  const callDepth = isLinqCall(func, args)
    ? 2 + Math.max(func.kind === 'Attribute' ? func.value.depth : 0, deepest(args))
    : 3 + Math.max(func.depth, deepest(args), ...keywords.map((k) => 2 + k.value.depth));
  return { kind: 'Call', func, args, keywords, argsSpan, start: func.start, end: argsSpan.end, depth: callDepth };
}

/** What is between the brackets of a subscript: one index, a slice, or a tuple of them. */
export function parseSlices(p: Parser): Expr {
  const first = p.pos;
  const one = (): Expr => (p.isOp('*') ? parseStarNamed(p) : parseSlice(p));
  const head = one();
  if (!p.isOp(',')) return head;
  const elts = [head];
  while (p.eatOp(',') && !p.isOp(']')) elts.push(one());
  return { kind: 'Tuple', elts, ...p.spanFrom(first), depth: 2 + deepest(elts) };
}

function parseSlice(p: Parser): Expr {
  const first = p.pos;
  const lower = p.isOp(':') ? null : parseNamedExpression(p);
  if (!p.isOp(':')) {
    if (lower === null) p.fail();
    return lower!;
  }
  if (lower?.kind === 'NamedExpr') p.fail();
  p.pos++;
  const bound = () => (p.isOp(':') || p.isOp(']') || p.isOp(',') ? null : parseExpression(p));
  const upper = bound();
  const step = p.eatOp(':') ? bound() : null;
  return { kind: 'Slice', lower, upper, step, ...p.spanFrom(first), depth: depthOf(2, lower, upper, step) };
}
