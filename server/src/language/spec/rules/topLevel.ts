import type { MapNode, SpecNode } from '../nodes';
import { entry, isNull, keyName, siteOf } from '../nodes';
import { TOP_LEVEL_KEYS } from '../schema';
import { checkKeys, wrongType, type CheckContext } from './context';
import { checkGeneral } from './general';
import { checkSample, type SampleInfo } from './sample';
import { checkSamples } from './samples';
import { checkTags } from './tags';

/**
 * Checks a parsed spec. A top level that is not a mapping is a fragment (a list of definitions meant for `!include`),
 * so only its tags and query texts are checked.
 */
export function checkSpecTree(root: SpecNode, context: CheckContext): void {
  if (root.kind !== 'map') {
    checkTags(root, context);
    return;
  }
  checkTopKeys(root, context);
  const generalValue = entry(root, 'General')?.value;
  const general = generalValue ? checkGeneral(generalValue, context) : undefined;
  checkTags(root, context);

  const definition = entry(root, 'Definition')?.value;
  if (definition && definition.kind !== 'seq' && !isNull(definition)) {
    wrongType(definition, 'Definition', 'a list (start each definition with "- ")', context);
  }
  const sample = entry(root, 'Sample');
  if (!sample) {
    const at = root.entries.length ? siteOf(root.entries[0].key) : siteOf(root);
    const message =
      'The spec has no Sample list, which the client requires: add "Sample:" with one "- Name: ..." item per sample.';
    context.reporter.at(at, 'spec/missing-sample', 'error', message);
    return;
  }
  if (sample.value.kind !== 'seq') {
    const hint = sample.value.kind === 'map' ? ' Start each sample with "- ", as in "- Name: ...".' : '';
    wrongType(sample.value, 'Sample', 'a list of samples', context, hint);
    return;
  }
  if (sample.value.items.length === 0) {
    const message = 'The Sample list is empty: nothing will be delivered.';
    context.reporter.at(siteOf(sample.key), 'spec/empty-sample-list', 'warning', message);
  }
  const samples: SampleInfo[] = [];
  for (const item of sample.value.items) {
    const info = checkSample(item, general, context);
    if (info) samples.push(info);
  }
  checkSamples(samples, context);
}

function checkTopKeys(root: MapNode, context: CheckContext): void {
  // "Definitions" is what the client's own documentation writes: ignored by the model, yet its anchors work.
  const definitions = root.entries.find((e) => keyName(e.key) === 'Definitions');
  if (definitions) {
    const message =
      'The client reads "Definition", not "Definitions": this key is ignored, though its anchors still work. Rename it to Definition.';
    context.reporter.at(siteOf(definitions.key), 'spec/unknown-key', 'information', message);
  }
  const others: MapNode = { ...root, entries: root.entries.filter((e) => e !== definitions) };
  checkKeys(others, TOP_LEVEL_KEYS, 'A ServiceX spec', context);
}
