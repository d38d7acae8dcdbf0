import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { mapScalar, toDocumentRange } from '../spec/scalarOffsets';

// Completion and hover run at every keystroke, and parsing a 1 MB spec takes far longer than that allows. They parse
// only the part of the spec around the cursor: one item of a top-level block list (a sample, a definition), or the
// top-level entry, found by a line scan that touches only the lines between the cursor and that entry's start.

/** A part of the document parsed on its own; node offsets are relative to `start`. */
export interface ParsedRegion {
  readonly start: number;
  readonly document: Document;
}

/** Parses the part of a spec around `offset`. */
export function parseRegionAt(text: string, offset: number): ParsedRegion {
  const { start, end } = regionAt(text, offset);
  return { start, document: parseYaml(text.slice(start, end)) };
}

/** Parses YAML keeping the source tokens that scalar offset mapping needs. */
export function parseYaml(text: string): Document {
  return parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: false });
}

/** The start and end of the top-level entry or block-list item around `offset`. */
export function regionAt(text: string, offset: number): { start: number; end: number } {
  const cursorLine = lineStartOf(text, offset);
  // Walk up to the top-level line, remembering the nearest list item start of each indentation on the way.
  const nearestItem = new Map<number, number>();
  let top = 0;
  for (let line = cursorLine; ; line = lineStartOf(text, line - 1)) {
    const indent = indentAt(text, line);
    if (!isBlank(text, line + indent)) {
      if (indent === 0) {
        top = line;
        break;
      }
      if (isItemStart(text, line + indent) && !nearestItem.has(indent)) nearestItem.set(indent, line);
    }
    if (line === 0) break;
  }
  const listIndent = blockListIndent(text, top);
  const item = listIndent === undefined ? undefined : nearestItem.get(listIndent);
  const start = item ?? top;
  const end = regionEnd(text, Math.max(cursorLine, start), listIndent);
  return { start, end };
}

function regionEnd(text: string, fromLine: number, listIndent: number | undefined): number {
  for (let line = nextLine(text, fromLine); line < text.length; line = nextLine(text, line)) {
    const indent = indentAt(text, line);
    if (isBlank(text, line + indent)) continue;
    if (indent === 0) return line;
    if (listIndent !== undefined && indent <= listIndent) return line;
  }
  return text.length;
}

/** The indentation of the block list that is the value of the top-level key on `line`, if it has one. */
function blockListIndent(text: string, line: number): number | undefined {
  for (let next = nextLine(text, line); next < text.length; next = nextLine(text, next)) {
    const indent = indentAt(text, next);
    if (isBlank(text, next + indent)) continue;
    if (isItemStart(text, next + indent)) return indent;
    return undefined;
  }
  return undefined;
}

/** The offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

function nextLine(text: string, line: number): number {
  const newline = text.indexOf('\n', line);
  return newline < 0 ? text.length : newline + 1;
}

function indentAt(text: string, line: number): number {
  let i = line;
  while (text.charCodeAt(i) === 32) i++;
  return i - line;
}

/** Whether a line is empty or a comment from `at`, its first non-space character. */
function isBlank(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return Number.isNaN(c) || c === 10 || c === 13 || c === 35;
}

function isItemStart(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45) return false;
  const next = text.charCodeAt(at + 1);
  return Number.isNaN(next) || next === 32 || next === 10 || next === 13;
}

/** The text inside a scalar with the mapping between its offsets and the document's. */
export interface EmbeddedText {
  readonly text: string;
  /** The document offset of a position in the text. */
  toDocument(offset: number): number;
  /** The text offset of a document position, for a cursor inside the scalar. */
  toText(offset: number): number;
  /** The document range of the source that produced the text range [start, end). */
  toDocumentRange(start: number, end: number): { start: number; end: number };
}

/** The identity mapping, for documents that are a query by themselves (`.funcadl`, `.qastle`). */
export function wholeText(text: string): EmbeddedText {
  return {
    text,
    toDocument: (offset) => offset,
    toText: (offset) => offset,
    toDocumentRange: (start, end) => ({ start, end }),
  };
}

/** A scalar's value mapped to document offsets, when the mapping is exact; `base` is where its region starts. */
export function embeddedScalar(node: Scalar, base: number): EmbeddedText | undefined {
  const mapped = mapScalar(node);
  if (!mapped) return undefined;
  return {
    text: mapped.value,
    toDocument: (offset) => base + toDocumentRange(mapped, offset, offset).start,
    toDocumentRange: (start, end) => {
      const range = toDocumentRange(mapped, start, end);
      return { start: base + range.start, end: base + range.end };
    },
    toText: (offset) => {
      // The first value unit that starts at or after the cursor is the one the cursor stands before.
      const local = offset - base;
      let low = 0;
      let high = mapped.starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (mapped.starts[mid] < local) low = mid + 1;
        else high = mid;
      }
      return low;
    },
  };
}

/** A tagged scalar with where its tag starts, in document offsets. */
export interface TaggedScalar {
  readonly node: Scalar;
  readonly tag: string;
  readonly tagStart: number;
  /** Where the scalar's source ends (after a block scalar's last line). */
  readonly end: number;
  readonly base: number;
}

/** Every scalar with one of `tags` in a parsed text, in document order. */
export function taggedScalars(document: Document, base: number, text: string, tags: readonly string[]): TaggedScalar[] {
  const found: TaggedScalar[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 100 || !node) return;
    if (isScalar(node)) {
      if (node.tag && tags.includes(node.tag) && node.range) {
        const start = base + node.range[0];
        const tagStart = text.lastIndexOf(node.tag, start);
        found.push({
          node,
          tag: node.tag,
          tagStart: tagStart >= 0 ? tagStart : start,
          end: base + node.range[1],
          base,
        });
      }
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(item, depth + 1);
    } else if (isPair(node)) {
      visit(node.key, depth + 1);
      visit(node.value, depth + 1);
    }
  };
  visit(document.contents, 0);
  return found;
}

/** The tagged scalar whose tag or value holds `offset`. */
export function taggedScalarAt(text: string, offset: number, tags: readonly string[]): TaggedScalar | undefined {
  const region = parseRegionAt(text, offset);
  return taggedScalars(region.document, region.start, text, tags).find((s) => s.tagStart <= offset && offset <= s.end);
}

/** The node of a mapping's value, following an alias to its anchor when the anchor is in the same parse. */
export function resolved(node: unknown, document: Document): Node | undefined {
  if (isAlias(node)) return node.resolve(document);
  return (node as Node | null) ?? undefined;
}

/** A scalar's value as text (strings, numbers and booleans), or undefined for anything else. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
