import { CompletionItemKind, MarkupKind, type MarkupContent } from 'vscode-languageserver-types';
import type { XaodTypeDatabase } from '../xaod/typeDatabase';
import { METADATA_DOC, OPERATOR_DOCS, type OperatorDoc } from './queryDocs';
import { analyzeScopes, tokenBefore, tokenizeQuery } from './queryTokens';
import { QueryTypes, elementOf, type QueryType } from './queryTypes';
import { collectionSignature, collectionSnippet, methodSignature, methodSnippet, shortClassName } from './xaodText';

/** What query completion reads besides the text. */
export interface QueryCompletionOptions {
  readonly xaod: () => XaodTypeDatabase | undefined;
  readonly branchNames?: () => readonly string[] | undefined;
  /** Whether the event offers xAOD collections even when the query names none (in `.funcadl` files). */
  readonly xaodEvents: boolean;
}

/** One suggestion in a query, with the range it replaces as offsets into the query text. */
export interface QueryCompletion {
  readonly label: string;
  readonly kind: CompletionItemKind;
  readonly detail?: string;
  readonly documentation?: MarkupContent;
  readonly newText: string;
  readonly snippet: boolean;
  readonly start: number;
  readonly end: number;
  readonly sortText?: string;
  readonly filterText?: string;
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/** Suggestions after a `.` in func_adl text: operators, branches, collections, methods or fields, by receiver type. */
export function completeQuery(text: string, offset: number, options: QueryCompletionOptions): QueryCompletion[] {
  const tokens = tokenizeQuery(text);
  const k = tokenBefore(tokens, offset);
  if (k < 0) return [];
  const current = tokens[k];
  const inside = offset < current.end || (current.open === true && offset <= current.end);
  if ((current.kind === 'string' || current.kind === 'comment') && inside) return [];
  let start = offset;
  let end = offset;
  let dot = k;
  if (current.kind === 'name' && current.end >= offset) {
    start = current.start;
    end = current.end;
    dot = k - 1;
  }
  if (dot < 1 || tokens[dot].text !== '.') return [];
  const types = new QueryTypes(analyzeScopes(tokens), options.xaod);
  const receiver = types.typeBefore(dot - 1);
  const at = { start, end };
  switch (receiver.kind) {
    case 'stream':
      return operators(receiver, true, at);
    case 'collection':
    case 'column':
    case 'unknown':
      return operators(receiver, false, at);
    case 'event':
      return eventMembers(text, options, at, tokens[dot].start);
    case 'object':
      return methods(receiver.cls, options.xaod(), at);
    case 'record':
      return receiver.fields.map((field) => ({
        label: field,
        kind: CompletionItemKind.Field,
        detail: 'column of the previous Select',
        newText: field,
        snippet: false,
        ...at,
      }));
    case 'module':
      return [];
  }
}

function operators(receiver: QueryType, stream: boolean, at: { start: number; end: number }): QueryCompletion[] {
  const entries = Object.entries(OPERATOR_DOCS).filter(([, doc]) => !stream || doc.stream);
  if (stream) entries.push(['MetaData', METADATA_DOC]);
  const variable = parameterName(elementOf(receiver));
  return entries.map(([name, doc], index) => ({
    label: name,
    kind: CompletionItemKind.Method,
    detail: doc.signature,
    documentation: operatorMarkdown(doc),
    newText: doc.snippet.replace('${1:x}', `\${1:${variable}}`),
    snippet: true,
    sortText: String(index).padStart(2, '0'),
    ...at,
  }));
}

/** Hover and completion text of a LINQ operator. */
export function operatorMarkdown(doc: OperatorDoc): MarkupContent {
  return {
    kind: MarkupKind.Markdown,
    value: ['```python', doc.signature, '```', doc.doc, '', `qastle: \`${doc.qastle}\``].join('\n'),
  };
}

/** A lambda parameter name that says what it stands for: `e` for events, `j` for jets. */
function parameterName(element: QueryType): string {
  if (element.kind === 'event') return 'e';
  if (element.kind !== 'object') return 'x';
  const initial = shortClassName(element.cls).charAt(0).toLowerCase() || 'x';
  return initial === 'e' ? 'el' : initial;
}

function eventMembers(
  text: string,
  options: QueryCompletionOptions,
  at: { start: number; end: number },
  dotStart: number,
): QueryCompletion[] {
  const items: QueryCompletion[] = [];
  for (const name of options.branchNames?.() ?? []) {
    // A branch whose name is not an identifier is read with a subscript: e['AnalysisElectronsAuxDyn.pt'].
    const plain = IDENTIFIER.test(name);
    items.push({
      label: name,
      kind: CompletionItemKind.Field,
      detail: 'branch',
      newText: plain ? name : `[${JSON.stringify(name).replace(/^"|"$/g, "'")}]`,
      snippet: false,
      ...(plain ? at : { start: dotStart, end: at.end, filterText: `.${name}` }),
    });
  }
  const database = options.xaodEvents || namesCollection(text, options.xaod) ? options.xaod() : undefined;
  for (const collection of database?.collections() ?? []) {
    items.push({
      label: collection.name,
      kind: CompletionItemKind.Method,
      detail: collection.single ? collection.itemType : `Iterable[${collection.itemType}]`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: ['```python', collectionSignature(collection), '```'].join('\n'),
      },
      newText: collectionSnippet(collection),
      snippet: true,
      ...at,
    });
  }
  return items;
}

/** Whether an uproot query already calls an xAOD collection, such as `e.Jets()`, so it is written xAOD-style. */
function namesCollection(text: string, xaod: () => XaodTypeDatabase | undefined): boolean {
  const names = [...text.matchAll(/\.\s*([A-Z]\w*)\s*\(/g)].map((m) => m[1]).filter((n) => !(n in OPERATOR_DOCS));
  if (names.length === 0) return false;
  const database = xaod();
  return names.some((name) => database?.collection(name) !== undefined);
}

function methods(
  cls: string,
  database: XaodTypeDatabase | undefined,
  at: { start: number; end: number },
): QueryCompletion[] {
  if (!database) return [];
  const owner = database.classOf(cls);
  return database.methodsOf(cls).map((method) => ({
    label: method.name,
    kind: CompletionItemKind.Method,
    detail: method.returnType,
    documentation: { kind: MarkupKind.Markdown, value: ['```cpp', methodSignature(owner, method), '```'].join('\n') },
    newText: methodSnippet(method),
    snippet: true,
    ...at,
  }));
}
