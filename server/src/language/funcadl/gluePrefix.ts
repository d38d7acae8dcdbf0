import type { CallExpr, Expr } from './ast';
import { Tok, type Tokens } from './tokens';

/**
 * The ServiceX client puts `EventDataset('bogus.root', '<tree>').` in front of every query (servicex-facts.md §3.7).
 * When the tree name holds no backslash or line break, that glue always reads the same way, so its tokens and the
 * call it parses to are written down here instead of being scanned and parsed again for every query.
 */
export const GLUE_HEAD = "EventDataset('bogus.root', '";

/** The index of the token after the glue's call: the `.` that joins the query to it. */
export const GLUE_CALL_END = 6;

/** Pushes the seven tokens of a glue `prefixLength` characters long. */
export function pushGluePrefix(tokens: Tokens, prefixLength: number): void {
  tokens.push(Tok.Name, 0, 12);
  tokens.pushOp(12, 13, '(');
  tokens.push(Tok.String, 13, 25);
  tokens.pushOp(25, 26, ',');
  tokens.push(Tok.String, 27, prefixLength - 2);
  tokens.pushOp(prefixLength - 2, prefixLength - 1, ')');
  tokens.pushOp(prefixLength - 1, prefixLength, '.');
}

/**
 * The node the parser builds for the glue's `EventDataset('bogus.root', '<tree>')`, fresh for each parse because
 * later passes may rewrite nodes in place. The depths are those the parser gives: 2 for each leaf, 5 for the call.
 */
export function glueCall(text: string, prefixLength: number): CallExpr {
  const treeEnd = prefixLength - 2;
  const func: Expr = { kind: 'Name', id: 'EventDataset', start: 0, end: 12, depth: 2 };
  const dataset: Expr = { kind: 'Constant', value: { type: 'str', value: 'bogus.root' }, start: 13, end: 25, depth: 2 };
  const tree: Expr = {
    kind: 'Constant',
    value: { type: 'str', value: text.slice(GLUE_HEAD.length, treeEnd - 1) },
    start: 27,
    end: treeEnd,
    depth: 2,
  };
  const argsSpan = { start: 12, end: prefixLength - 1 };
  return { kind: 'Call', func, args: [dataset, tree], keywords: [], argsSpan, start: 0, end: argsSpan.end, depth: 5 };
}
