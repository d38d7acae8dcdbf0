import type { Span } from './nodes';

/**
 * Where the items of a block `Sample:` list are, found by a line scan that costs far less than a YAML parse. Each
 * item runs from its `- ` line to the line before the next item (comments and blank lines included); `head` is the
 * text before the first item and `tail` the text after the last.
 */
export interface SampleLayout {
  readonly items: Span[];
  readonly head: Span;
  readonly tail: Span;
}

/**
 * Splits a spec into its Sample items, or returns undefined when the file is outside the simple shape the incremental
 * checker handles exactly: one document, no `!include`, a block `Sample:` list at the top level, and no anchor defined
 * inside the list (an alias in a later item would depend on it). Everything else is checked whole.
 */
export function sampleLayout(text: string): SampleLayout | undefined {
  if (text.includes('!include') || /^(?:---|\.\.\.)(?:\s|$)/m.test(text)) return undefined;
  const sample = /^Sample[ \t]*:[ \t]*(?:#.*)?$/m.exec(text);
  if (!sample || /^Sample[ \t]*:/m.test(text.slice(sample.index + sample[0].length))) return undefined;
  let lineStart = text.indexOf('\n', sample.index);
  if (lineStart < 0) return undefined;
  lineStart++;
  let indent = -1;
  const items: Span[] = [];
  let firstItem = -1;
  let end = text.length;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const contentEnd = newline < 0 ? text.length : newline;
    const lineEnd = newline < 0 ? text.length : newline + 1;
    const spaces = countSpaces(text, lineStart, contentEnd);
    const first = text.charCodeAt(lineStart + spaces);
    if (first === 9) return undefined; // A tab in the indentation: leave it to the full parse and its error.
    const blank = lineStart + spaces >= contentEnd || first === 13 || first === 35; // empty, CR or a comment
    if (!blank) {
      if (indent < 0) {
        if (!isItemStart(text, lineStart + spaces)) return undefined;
        indent = spaces;
      }
      if (spaces < indent || (spaces === indent && !isItemStart(text, lineStart + spaces))) {
        end = lineStart;
        break;
      }
      if (spaces === indent) {
        if (firstItem < 0) firstItem = lineStart;
        else items.push({ start: items.length ? items[items.length - 1].end : firstItem, end: lineStart });
      }
    }
    lineStart = lineEnd;
  }
  if (firstItem < 0) return undefined;
  const lastStart = items.length ? items[items.length - 1].end : firstItem;
  items.push({ start: lastStart, end });
  if (items.some((item) => /(?:^|[\s[{,])&[^\s,[\]{}]/.test(text.slice(item.start, item.end)))) return undefined;
  return { items, head: { start: 0, end: firstItem }, tail: { start: end, end: text.length } };
}

function countSpaces(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) === 32) i++;
  return i - from;
}

function isItemStart(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45) return false; // -
  const next = text.charCodeAt(at + 1);
  return Number.isNaN(next) || next === 32 || next === 10 || next === 13;
}
