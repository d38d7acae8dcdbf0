import { isMap, isScalar, isSeq } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens } from 'vscode-languageserver-types';
import { DeliverSpecCommand } from '../../protocol';
import type { FeatureContext } from './context';

/**
 * "Deliver" above each `Sample` item that has a `Name`, and "Deliver all" above the `Sample:` key of a spec. The
 * lenses only name the sample; the client builds the requests (and refuses a spec with errors) when one is clicked.
 */
export function deliverLenses(document: TextDocument, context: FeatureContext): CodeLens[] {
  if (context.kindOf(document) !== 'spec') return [];
  const root = context.parsed(document).contents;
  if (!isMap(root)) return [];
  const samplesPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'Sample');
  if (!samplesPair || !isSeq(samplesPair.value) || !isScalar(samplesPair.key)) return [];
  const at = (offset: number): CodeLens['range'] => {
    const position = document.positionAt(offset);
    return { start: position, end: position };
  };
  const keyOffset = samplesPair.key.range?.[0] ?? 0;
  const lenses: CodeLens[] = [];
  const names: string[] = [];
  for (const item of samplesPair.value.items) {
    if (!isMap(item)) continue;
    const name = item.items.find((pair) => isScalar(pair.key) && pair.key.value === 'Name');
    if (!name || !isScalar(name.value) || typeof name.value.value !== 'string') continue;
    names.push(name.value.value);
    lenses.push({
      range: at(item.range?.[0] ?? keyOffset),
      command: {
        title: `Deliver ${name.value.value}`,
        command: DeliverSpecCommand,
        arguments: [document.uri, [name.value.value]],
      },
    });
  }
  if (names.length > 1) {
    lenses.unshift({
      range: at(keyOffset),
      command: { title: `Deliver all ${names.length} samples`, command: DeliverSpecCommand, arguments: [document.uri] },
    });
  }
  return lenses;
}
