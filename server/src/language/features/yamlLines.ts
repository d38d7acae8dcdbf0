import { lineStartOf } from './specRegion';

// While a key is being typed the YAML is not valid yet (`  Out` has no colon), so the parser cannot say where the
// cursor is. These read the indentation instead, as a person would: the keys above with less indentation are the
// path to the cursor, and `- ` starts a list item.

/** Where the cursor is, in YAML terms: typing a key, typing a key's value, or somewhere else. */
export type YamlCursor =
  | {
      readonly kind: 'key';
      /** The keys above the mapping the cursor is in; `[]` stands for a list item: `['Sample', '[]']`. */
      readonly path: readonly string[];
      readonly start: number;
      readonly end: number;
      /** Whether the key already has its colon after the cursor, so only the name is replaced. */
      readonly hasColon: boolean;
      readonly column: number;
      readonly lineStart: number;
      /** Whether the cursor line starts a list item (`- `), so the keys above belong to another mapping. */
      readonly item: boolean;
    }
  | {
      readonly kind: 'value';
      readonly path: readonly string[];
      readonly key: string;
      readonly start: number;
      readonly end: number;
      /** Whether the colon has no space after it yet, so an inserted value needs one. */
      readonly needsSpace: boolean;
    }
  | { readonly kind: 'other' };

const KEY_LINE = /^( *)((?:- +)?)([A-Za-z_][\w-]*)?$/;
const VALUE_LINE = /^( *)((?:- +)?)([A-Za-z_][\w-]*)[ \t]*:([ \t]*)(!?[\w.:/-]*)$/;

/** Reads the cursor's YAML context from the lines above it. */
export function yamlCursor(text: string, offset: number): YamlCursor {
  const lineStart = lineStartOf(text, offset);
  const before = text.slice(lineStart, offset);
  const after = /^[^\n\r]*/.exec(text.slice(offset, offset + 500))?.[0] ?? '';
  const key = KEY_LINE.exec(before);
  if (key) {
    const column = key[1].length + key[2].length;
    const path = pathAbove(text, lineStart, column, key[2].length > 0, key[1].length);
    if (!path) return { kind: 'other' };
    const rest = /^[\w-]*/.exec(after)?.[0] ?? '';
    return {
      kind: 'key',
      path,
      start: lineStart + column,
      end: offset + rest.length,
      hasColon: /^[\w-]*[ \t]*:/.test(after),
      column,
      lineStart,
      item: key[2].length > 0,
    };
  }
  const value = VALUE_LINE.exec(before);
  if (value) {
    const column = value[1].length + value[2].length;
    const path = pathAbove(text, lineStart, column, value[2].length > 0, value[1].length);
    if (!path) return { kind: 'other' };
    const rest = /^[\w.:/-]*/.exec(after)?.[0] ?? '';
    const start = offset - value[5].length;
    return { kind: 'value', path, key: value[3], start, end: offset + rest.length, needsSpace: value[4] === '' };
  }
  return { kind: 'other' };
}

/** One line's shape: its indentation, whether it starts a list item, its key and whether the key has a value. */
interface LineShape {
  readonly indent: number;
  readonly item: boolean;
  /** The column of the line's key (after `- ` for an item). */
  readonly keyColumn: number;
  readonly key?: string;
  /** Whether the key's value is on the following lines (nothing after the colon but a comment, tag or anchor). */
  readonly opens: boolean;
}

const SHAPE = /^( *)((?:- +)?)(?:([A-Za-z_][\w-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]+|$))?(.*)$/;

function shapeOf(line: string): LineShape | undefined {
  if (/^\s*(?:#|$)/.test(line)) return undefined;
  const m = SHAPE.exec(line);
  if (!m) return undefined;
  const rest = m[4].trim();
  return {
    indent: m[1].length,
    item: m[2].length > 0,
    keyColumn: m[1].length + m[2].length,
    key: m[3]?.replace(/^["']|["']$/g, ''),
    opens: m[3] !== undefined && /^(?:[&!][^\s]*\s*)*(?:#.*)?$/.test(rest),
  };
}

/**
 * The path of keys to the mapping whose keys sit at `column`, or undefined when the lines above do not look like
 * block YAML (inside a block scalar, a flow collection). `item` says the cursor line itself starts a list item.
 */
export function pathAbove(
  text: string,
  lineStart: number,
  column: number,
  item: boolean,
  itemIndent: number,
): string[] | undefined {
  const path: string[] = [];
  // 'map': looking for the key that owns a mapping at `col`; 'seq': the key that owns a list whose dashes are at `col`.
  let mode: 'map' | 'seq' = item ? 'seq' : 'map';
  let col = item ? itemIndent : column;
  if (item) path.unshift('[]');
  for (let line = lineStart; line > 0 && !(mode === 'map' && col === 0);) {
    line = lineStartOf(text, line - 1);
    const end = text.indexOf('\n', line);
    const shape = shapeOf(text.slice(line, end < 0 ? text.length : end).replace(/\r$/, ''));
    if (!shape) continue;
    if (mode === 'map') {
      if (shape.item && shape.keyColumn === col && shape.indent < col) {
        // The first entry of this list item: the mapping is an item of a list whose dashes are here.
        path.unshift('[]');
        mode = 'seq';
        col = shape.indent;
      } else if (shape.indent >= col) continue;
      else if (shape.key !== undefined && shape.opens) {
        path.unshift(shape.key);
        col = shape.keyColumn;
        if (shape.item) {
          path.unshift('[]');
          mode = 'seq';
          col = shape.indent;
        }
      } else return undefined;
    } else {
      if (shape.item && shape.indent === col) continue;
      if (shape.indent > col) continue;
      // A list may sit at the same indentation as its key (`Sample:` then `- Name:` at column 0).
      if (!shape.item && shape.key !== undefined && shape.opens) {
        path.unshift(shape.key);
        mode = 'map';
        col = shape.indent;
      } else return undefined;
    }
  }
  return mode === 'map' ? path : undefined;
}

/** The keys already present in the mapping whose keys sit at `column` around the cursor line. */
export function siblingKeys(text: string, lineStart: number, column: number, item: boolean): Set<string> {
  const keys = new Set<string>();
  if (column === 0) {
    for (const m of text.matchAll(/^([A-Za-z_][\w-]*)[ \t]*:/gm)) keys.add(m[1]);
    return keys;
  }
  const scan = (from: number, step: 1 | -1) => {
    for (let line = from; line < text.length;) {
      const end = text.indexOf('\n', line);
      const shape = shapeOf(text.slice(line, end < 0 ? text.length : end).replace(/\r$/, ''));
      if (shape) {
        // Going up, the dash of this item holds its first key; going down, a dash at the key column starts the next.
        if (shape.keyColumn === column && shape.key !== undefined && (!shape.item || step === -1)) keys.add(shape.key);
        if (shape.indent < column) return;
      }
      if (step === 1) line = end < 0 ? text.length : end + 1;
      else if (line === 0) return;
      else line = lineStartOf(text, line - 1);
    }
  };
  if (lineStart > 0 && !item) scan(lineStartOf(text, lineStart - 1), -1);
  const next = text.indexOf('\n', lineStart);
  if (next >= 0) scan(next + 1, 1);
  return keys;
}
