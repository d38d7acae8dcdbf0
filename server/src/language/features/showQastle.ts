import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { translateUprootQuery } from '../funcadl';
import { formatQastle } from '../qastle';
import { ShowQastleCommand, type ShowQastleResult } from '../../protocol';
import type { FeatureContext } from './context';
import { lineStartOf, taggedScalarAt } from './specRegion';

/** The qastle of a query, formatted, or why it does not translate (the result of the `showQastle` request). */
export type QastleOutcome = ShowQastleResult;

const TAG = '!FuncADL_Uproot';

/** A "Show qastle" lens above each `!FuncADL_Uproot` query of a spec and at the top of a `.funcadl` file. */
export function codeLenses(document: TextDocument, context: FeatureContext): CodeLens[] {
  const kind = context.kindOf(document);
  const lens = (offset: number, length: number): CodeLens => ({
    range: { start: document.positionAt(offset), end: document.positionAt(offset + length) },
    command: { title: 'Show qastle', command: ShowQastleCommand, arguments: [document.uri, offset] },
  });
  if (kind === 'funcadl') return [lens(0, 0)];
  if (kind !== 'spec') return [];
  // A text search finds the tags without parsing the spec, so lenses stay cheap on big files.
  const text = document.getText();
  const lenses: CodeLens[] = [];
  for (let at = text.indexOf(TAG); at >= 0; at = text.indexOf(TAG, at + TAG.length)) {
    const before = text.slice(lineStartOf(text, at), at);
    const next = text[at + TAG.length];
    if (before.includes('#') || (next !== undefined && !/\s/.test(next)) || !/(?:^|[\s:[,{-])$/.test(before)) continue;
    lenses.push(lens(at, TAG.length));
  }
  return lenses;
}

/** The qastle the ServiceX client would send for the query at `offset` (a lens's argument), formatted. */
export function showQastle(document: TextDocument, offset: number, context: FeatureContext): QastleOutcome {
  const kind = context.kindOf(document);
  let query: string | undefined;
  if (kind === 'funcadl') query = document.getText();
  else if (kind === 'spec') {
    const scalar = taggedScalarAt(document.getText(), offset, [TAG]);
    const value = scalar?.node.value;
    query = typeof value === 'string' ? value : undefined;
  }
  if (query === undefined) return { error: 'There is no !FuncADL_Uproot query at this place.' };
  const translated = translateUprootQuery(query);
  if (!translated.ok) return { error: translated.problem.message };
  return { qastle: formatQastle(translated.qastle) };
}
