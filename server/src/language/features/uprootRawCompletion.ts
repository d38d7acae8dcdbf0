import { CompletionItemKind, MarkupKind } from 'vscode-languageserver-types';
import { AWKWARD_FUNCTIONS, UPROOT_RAW_FIELDS } from './queryDocs';
import type { QueryCompletion } from './queryCompletion';

/** Where the cursor is in JSON text that may be unfinished. */
interface JsonCursor {
  /** Set when the cursor is inside a string: where its content starts. */
  readonly stringStart?: number;
  /** Whether the innermost container is an object expecting a key. */
  readonly atKey: boolean;
  /** The key that owns the value at the cursor (through arrays and objects), if any. */
  readonly owner?: string;
  /** Whether the innermost object is a sub-query (the top object, or an item of the top list). */
  readonly inSubQuery: boolean;
  /** Keys already written in the innermost object. */
  readonly present: readonly string[];
}

interface Frame {
  readonly kind: 'object' | 'array';
  readonly owner?: string;
  key?: string;
  atKey: boolean;
  readonly keys: string[];
}

/** Scans JSON up to `offset`, never failing, and says what the cursor is in. */
function jsonCursor(text: string, offset: number): JsonCursor {
  const frames: Frame[] = [];
  const top = () => frames[frames.length - 1] as Frame | undefined;
  const ownerOf = (frame: Frame | undefined) => (frame?.kind === 'object' ? frame.key : frame?.owner);
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < offset && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= offset) return cursorIn(frames, i + 1);
      const frame = top();
      if (frame?.kind === 'object' && frame.atKey) {
        frame.key = text.slice(i + 1, j);
        frame.keys.push(frame.key);
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      const owner = ownerOf(top());
      frames.push({ kind: ch === '{' ? 'object' : 'array', owner, atKey: ch === '{', keys: [] });
    } else if (ch === '}' || ch === ']') frames.pop();
    else if (ch === ':' && top()?.kind === 'object') (top() as Frame).atKey = false;
    else if (ch === ',' && top()?.kind === 'object') (top() as Frame).atKey = true;
  }
  return cursorIn(frames, undefined);
}

function cursorIn(frames: readonly Frame[], stringStart: number | undefined): JsonCursor {
  const frame = frames[frames.length - 1];
  const inSubQuery =
    frame?.kind === 'object' && (frames.length === 1 || (frames.length === 2 && frames[0].kind === 'array'));
  return {
    ...(stringStart !== undefined ? { stringStart } : {}),
    atKey: frame?.kind === 'object' && frame.atKey,
    owner: frame?.kind === 'object' ? (frame.atKey ? frame.owner : frame.key) : frame?.owner,
    inSubQuery,
    present: frame?.kind === 'object' ? frame.keys : [],
  };
}

/** Suggestions in `!UprootRaw` JSON: sub-query fields, and awkward functions in `cut`, `expressions` and aliases. */
export function completeUprootRaw(text: string, offset: number): QueryCompletion[] {
  const cursor = jsonCursor(text, offset);
  if (cursor.atKey && cursor.inSubQuery) {
    const fields = Object.entries(UPROOT_RAW_FIELDS).filter(([name]) => !cursor.present.includes(name));
    const inString = cursor.stringStart !== undefined;
    const start = cursor.stringStart ?? offset;
    const end = offset + (/^\w*/.exec(text.slice(offset))?.[0].length ?? 0);
    return fields.map(([name, field]) => ({
      label: name,
      kind: CompletionItemKind.Field,
      documentation: { kind: MarkupKind.Markdown, value: field.doc },
      newText: inString ? name : `"${name}": ${field.value}`,
      snippet: !inString,
      start,
      end,
    }));
  }
  const expressionOwner = cursor.owner === 'cut' || cursor.owner === 'expressions' || cursor.owner === 'aliases';
  if (cursor.stringStart === undefined || cursor.atKey || !expressionOwner) return [];
  const word = /[A-Za-z_]\w*$/.exec(text.slice(cursor.stringStart, offset));
  const start = offset - (word?.[0].length ?? 0);
  // A function name cannot follow a dot (that is a field of a record) or stand in the middle of a number.
  if (/[.\w]$/.test(text.slice(cursor.stringStart, start))) return [];
  return AWKWARD_FUNCTIONS.map((name) => ({
    label: name,
    kind: CompletionItemKind.Function,
    detail: `ak.${name}`,
    documentation: { kind: MarkupKind.Markdown, value: `Calls \`ak.${name}\` on the arrays it is given.` },
    newText: `${name}(\${1})`,
    snippet: true,
    start,
    end: offset,
  }));
}
