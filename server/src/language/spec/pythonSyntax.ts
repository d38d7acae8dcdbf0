// Describes the first error node in a Lezer Python tree in words a physicist can act on. Lezer marks where its
// recovery started but says nothing about why, so the message is built from the token found there and from the
// construct around it.
import type { parser } from '@lezer/python';
import type { SourceProblem } from './pythonTokens';

/** A node of a Lezer Python syntax tree. */
export type PythonNode = ReturnType<typeof parser.parse>['topNode'];

const HERE = 'Python syntax error here: ';
const BLOCK_KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except']);
const COMPOUND = /^(?:IfStatement|WhileStatement|ForStatement|WithStatement|TryStatement|MatchStatement|MatchClause)$/;
const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);
const OPERATOR =
  /\*\*=|\/\/=|>>=|<<=|\.\.\.|->|:=|\*\*|\/\/|==|!=|<=|>=|<<|>>|[-+*/%@&|^]=|[-+*/%@&|^~<>()[\]{},:.;=!]/y;
const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
/** Keywords that continue a block and must line up with it. */
const FOLLOWS: Readonly<Record<string, string>> = {
  elif: '"if"',
  else: '"if", "for", "while" or "try"',
  except: '"try"',
  finally: '"try"',
};
const NAME = /[A-Za-z_]\w*/y;
const NUMBER = /\.?\d[\w.]*/y;

/** A token of the source as the message names it. */
interface Found {
  readonly start: number;
  readonly end: number;
  readonly kind: 'end' | 'line-end' | 'name' | 'keyword' | 'number' | 'string' | 'operator' | 'other';
}

/** The first syntax error in a parsed tree: the earliest error node, or a Python 2 print statement. */
export function firstTreeError(top: PythonNode, text: string): SourceProblem | undefined {
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) return describeError(cursor.node, text);
    if (cursor.name === 'PrintStatement') {
      const message = `${HERE}print is a function in Python 3; write print(...) with parentheses.`;
      return { start: cursor.from, end: cursor.from + 'print'.length, message };
    }
  } while (cursor.next());
  return undefined;
}

function describeError(error: PythonNode, text: string): SourceProblem {
  const found = tokenAt(text, error.from);
  const parent = error.parent;
  const lastBefore = lastCharBefore(text, error.from);
  const atLineEnd = found.kind === 'end' || found.kind === 'line-end';
  // A block whose ":" is missing: Lezer opens the Body without it, or stops inside the statement at the line end.
  const colonMissing =
    (parent?.name === 'Body' && !error.prevSibling) || (parent && COMPOUND.test(parent.name) && atLineEnd);
  if (parent && colonMissing) {
    const keyword = keywordBefore(parent.name === 'Body' ? parent : error);
    const message = `${HERE}the "${keyword ?? 'block'}" line must end with ":".`;
    return { ...lastBefore, message };
  }
  const header = parent?.parent;
  const bodyEmpty = parent?.name === 'Body' && error.prevSibling?.name === ':' && startsLine(text, found.start);
  if (bodyEmpty && header && indentOf(text, found.start) <= indentOf(text, header.from)) {
    const keyword = keywordBefore(parent) ?? 'block';
    const message = `${HERE}the lines after "${keyword} ...:" must be indented to form its body.`;
    return { start: found.start, end: found.end, message };
  }
  const open = unclosedBracket(error);
  if (open && text.lastIndexOf('\n', found.start - 1) >= open.from) {
    const message = `${HERE}this "${open.name}" is still open on the next line, so Python reads it as part of it; is a "${OPENERS[open.name]}" missing?`;
    return { start: open.from, end: open.to, message };
  }
  if (atLineEnd) {
    const message = `${HERE}the ${found.kind === 'end' ? 'code' : 'line'} ends before this statement is complete.`;
    return { ...lastBefore, message };
  }
  const deeper = indentOf(text, found.start) > indentOf(text, lastBefore.start);
  if (startsLine(text, found.start) && deeper && text[lastBefore.end - 1] !== ':') {
    const message = `${HERE}unexpected indent: this line is indented more than the block it belongs to.`;
    return { start: found.start, end: found.end, message };
  }
  if (found.kind === 'other') {
    const message = `${HERE}"${text.slice(found.start, found.end)}" cannot appear in Python code outside strings and comments.`;
    return { start: found.start, end: found.end, message };
  }
  const what = describe(found, text);
  const operand = found.kind === 'name' || found.kind === 'number' || found.kind === 'string';
  const token = text.slice(found.start, found.end);
  let hint = '';
  if (operand && /[\w)\]}'"]/.test(text[lastBefore.end - 1])) hint = ' Is a comma or an operator missing before it?';
  else if (token === '=' && parent?.name !== 'AssignStatement') hint = ' To compare two values, write "==".';
  else if (FOLLOWS[token]) hint = ` It must line up with the ${FOLLOWS[token]} block it continues.`;
  return { start: found.start, end: found.end, message: `${HERE}unexpected ${what}.${hint}` };
}

