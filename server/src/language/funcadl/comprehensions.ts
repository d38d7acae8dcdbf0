import type { Comprehension, Expr } from './ast';
import { exprName, invalidTarget } from './explain';
import { parseDisjunction, parsePrimary } from './expressions';
import { parseStarExpressions } from './atoms';
import { type Parser, deepest, depthOf } from './parser';

/** The Python-frame depth of one `for … in … if …` clause. */
export function generatorDepth(g: Comprehension): number {
  return 2 + Math.max(g.target.depth, g.iter.depth, deepest(g.ifs));
}

/** Builds a list, set or generator comprehension node. */
export function comprehension(
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
    const target = p.attempt(parseTargets);
    if (!target || !p.isKeyword('in')) {
      // CPython's second pass reparses the target as an expression to explain what is wrong with it.
      p.pos = targetAt;
      if (p.invalidRules) {
        const e = p.probe(() => parseStarExpressions(p));
        const invalid = e && invalidTarget(e, true);
        if (invalid) p.raise(`cannot assign to ${exprName(invalid)}`, invalid.start, invalid.end);
        if (e) p.raise('invalid syntax', p.start(p.furthest), p.end(p.furthest));
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
    const target = parsePrimary(p);
    if (invalidTarget(target, true)) p.fail();
    return star >= 0
      ? { kind: 'Starred', value: target, start: star, end: target.end, depth: depthOf(2, target) }
      : target;
  };
  const head = one();
  if (!p.isOp(',')) return head;
  const elts = [head];
  while (p.eatOp(',') && !p.isKeyword('in')) elts.push(one());
  return { kind: 'Tuple', elts, ...p.spanFrom(first), depth: 2 + deepest(elts) };
}
