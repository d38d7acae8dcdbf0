import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { hoverQuery, hoverUprootRaw, type QueryHover } from './queryHover';
import { CODEGEN_DOCS, DATASET_TAG_DOCS, OTHER_TAG_DOCS, QUERY_TAG_DOCS, VALUE_DOCS, keysAt } from './specDocs';
import { embeddedScalar, lineStartOf, taggedScalarAt, wholeText, type EmbeddedText } from './specRegion';
import { pathAbove } from './yamlLines';

/** Hover in specs (keys, tags, values, embedded queries) and in `.funcadl` files. */
export function hover(document: TextDocument, position: Position, context: FeatureContext): Hover | null {
  const kind = context.kindOf(document);
  const offset = document.offsetAt(position);
  const text = document.getText();
  if (kind === 'funcadl')
    return toHover(
      document,
      wholeText(text),
      hoverQuery(text, offset, () => context.xaod()),
    );
  if (kind !== 'spec') return null;
  const scalar = taggedScalarAt(text, offset, ['!FuncADL_Uproot', '!UprootRaw']);
  const valueStart = scalar ? scalar.base + (scalar.node.range?.[0] ?? 0) : Infinity;
  if (scalar && offset >= valueStart) {
    const embedded = embeddedScalar(scalar.node, scalar.base);
    if (!embedded) return null;
    const at = embedded.toText(offset);
    const found =
      scalar.tag === '!UprootRaw'
        ? hoverUprootRaw(embedded.text, at)
        : hoverQuery(embedded.text, at, () => context.xaod());
    return toHover(document, embedded, found);
  }
  return hoverSpecWord(document, text, offset);
}

function toHover(document: TextDocument, embedded: EmbeddedText, found: QueryHover | undefined): Hover | null {
  if (!found) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: found.markdown },
    range: {
      start: document.positionAt(embedded.toDocument(found.start)),
      end: document.positionAt(embedded.toDocument(found.end)),
    },
  };
}

const WORD = /!?[A-Za-z_][\w.-]*/g;

function hoverSpecWord(document: TextDocument, text: string, offset: number): Hover | null {
  const lineStart = lineStartOf(text, offset);
  const lineEnd = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const column = offset - lineStart;
  const word = [...line.matchAll(WORD)].find((m) => m.index <= column && column <= m.index + m[0].length);
  if (!word) return null;
  const markdown = describeWord(text, line, lineStart, word[0], word.index);
  if (!markdown) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: {
      start: document.positionAt(lineStart + word.index),
      end: document.positionAt(lineStart + word.index + word[0].length),
    },
  };
}

function describeWord(text: string, line: string, lineStart: number, word: string, column: number): string | undefined {
  if (word.startsWith('!')) {
    const tag = DATASET_TAG_DOCS[word] ?? QUERY_TAG_DOCS[word];
    const doc = tag?.doc ?? OTHER_TAG_DOCS[word];
    return doc ? `**${word}**${tag ? ` — ${tag.detail}` : ''}\n\n${doc}` : undefined;
  }
  const key = /^( *)((?:- +)?)([A-Za-z_][\w-]*)[ \t]*:/.exec(line);
  if (!key) return undefined;
  const keyColumn = key[1].length + key[2].length;
  const path = pathAbove(text, lineStart, keyColumn, key[2].length > 0, key[1].length);
  if (!path) return undefined;
  if (column === keyColumn && word === key[3]) {
    const doc = keysAt(path)?.[word];
    return doc ? `**${word}** — ${doc.detail}\n\n${doc.doc}` : undefined;
  }
  if (key[3] === 'OutputFormat' || key[3] === 'Delivery') {
    return VALUE_DOCS[word] ? `**${word}**\n\n${VALUE_DOCS[word]}` : undefined;
  }
  if (key[3] === 'Codegen')
    return CODEGEN_DOCS[word] ? `**${word}** code generator\n\n${CODEGEN_DOCS[word]}` : undefined;
  return undefined;
}
