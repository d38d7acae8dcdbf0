import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import type { Location } from 'vscode-languageserver-types';
import { dirname, resolvePath } from '../spec/paths';
import { lineAndColumn } from '../spec/report';
import type { FeatureContext } from './context';
import { lineStartOf } from './specRegion';
import { documentPath, fileUri } from './uris';

/** Go to definition in a spec: from an alias `*NAME` to its anchor `&NAME`, and from `!include path` to the file. */
export function definition(document: TextDocument, position: Position, context: FeatureContext): Location[] {
  if (context.kindOf(document) !== 'spec') return [];
  const text = document.getText();
  const offset = document.offsetAt(position);
  const lineStart = lineStartOf(text, offset);
  const newline = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, newline < 0 ? text.length : newline);
  const column = offset - lineStart;
  const folder = documentFolder(document.uri);

  const include = new RegExp(INCLUDE.source, 'm').exec(line);
  if (include && column >= include.index && column <= include.index + include[0].length) {
    const path = folder && resolvePath(folder, unquote(include[1]));
    if (!path || context.readFile(path) === undefined) return [];
    return [{ uri: fileUri(path), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
  }

  const alias = [...line.matchAll(/\*([^\s,[\]{}]+)/g)].find(
    (m) =>
      column >= m.index && column <= m.index + m[0].length && (m.index === 0 || /[\s,[{:-]/.test(line[m.index - 1])),
  );
  if (!alias) return [];
  const name = alias[1];
  const here = findAnchor(text, name, lineStart + alias.index);
  if (here >= 0) {
    return [
      {
        uri: document.uri,
        range: { start: document.positionAt(here), end: document.positionAt(here + name.length + 1) },
      },
    ];
  }
  // Anchors of an included file are usable after its `!include`; the latest include that defines the name wins.
  if (!folder) return [];
  const includes = [...text.slice(0, lineStart).matchAll(INCLUDE)].reverse();
  for (const found of includes) {
    const path = resolvePath(folder, unquote(found[1]));
    const included = context.readFile(path);
    const at = included === undefined ? -1 : findAnchor(included, name, included.length);
    if (included === undefined || at < 0) continue;
    const start = lineAndColumn(included, at);
    const end = { line: start.line, character: start.character + name.length + 1 };
    return [{ uri: fileUri(path), range: { start, end } }];
  }
  return [];
}

/** An `!include` and its path: quoted, or plain up to a comment or the end of the line. */
const INCLUDE = /!include[ \t]+("[^"\r\n]*"|'[^'\r\n]*'|[^\s#'"][^#\r\n]*?)[ \t]*(?=#|\r?$)/gm;

/** The offset of the last `&name` before `before`, or -1. */
function findAnchor(text: string, name: string, before: number): number {
  const anchor = `&${name}`;
  for (let at = text.lastIndexOf(anchor, before); at >= 0; at = text.lastIndexOf(anchor, at - 1)) {
    const next = text[at + anchor.length];
    const previous = at > 0 ? text[at - 1] : ' ';
    if ((next === undefined || /[\s,[\]{}]/.test(next)) && /[\s,[{:-]/.test(previous)) return at;
    if (at === 0) break;
  }
  return -1;
}

function documentFolder(uri: string): string | undefined {
  const path = documentPath(uri);
  return path ? dirname(path) : undefined;
}

const unquote = (path: string) => path.replace(/^(["'])(.*)\1$/, '$2');
