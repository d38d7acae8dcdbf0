import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { formatQastle } from '../qastle';
import type { FeatureContext } from './context';

/** Formats a `.qastle` document with the qastle engine's pretty-printer; text that does not parse is left alone. */
export function formatDocument(document: TextDocument, context: FeatureContext): TextEdit[] {
  if (context.kindOf(document) !== 'qastle') return [];
  const text = document.getText();
  const formatted = formatQastle(text);
  if (formatted === text) return [];
  return [{ range: { start: document.positionAt(0), end: document.positionAt(text.length) }, newText: formatted }];
}
