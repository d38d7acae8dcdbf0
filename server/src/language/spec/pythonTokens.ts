// What Python's tokenizer rejects before its parser runs: strings left open, brackets that do not pair up or nest too
// deeply, and indentation that matches no enclosing block. The Lezer grammar recovers from some of these silently, and
// bracket depth must be bounded before Lezer builds its tree, whose recursion overflows the stack on deep nesting.

/** A problem found in Python source, located by offsets into it. */
export interface SourceProblem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** A tokenizer problem; brackets nested too deeply also mean the source must not be given to Lezer. */
export interface TokenProblem extends SourceProblem {
  readonly tooDeep?: true;
}

/** Python's tokenizer refuses more nested brackets than this ("too many nested parentheses"). */
export const MAX_BRACKET_DEPTH = 200;

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const STRING_START = /[rRbBuUfF]{0,2}("""|'''|"|')/y;
const WORD = /\w+/y;
const HERE = 'Python syntax error here: ';

/** The first problem Python's tokenizer would raise in the source, if any. */
export function scanPythonTokens(text: string): TokenProblem | undefined {
  const stack: { ch: string; at: number }[] = [];
  const indents = [''];
  let firstLine = true;
  let atLineStart = true;
  let continued = false;
  let i = 0;
  while (i < text.length) {
    if (atLineStart) {
      atLineStart = false;
      let j = i;
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\f') j++;
      const blank = j >= text.length || text[j] === '\n' || text[j] === '\r' || text[j] === '#';
      if (!blank && stack.length === 0 && !continued) {
        const problem = checkIndent(text.slice(i, j), i, indents, firstLine);
        if (problem) return problem;
        firstLine = false;
      }
      continued = false;
      i = j;
      continue;
    }
    const ch = text[i];
    if (ch === '\n') {
      atLineStart = true;
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      continued = true;
      i += text[i + 1] === '\n' ? 1 : 2;
    } else if (OPENERS[ch]) {
      if (stack.length >= MAX_BRACKET_DEPTH) {
        const message = `${HERE}more than ${MAX_BRACKET_DEPTH} brackets are open at once, and Python refuses such deep nesting.`;
        return { start: i, end: i + 1, message, tooDeep: true };
      }
      stack.push({ ch, at: i++ });
    } else if (CLOSERS[ch]) {
      const open = stack.pop();
      if (!open) return { start: i, end: i + 1, message: `${HERE}"${ch}" has no opening "${CLOSERS[ch]}" before it.` };
      if (open.ch !== CLOSERS[ch]) {
        const message = `${HERE}"${ch}" does not close the "${open.ch}" before it, which needs "${OPENERS[open.ch]}".`;
        return { start: i, end: i + 1, message };
      }
      i++;
    } else if (ch === '"' || ch === "'" || /[A-Za-z_]/.test(ch)) {
      const skipped = skipWordOrString(text, i);
      if (typeof skipped !== 'number') return skipped;
      i = skipped;
    } else i++;
  }
  // Python names the innermost bracket left open when the code ends.
  const open = stack.pop();
  return open && { start: open.at, end: open.at + 1, message: `${HERE}this "${open.ch}" is never closed.` };
}

/** Python's INDENT/DEDENT rule: a line may open a deeper block or return to a level that is still open. */
function checkIndent(indent: string, at: number, indents: string[], firstLine: boolean): SourceProblem | undefined {
  const range = { start: at, end: at + Math.max(indent.length, 1) };
  if (firstLine) {
    if (indent === '') return undefined;
    return { ...range, message: `${HERE}unexpected indent: the first line of code is indented more than later lines.` };
  }
  let top = indents[indents.length - 1];
  if (indent.length > top.length && indent.startsWith(top)) {
    // Whether a deeper block may start here is the grammar's question, which Lezer answers.
    indents.push(indent);
    return undefined;
  }
  while (indent.length < top.length && indents.length > 1) {
    indents.pop();
    top = indents[indents.length - 1];
  }
  if (indent === top) return undefined;
  const mixed = /\t/.test(indent + top) && / /.test(indent + top);
  const why = mixed ? ' (tabs and spaces are mixed)' : '';
  return { ...range, message: `${HERE}this indentation matches no enclosing block${why}; line it up with its block.` };
}

function skipWordOrString(text: string, i: number): number | SourceProblem {
  STRING_START.lastIndex = i;
  const match = STRING_START.exec(text);
  if (!match) {
    WORD.lastIndex = i;
    return WORD.test(text) ? WORD.lastIndex : i + 1;
  }
  const quote = match[1];
  let j = STRING_START.lastIndex;
  for (;;) {
    if (j >= text.length) {
      const end = Math.min(i + match[0].length, text.length);
      return { start: i, end, message: `${HERE}this string is never closed; add the closing ${quote}.` };
    }
    const ch = text[j];
    if (ch === '\\') j += 2;
    else if (text.startsWith(quote, j)) return j + quote.length;
    else if (ch === '\n' && quote.length === 1) {
      return {
        start: i,
        end: j,
        message: `${HERE}this string ends at the end of the line without its closing ${quote}.`,
      };
    } else j++;
  }
}
