import type { Arg, Arguments, Expr } from './ast';
import { parseExpression } from './expressions';
import type { Parser } from './parser';
import { normalizeIdentifier } from './tokens';

/**
 * `lambda params: body`. Python's whole parameter syntax is accepted (defaults, `/`, `*`, `**`) because `ast.parse`
 * accepts it; qastle then keeps only the plain positional names, which the diagnostics point out.
 */
export function parseLambda(p: Parser): Expr {
  const start = p.start();
  p.pos++;
  p.enter();
  const args = parseParameters(p);
  p.expectOp(':');
  const body = parseExpression(p);
  p.leave();
  let depth = body.depth;
  for (const d of args.defaults) if (d.depth > depth) depth = d.depth;
  for (const d of args.kwDefaults) if (d && d.depth > depth) depth = d.depth;
  return { kind: 'Lambda', args, body, start, end: body.end, depth: depth + 2 };
}

function parseParameters(p: Parser): Arguments {
  const first = p.pos;
  const positional: Arg[] = [];
  const defaults: Expr[] = [];
  const kwonlyargs: Arg[] = [];
  const kwDefaults: (Expr | null)[] = [];
  let posonlyCount = 0;
  let vararg: Arg | null = null;
  let kwarg: Arg | null = null;
  let sawStar = false;
  let sawSlash = false;
  while (!p.isOp(':')) {
    if (kwarg) p.raise('arguments cannot follow var-keyword argument', p.start(), p.end());
    if (p.isOp('/')) {
      if (sawSlash) p.raise('/ may appear only once', p.start(), p.end());
      if (sawStar) p.raise('/ must be ahead of *', p.start(), p.end());
      if (positional.length === 0) {
        if (p.peekOp(',', p.pos + 1)) p.raise('at least one argument must precede /', p.start(), p.end());
        p.fail();
      }
      sawSlash = true;
      posonlyCount = positional.length;
      p.pos++;
    } else if (p.isOp('**')) {
      p.pos++;
      kwarg = parameterName(p);
      if (p.isOp('=')) p.raise('var-keyword argument cannot have default value', p.start(), p.end());
    } else if (p.isOp('*')) {
      if (sawStar) p.raise('* argument may appear only once', p.start(), p.end());
      sawStar = true;
      p.pos++;
      if (p.isOp(',') || p.isOp(':')) {
        const following = p.isOp(',') ? p.pos + 1 : p.pos;
        if (p.isOp(':') || p.isOp(':', following) || p.isOp('**', following)) {
          p.raise('named arguments must follow bare *', p.start(), p.end());
        }
      } else {
        vararg = parameterName(p);
        if (p.isOp('=')) p.raise('var-positional argument cannot have default value', p.start(), p.end());
      }
    } else {
      const arg = parameterName(p);
      let value: Expr | null = null;
      if (p.isOp('=')) {
        if (p.isOp(',', p.pos + 1) || p.isOp(')', p.pos + 1)) p.raise('expected default value expression', p.start());
        p.pos++;
        value = parseExpression(p);
      }
      if (sawStar) {
        kwonlyargs.push(arg);
        kwDefaults.push(value);
      } else {
        if (value) defaults.push(value);
        else if (defaults.length > 0) {
          p.raise('non-default argument follows default argument', arg.start, arg.end);
        }
        positional.push(arg);
      }
    }
    if (!p.eatOp(',')) break;
  }
  return {
    posonlyargs: posonlyCount === 0 ? [] : positional.slice(0, posonlyCount),
    args: posonlyCount === 0 ? positional : positional.slice(posonlyCount),
    vararg,
    kwonlyargs,
    kwDefaults,
    kwarg,
    defaults,
    start: p.start(first),
    end: p.pos > first ? p.end(p.pos - 1) : p.start(first),
  };
}

function parameterName(p: Parser): Arg {
  if (!p.isName()) p.fail();
  const arg = { name: normalizeIdentifier(p.textAt()), start: p.start(), end: p.end() };
  p.pos++;
  return arg;
}
