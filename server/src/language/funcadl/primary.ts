import type { Expr } from './ast';
import { parseAtom } from './atoms';
import { parseCallArguments, parseSlices } from './calls';
import { GLUE_CALL_END } from './gluePrefix';
import { Tok, normalizeIdentifier } from './tokens';
import { type Parser, depthOf } from './parser';

/** `primary`: an atom followed by attribute access, calls and subscripts, backtracking over a failed suffix. */
export function parsePrimary(p: Parser): Expr {
  if (p.memoAt === p.pos && p.memoRules === p.invalidRules && p.memoNode) {
    const node = p.memoNode;
    p.memoAt = -1;
    p.memoNode = undefined;
    p.pos = p.memoEnd;
    return node;
  }
  // CPython gives every suffixed node the position where the primary began, even when that is a parenthesis.
  const start = p.start();
  let e: Expr;
  if (p.pos === 0 && p.glue) {
    // The glue's call parses the same way every time; reading on from its end looks at the same tokens.
    e = p.glue;
    p.pos = GLUE_CALL_END;
  } else {
    e = parseAtom(p);
  }
  while (p.kind() === Tok.Op) {
    const op = p.tokens.texts[p.pos];
    if (op === '.') {
      if (!p.isName(p.pos + 1)) break;
      const nameIndex = p.pos + 1;
      const raw = p.textAt(nameIndex);
      const attr = normalizeIdentifier(raw);
      const attrSpan = { start: p.start(nameIndex), end: p.end(nameIndex) };
      p.pos += 2;
      e = { kind: 'Attribute', value: e, attr, attrSpan, start, end: attrSpan.end, depth: depthOf(2, e) };
    } else if (op === '(') {
      const func = e;
      const call = p.attempt(parseCallArguments, func, start);
      if (!call) break;
      e = call;
    } else if (op === '[') {
      const value = e;
      const subscript = p.attempt(parseSubscript, value, start);
      if (!subscript) break;
      e = subscript;
    } else {
      break;
    }
  }
  return e;
}

function parseSubscript(p: Parser, value: Expr, start: number): Expr {
  p.pos++;
  const slice = parseSlices(p);
  p.expectOp(']');
  return { kind: 'Subscript', value, slice, start, end: p.end(p.pos - 1), depth: depthOf(2, value, slice) };
}
