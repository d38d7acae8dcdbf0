import { type PyError, syntaxError } from './errors';
import type { LexResult } from './lexer';
import type { Parser } from './parser';

/**
 * Which error CPython finally reports: after a failure it tokenizes the rest of the input, so a tokenizer error
 * anywhere wins (except over an unexpected indent), and a bracket left open on an earlier line than the error wins too.
 */
export function finalError(text: string, lex: LexResult, error: PyError, parser: Parser): PyError {
  if (error.type === 'IndentationError' || error === lex.error) return error;
  if (lex.error) return lex.error;
  if (error.pythonMessage.endsWith('was never closed') || lex.deferredError) return error;
  const open = lex.openBrackets[lex.openBrackets.length - 1];
  // CPython compares the bracket's line with the line of the last token it read.
  const lastRead = Math.max(error.start, parser.start(Math.min(parser.furthest, lex.tokens.count - 1)));
  if (open && lineOf(text, open.start) < lineOf(text, lastRead)) {
    return syntaxError(`'${open.char}' was never closed`, open.start);
  }
  return error;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}
