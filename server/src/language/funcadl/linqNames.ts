import type { Expr } from './ast';

/** The operators that `qastle.insert_linq_nodes` turns into LINQ nodes, with how many arguments each takes. */
export const LINQ_OPERATORS: ReadonlyMap<string, { readonly args: number; readonly lambdaArgs?: number }> = new Map([
  ['Where', { args: 1, lambdaArgs: 1 }],
  ['Select', { args: 1, lambdaArgs: 1 }],
  ['SelectMany', { args: 1, lambdaArgs: 1 }],
  ['First', { args: 0 }],
  ['Last', { args: 0 }],
  ['ElementAt', { args: 1 }],
  ['Contains', { args: 1 }],
  ['Aggregate', { args: 2, lambdaArgs: 2 }],
  ['Count', { args: 0 }],
  ['Max', { args: 0 }],
  ['Min', { args: 0 }],
  ['Sum', { args: 0 }],
  ['All', { args: 1, lambdaArgs: 1 }],
  ['Any', { args: 1, lambdaArgs: 1 }],
  ['Concat', { args: 1 }],
  ['Zip', { args: 0 }],
  ['OrderBy', { args: 1, lambdaArgs: 1 }],
  ['OrderByDescending', { args: 1, lambdaArgs: 1 }],
  ['Choose', { args: 1 }],
]);

/** The LINQ operator a call would become (`x.Select(f)` or `Select(x, f)`), if any. */
export function linqOperatorOf(func: Expr, args: readonly Expr[]): string | undefined {
  if (func.kind === 'Attribute' && LINQ_OPERATORS.has(func.attr)) return func.attr;
  if (func.kind === 'Name' && LINQ_OPERATORS.has(func.id) && args.length > 0) return func.id;
  return undefined;
}

/** Whether a call becomes a LINQ node; used to estimate how deep qastle's Python recursion goes. */
export function isLinqCall(func: Expr, args: readonly Expr[]): boolean {
  return linqOperatorOf(func, args) !== undefined;
}
