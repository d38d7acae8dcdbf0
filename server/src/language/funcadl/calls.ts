import type { CallExpr, Expr, Keyword } from './ast';
import { comprehension, parseComprehensionClauses } from './comprehensions';
import { parseExpression, parseNamedExpression, parseStarNamed } from './expressions';
import { Tok, normalizeIdentifier } from './tokens';
import { isLinqCall } from './linqNames';
import { type Parser, deepest, depthOf } from './parser';

/** The parenthesised arguments of a call whose callee is `func`. */
export function parseCallArguments(p: Parser, func: Expr, start = func.start): CallExpr {
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
      const value = p.attempt(parseExpression);
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
    } else if (p.kind() === Tok.Name && isConstantName(p.textAt()) && p.peekOp('=', p.pos + 1)) {
      p.raise(`cannot assign to ${p.textAt()}`, p.start(), p.end(p.pos + 1));
    } else if (p.isName() && p.isOp('=', p.pos + 1)) {
      const name = p.textAt();
      p.pos += 2;
      const value = parseExpression(p);
      keywords.push({ arg: normalizeIdentifier(name), value, start: p.start(itemStart), end: value.end });
      sawKeyword = true;
    } else if (sawKeyword || sawDoubleStar) {
      explainPositionalAfterKeyword(p, sawDoubleStar);
    } else {
      const value = parseNamedExpression(p, false);
      if (p.isOp('=')) {
        p.raise('expression cannot contain assignment, perhaps you meant "=="?', value.start, p.end());
      }
      if (p.isKeyword('for') || p.isKeyword('async')) {
        const generators = parseComprehensionClauses(p);
        const last = generators[generators.length - 1];
        const lastEnd = last.ifs.length > 0 ? last.ifs[last.ifs.length - 1].end : last.iter.end;
        if (args.length > 0 || keywords.length > 0 || p.isOp(',')) {
          p.raise('Generator expression must be parenthesized', value.start, lastEnd);
        }
        if (!p.isOp(')')) p.fail();
        // A lone generator argument is Python's `f(x for x in y)`: the generator's span is the parentheses.
        args.push(comprehension('GeneratorExp', value, generators, { start: p.start(open), end: p.end() }));
      } else {
        args.push(value);
      }
    }
    if (!p.eatOp(',')) break;
  }
  const close = p.expectOp(')');
  const argsSpan = { start: p.start(open), end: p.end(close) };
  let callDepth: number;
  if (isLinqCall(func, args)) {
    callDepth = 2 + Math.max(func.kind === 'Attribute' ? func.value.depth : 0, deepest(args));
  } else {
    // A loop rather than spreading a mapped array: this runs for every call in a query.
    let deepestChild = Math.max(func.depth, deepest(args));
    for (const k of keywords) deepestChild = Math.max(deepestChild, 2 + k.value.depth);
    callDepth = 3 + deepestChild;
  }
  return { kind: 'Call', func, args, keywords, argsSpan, start, end: argsSpan.end, depth: callDepth };
}

function isConstantName(text: string): boolean {
  return text === 'True' || text === 'False' || text === 'None';
}

/**
 * Nothing positional may follow keyword arguments: CPython's first pass simply stops there, and its second pass parses
 * the rest as arguments and reports the problem at the last token it read.
 */
function explainPositionalAfterKeyword(p: Parser, afterUnpacking: boolean): never {
  const at = p.pos;
  if (!p.invalidRules) p.fail();
  const furthest = p.furthest;
  const value = p.attempt(parseNamedExpression, false);
  if (value && p.isOp('=')) {
    p.raise('expression cannot contain assignment, perhaps you meant "=="?', value.start, p.end());
  }
  p.pos = at;
  // The rest is read like CPython's `args` rule: items separated by commas, stopping after the last one that parses.
  const item = () => {
    if (p.isOp('*') || p.isOp('**')) {
      p.pos++;
      parseExpression(p);
    } else if (p.isName() && p.isOp('=', p.pos + 1)) {
      p.pos += 2;
      parseExpression(p);
    } else {
      parseNamedExpression(p, false);
    }
    return true;
  };
  const parsed = p.attempt(item);
  while (parsed && p.isOp(',')) {
    const comma = p.pos;
    p.pos++;
    if (!p.attempt(item)) {
      p.pos = comma;
      break;
    }
  }
  if (parsed) {
    const last = p.furthest;
    const which = afterUnpacking ? 'keyword argument unpacking' : 'keyword argument';
    p.raise(`positional argument follows ${which}`, p.start(last), p.end(last));
  }
  p.furthest = furthest;
  p.pos = at;
  return p.fail();
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
    return lower;
  }
  if (lower?.kind === 'NamedExpr') p.fail();
  p.pos++;
  const bound = () => (p.isOp(':') || p.isOp(']') || p.isOp(',') ? null : parseExpression(p));
  const upper = bound();
  const step = p.eatOp(':') ? bound() : null;
  return { kind: 'Slice', lower, upper, step, ...p.spanFrom(first), depth: depthOf(2, lower, upper, step) };
}
