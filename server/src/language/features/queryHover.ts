import type { XaodTypeDatabase } from '../xaod/typeDatabase';
import { FROM_TREE_DOC, METADATA_DOC, OPERATOR_DOCS, UPROOT_RAW_FIELDS } from './queryDocs';
import { operatorMarkdown } from './queryCompletion';
import { analyzeScopes, tokenBefore, tokenizeQuery } from './queryTokens';
import { QueryTypes, type QueryType } from './queryTypes';
import { collectionSignature, methodSignature } from './xaodText';

/** Hover text with the range of the word it is about, as offsets into the query text. */
export interface QueryHover {
  readonly markdown: string;
  readonly start: number;
  readonly end: number;
}

/** Hover in func_adl text: LINQ operators, xAOD collections and methods, and what a lambda parameter stands for. */
export function hoverQuery(
  text: string,
  offset: number,
  xaod: () => XaodTypeDatabase | undefined,
): QueryHover | undefined {
  const tokens = tokenizeQuery(text);
  const k = tokenBefore(tokens, offset + 1);
  const token = tokens[k];
  if (!token || token.kind !== 'name' || token.end < offset) return undefined;
  const scopes = analyzeScopes(tokens);
  const types = new QueryTypes(scopes, xaod);
  const at = { start: token.start, end: token.end };
  const name = token.text;
  const called = tokens[k + 1]?.text === '(';
  if (tokens[k - 1]?.text === '.' && k >= 2) {
    const receiver = types.typeBefore(k - 2);
    const database = receiver.kind === 'object' || receiver.kind === 'event' ? xaod() : undefined;
    if (receiver.kind === 'object') {
      const method = database?.method(receiver.cls, name);
      if (method) {
        const markdown = `${code('cpp', methodSignature(database?.classOf(receiver.cls), method))}\nMethod of \`${receiver.cls}\`.`;
        return { markdown, ...at };
      }
    }
    const collection = receiver.kind === 'event' && called ? database?.collection(name) : undefined;
    if (collection) {
      const markdown = `${code('python', collectionSignature(collection))}\nEvent collection of \`${collection.cppItemType}\`.`;
      return { markdown, ...at };
    }
  }
  const operator = name === 'MetaData' ? METADATA_DOC : OPERATOR_DOCS[name];
  if (operator && called) return { markdown: operatorMarkdown(operator).value, ...at };
  if (name === 'FromTree' && called) return { markdown: FROM_TREE_DOC, ...at };
  const binding = scopes.bindings.get(k);
  if (binding) {
    const type = describeType(types.paramType(binding));
    return { markdown: code('python', `(parameter) ${name}${type ? `: ${type}` : ''}`), ...at };
  }
  return undefined;
}

/** Hover on a field name of `!UprootRaw` JSON. */
export function hoverUprootRaw(text: string, offset: number): QueryHover | undefined {
  for (const match of text.matchAll(/"(\w+)"\s*:/g)) {
    const start = match.index;
    const end = start + match[1].length + 2;
    if (start > offset) break;
    const field = UPROOT_RAW_FIELDS[match[1]];
    if (offset <= end && field) return { markdown: `**${match[1]}**\n\n${field.doc}`, start, end };
  }
  return undefined;
}

function describeType(type: QueryType): string | undefined {
  switch (type.kind) {
    case 'event':
      return 'event';
    case 'object':
      return type.cls;
    case 'collection':
    case 'stream': {
      const element = describeType(type.element);
      return element ? `Iterable[${element}]` : undefined;
    }
    case 'record':
      return `{${type.fields.map((f) => `'${f}'`).join(', ')}}`;
    case 'column':
      return 'branch';
    default:
      return undefined;
  }
}

const code = (language: string, text: string) => ['```' + language, text, '```'].join('\n');
