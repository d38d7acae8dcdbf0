import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver-types';
import { DATASET_KEYS, DELIVERY_MODES, KNOWN_CODEGENS, OUTPUT_FORMATS } from '../spec/schema';
import type { FeatureContext } from './context';
import { completeQuery, type QueryCompletion } from './queryCompletion';
import {
  CODEGEN_DOCS,
  DATASET_TAG_DOCS,
  DEPRECATED_KEYS,
  QUERY_TAG_DOCS,
  VALUE_DOCS,
  keysAt,
  type KeyDoc,
} from './specDocs';
import { embeddedScalar, taggedScalarAt, wholeText, type EmbeddedText } from './specRegion';
import { completeUprootRaw } from './uprootRawCompletion';
import { siblingKeys, yamlCursor } from './yamlLines';

const EMBEDDED_TAGS = ['!FuncADL_Uproot', '!UprootRaw'];
const EMPTY: CompletionList = { isIncomplete: false, items: [] };

/** Completion in specs (keys, values, tags, code generators, embedded queries) and in `.funcadl` files. */
export function complete(
  document: TextDocument,
  position: Position,
  context: FeatureContext,
  trigger?: string,
): CompletionList {
  const kind = context.kindOf(document);
  const offset = document.offsetAt(position);
  const text = document.getText();
  if (kind === 'funcadl') {
    const items = completeQuery(text, offset, { ...queryOptions(context), xaodEvents: true });
    return list(document, wholeText(text), items);
  }
  if (kind !== 'spec') return EMPTY;
  const scalar = taggedScalarAt(text, offset, EMBEDDED_TAGS);
  if (scalar && offset > scalar.tagStart + scalar.tag.length) {
    const embedded = embeddedScalar(scalar.node, scalar.base);
    if (!embedded || offset < scalar.base + (scalar.node.range?.[0] ?? 0)) return EMPTY;
    const at = embedded.toText(offset);
    const items =
      scalar.tag === '!UprootRaw'
        ? completeUprootRaw(embedded.text, at)
        : completeQuery(embedded.text, at, { ...queryOptions(context), xaodEvents: false });
    return list(document, embedded, items);
  }
  return { isIncomplete: false, items: completeSpec(document, text, offset, context, trigger) };
}

function queryOptions(context: FeatureContext) {
  return { xaod: () => context.xaod(), branchNames: () => context.branchNames() };
}

function list(document: TextDocument, embedded: EmbeddedText, items: readonly QueryCompletion[]): CompletionList {
  return {
    isIncomplete: false,
    items: items.map((item) => {
      const range = {
        start: document.positionAt(embedded.toDocument(item.start)),
        end: document.positionAt(embedded.toDocument(item.end)),
      };
      const result: CompletionItem = {
        label: item.label,
        kind: item.kind,
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        textEdit: { range, newText: item.newText },
      };
      if (item.detail) result.detail = item.detail;
      if (item.documentation) result.documentation = item.documentation;
      if (item.sortText) result.sortText = item.sortText;
      if (item.filterText) result.filterText = item.filterText;
      return result;
    }),
  };
}

function completeSpec(
  document: TextDocument,
  text: string,
  offset: number,
  context: FeatureContext,
  trigger: string | undefined,
): CompletionItem[] {
  const cursor = yamlCursor(text, offset);
  const range = (start: number, end: number): Range => ({
    start: document.positionAt(start),
    end: document.positionAt(end),
  });
  if (cursor.kind === 'key') {
    // Typing a space or a colon where a key goes is indentation or punctuation, not a request for keys.
    if (trigger !== undefined) return [];
    const docs = keysAt(cursor.path);
    if (!docs) return [];
    const present = siblingKeys(text, cursor.lineStart, cursor.column, cursor.item);
    const hasDataset = DATASET_KEYS.some((key) => present.has(key));
    return Object.entries(docs)
      .filter(([key]) => !present.has(key) && !DEPRECATED_KEYS.includes(key) && !(key === 'Dataset' && hasDataset))
      .map(([key, doc]) => keyItem(key, doc, cursor.hasColon, range(cursor.start, cursor.end)));
  }
  if (cursor.kind !== 'value' || trigger === '.') return [];
  const values = valueChoices(cursor.path, cursor.key, context);
  const space = cursor.needsSpace ? ' ' : '';
  return values.map((value) => {
    const item: CompletionItem = {
      label: value.label,
      kind: value.kind,
      documentation: { kind: MarkupKind.Markdown, value: value.doc },
      textEdit: { range: range(cursor.start, cursor.end), newText: space + value.insert },
      insertTextFormat: value.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    };
    if (value.detail) item.detail = value.detail;
    if (value.insert.includes('\n')) item.insertTextMode = InsertTextMode.adjustIndentation;
    if (space) item.filterText = space + value.label;
    return item;
  });
}

function keyItem(key: string, doc: KeyDoc, hasColon: boolean, range: Range): CompletionItem {
  const item: CompletionItem = {
    label: key,
    kind: CompletionItemKind.Property,
    detail: doc.detail,
    documentation: { kind: MarkupKind.Markdown, value: doc.doc },
    insertTextFormat: hasColon ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
    textEdit: { range, newText: hasColon ? key : doc.snippet },
  };
  if (!hasColon && doc.snippet.includes('\n')) item.insertTextMode = InsertTextMode.adjustIndentation;
  // Keys whose value is picked from a list open the suggestions again, so the value follows without a keystroke.
  if (!hasColon && doc.suggestValue) item.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
  return item;
}

interface ValueChoice {
  readonly label: string;
  readonly kind: CompletionItemKind;
  readonly detail?: string;
  readonly doc: string;
  readonly insert: string;
  readonly snippet: boolean;
}

function valueChoices(path: readonly string[], key: string, context: FeatureContext): ValueChoice[] {
  const where = path.join('/');
  const inGeneral = where === 'General';
  const inSample = where === 'Sample/[]';
  const plain = (label: string, kind: CompletionItemKind, doc: string, detail?: string): ValueChoice => ({
    label,
    kind,
    doc,
    insert: label,
    snippet: false,
    ...(detail ? { detail } : {}),
  });
  if (inGeneral && key === 'OutputFormat')
    return OUTPUT_FORMATS.map((v) => plain(v, CompletionItemKind.EnumMember, VALUE_DOCS[v]));
  if (inGeneral && key === 'Delivery')
    return DELIVERY_MODES.map((v) => plain(v, CompletionItemKind.EnumMember, VALUE_DOCS[v]));
  if ((inGeneral || inSample) && key === 'IgnoreLocalCache') {
    return [
      plain('true', CompletionItemKind.Value, 'Ignore cached results.'),
      plain('false', CompletionItemKind.Value, 'Reuse cached results.'),
    ];
  }
  if ((inGeneral || inSample) && key === 'Codegen') {
    const offered = context.codegens();
    const detail = offered ? 'offered by the connected ServiceX' : 'known to the ServiceX client';
    return (offered ?? KNOWN_CODEGENS).map((v) =>
      plain(v, CompletionItemKind.Value, CODEGEN_DOCS[v] ?? 'A code generator of the connected ServiceX.', detail),
    );
  }
  const tags = inSample && key === 'Dataset' ? DATASET_TAG_DOCS : inSample && key === 'Query' ? QUERY_TAG_DOCS : {};
  return Object.entries(tags).map(([tag, doc]) => ({
    label: tag,
    kind: CompletionItemKind.Keyword,
    detail: doc.detail,
    doc: doc.doc,
    insert: doc.snippet,
    snippet: true,
  }));
}