/** The innermost bracketed construct around a node that Lezer closed without its closing bracket. */
function unclosedBracket(node: PythonNode): PythonNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    const first = n.firstChild;
    if (first && OPENERS[first.name] && n.lastChild?.name !== OPENERS[first.name]) return first;
  }
  return undefined;
}

/** The keyword that opened the statement a node belongs to, found among the node's earlier siblings. */
function keywordBefore(node: PythonNode): string | undefined {
  for (let n = node.prevSibling; n; n = n.prevSibling) if (BLOCK_KEYWORDS.has(n.name)) return n.name;
  return undefined;
}

function tokenAt(text: string, from: number): Found {
  let i = from;
  while (text[i] === ' ' || text[i] === '\t' || text[i] === '\f' || (text[i] === '\\' && text[i + 1] === '\n')) {
    i += text[i] === '\\' ? 2 : 1;
  }
  if (i >= text.length) return { start: i, end: i, kind: 'end' };
  if (text[i] === '\n' || text[i] === '\r' || text[i] === '#') return { start: i, end: i + 1, kind: 'line-end' };
  const match = (re: RegExp) => ((re.lastIndex = i), re.test(text) ? re.lastIndex : undefined);
  if (/^[rRbBuUfF]{0,2}['"]/.test(text.slice(i, i + 3))) return { start: i, end: stringEnd(text, i), kind: 'string' };
  const name = match(NAME);
  if (name !== undefined) {
    return { start: i, end: name, kind: KEYWORDS.has(text.slice(i, name)) ? 'keyword' : 'name' };
  }
  const number = match(NUMBER);
  if (number !== undefined) return { start: i, end: number, kind: 'number' };
  const operator = match(OPERATOR);
  if (operator !== undefined) return { start: i, end: operator, kind: 'operator' };
  const point = text.codePointAt(i) ?? 0;
  return { start: i, end: i + (point > 0xffff ? 2 : 1), kind: 'other' };
}

/** Where a string token ends on its line; enough to highlight it, since unclosed strings are found elsewhere. */
function stringEnd(text: string, at: number): number {
  const quoteAt = text.slice(at).search(/['"]/) + at;
  const close = text.indexOf(text[quoteAt], quoteAt + 1);
  const lineEnd = text.indexOf('\n', quoteAt);
  const limit = lineEnd < 0 ? text.length : lineEnd;
  return close < 0 || close >= limit ? limit : close + 1;
}

function describe(found: Found, text: string): string {
  const token = text.slice(found.start, found.end);
  const shown = token.length > 40 ? `${token.slice(0, 40)}...` : token;
  switch (found.kind) {
    case 'name':
      return `name "${shown}"`;
    case 'keyword':
      return `keyword "${shown}"`;
    case 'number':
      return `number ${shown}`;
    case 'string':
      return `string ${shown}`;
    default:
      return `"${shown}"`;
  }
}

/** The last word or character before an offset, where a problem at a line's end is shown. */
function lastCharBefore(text: string, offset: number): { start: number; end: number } {
  let i = Math.min(offset, text.length) - 1;
  while (i > 0 && /\s/.test(text[i])) i--;
  if (i < 0) return { start: 0, end: Math.min(1, text.length) };
  let start = i;
  // A word is shown whole, but not a whole line of one: the bound keeps this cheap on pathological text.
  while (start > 0 && i - start < 80 && /\w/.test(text[i]) && /\w/.test(text[start - 1])) start--;
  return { start, end: i + 1 };
}

function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t\f]*$/.test(text.slice(lineStart, offset));
}

function indentOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let i = lineStart;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i - lineStart;
}
