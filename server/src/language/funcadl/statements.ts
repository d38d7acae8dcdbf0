import type { Expr, Stmt } from './ast';
import { PyError, syntaxError } from './errors';
import { checkMisplacedAssignment, checkWalrusTarget, exprName, invalidTarget } from './explain';
import { parseExpression, parseStarNamed } from './expressions';
import { parseStarExpressions, parseYield } from './atoms';
import { tokenize } from './lexer';
import { Tok } from './tokens';
import { ParseFailure, Parser, deepest } from './parser';

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=', '@=']);
const COMPOUND = new Set(['if', 'elif', 'else', 'while', 'for', 'try', 'except', 'finally', 'with', 'def', 'class']);

const stmt = (kind: string, children: (Expr | null)[], start: number, end: number, value?: Expr | null): Stmt => ({
  kind,
  children: children.filter((c): c is Expr => c !== null),
  value,
  start,
  end,
  depth: 2 + deepest(children),
});

/**
 * One simple statement. A query is an expression statement; the others only matter because Python accepts them
 * (after a `;`, or inside a string that holds a lambda) and qastle then fails in ways worth reporting faithfully.
 * Compound statements (`if`, `def`, …) are not modelled and fail as a syntax error.
 */
export function parseStatement(p: Parser): Stmt {
  const first = p.pos;
  const start = p.start();
  const keyword = p.kind() === Tok.Name ? p.textAt() : '';
  const finish = (kind: string, children: (Expr | null)[], value?: Expr | null) =>
    stmt(kind, children, start, p.end(p.pos - 1), value);
  const atEnd = () => p.kind() === Tok.Newline || p.isOp(';') || p.kind() === Tok.End;
  if (COMPOUND.has(keyword) || keyword === 'async' || p.isOp('@')) p.fail();
  switch (keyword) {
    case 'pass':
    case 'break':
    case 'continue':
      p.pos++;
      return finish(keyword[0].toUpperCase() + keyword.slice(1), []);
    case 'return': {
      p.pos++;
      const value = atEnd() ? null : parseStarExpressions(p);
      return finish('Return', [value], value);
    }
    case 'raise': {
      p.pos++;
      const exc = atEnd() ? null : parseExpression(p);
      const cause = exc && p.eatKeyword('from') ? parseExpression(p) : null;
      return finish('Raise', [exc, cause]);
    }
    case 'global':
    case 'nonlocal':
      p.pos++;
      for (;;) {
        if (!p.isName()) p.fail();
        p.pos++;
        if (!p.eatOp(',')) break;
      }
      return finish(keyword === 'global' ? 'Global' : 'Nonlocal', []);
    case 'del': {
      p.pos++;
      const targets = [parseStarExpressions(p)];
      return finish('Delete', targets);
    }
    case 'assert': {
      p.pos++;
      const test = parseExpression(p);
      const msg = p.eatOp(',') ? parseExpression(p) : null;
      return finish('Assert', [test, msg]);
    }
    case 'import':
    case 'from':
      parseImport(p);
      return finish(keyword === 'import' ? 'Import' : 'ImportFrom', []);
    case 'yield': {
      const value = parseYield(p);
      return finish('Expr', [value], value);
    }
  }
  const target = parseStarExpressions(p);
  if (p.isOp(':=')) checkWalrusTarget(p, target);
  if (p.isOp('=')) {
    const invalid = invalidTarget(target);
    if (invalid) {
      checkMisplacedAssignment(p, target, true);
      p.raise(`cannot assign to ${exprName(invalid)}`, invalid.start, invalid.end);
    }
    return parseAssignment(p, first, target);
  }
  if (p.kind() === Tok.Op && AUGMENTED.has(p.textAt())) {
    if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
      p.raise(`'${exprName(target)}' is an illegal expression for augmented assignment`, target.start, target.end);
    }
    p.pos++;
    const value = p.isKeyword('yield') ? parseYield(p) : parseStarExpressions(p);
    return finish('AugAssign', [target, value], value);
  }
  if (p.isOp(':')) {
    if (target.kind !== 'Name' && target.kind !== 'Attribute' && target.kind !== 'Subscript') {
      const colon = p.pos;
      p.pos++;
      const annotation = p.invalidRules ? p.probe(() => parseExpression(p)) : undefined;
      p.pos = colon;
      if (annotation) {
        const message =
          target.kind === 'Tuple' ? 'only single target (not tuple) can be annotated' : 'illegal target for annotation';
        p.raise(message, target.start, target.end);
      }
      p.fail();
    }
    p.pos++;
    const annotation = parseExpression(p);
    const value = p.eatOp('=') ? parseStarExpressions(p) : null;
    return finish('AnnAssign', [target, annotation, value], value);
  }
  return finish('Expr', [target], target);
}

function parseAssignment(p: Parser, first: number, head: Expr): Stmt {
  const targets = [head];
  let value = head;
  while (p.eatOp('=')) {
    value = p.isKeyword('yield') ? parseYield(p) : parseStarExpressions(p);
    targets.push(value);
  }
  targets.pop();
  for (const target of targets) {
    const invalid = invalidTarget(target);
    if (invalid) p.raise(`cannot assign to ${exprName(invalid)}`, invalid.start, invalid.end);
  }
  return stmt('Assign', [...targets, value], p.start(first), p.end(p.pos - 1), value);
}

function parseImport(p: Parser): void {
  const dotted = () => {
    if (!p.isName()) p.fail();
    p.pos++;
    while (p.eatOp('.')) {
      if (!p.isName()) p.fail();
      p.pos++;
    }
    if (p.eatKeyword('as')) {
      if (!p.isName()) p.fail();
      p.pos++;
    }
  };
  if (p.eatKeyword('import')) {
    do dotted();
    while (p.eatOp(','));
    return;
  }
  p.pos++;
  let dots = 0;
  while (p.isOp('.') || p.isOp('...')) dots += p.textAt(p.pos++).length;
  if (!p.isKeyword('import')) dotted();
  else if (dots === 0) p.fail();
  if (!p.eatKeyword('import')) p.fail();
  if (p.eatOp('*')) return;
  const parenthesized = p.eatOp('(');
  do {
    if (parenthesized && p.isOp(')')) break;
    dotted();
  } while (p.eatOp(','));
  if (parenthesized) p.expectOp(')');
}

/** Parses the expression in an f-string replacement field; errors become "f-string: …" at the string. */
export function parseExpressionSource(source: string, offset: number): Expr {
  const lex = tokenize(source);
  const fail = (message: string): never => {
    throw syntaxError(`f-string: ${message}`, offset);
  };
  try {
    if (lex.error) return fail(lex.error.pythonMessage);
    return parseField(new Parser(source, lex), fail);
  } finally {
    lex.tokens.release();
  }
}

function parseField(p: Parser, fail: (message: string) => never): Expr {
  try {
    const e = parseStarNamed(p);
    if (p.kind() !== Tok.Newline && p.kind() !== Tok.End) p.fail();
    return e;
  } catch (error) {
    if (error instanceof ParseFailure) return fail(p.genericError().pythonMessage);
    if (error instanceof PyError) return fail(error.pythonMessage);
    throw error;
  }
}
