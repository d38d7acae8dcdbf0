import type { SpecNode } from '../nodes';
import { canonical } from '../nodes';
import { DATASET_TAGS, KNOWN_TAGS, QUERY_TAGS, suggestion } from '../schema';
import type { CheckContext } from './context';
import { checkDatasetTag } from './dataset';
import { checkQueryTag } from './query';

const USABLE_QUERY_TAGS = '!FuncADL_Uproot !UprootRaw !PythonFunction !TopCP';

/** The YAML core tags the client's safe loader constructs; any other `!!` tag makes it fail. */
const CORE_TAGS = [
  'str',
  'int',
  'float',
  'bool',
  'null',
  'map',
  'seq',
  'binary',
  'timestamp',
  'set',
  'omap',
  'pairs',
].map((name) => `tag:yaml.org,2002:${name}`);

/**
 * Visits every node once (a node reached through several aliases included) and checks its tag: unknown tags make the
 * client's loader fail, and each known tag's text must suit its reader. Works on fragments too, such as a file of
 * definitions meant to be included.
 */
export function checkTags(root: SpecNode, context: CheckContext): void {
  const seen = new Set<SpecNode>();
  const stack: SpecNode[] = [root];
  while (stack.length > 0 && !context.reporter.full) {
    const node = stack.pop() as SpecNode;
    const original = canonical(node);
    if (seen.has(original)) continue;
    seen.add(original);
    if (node.tag !== undefined) checkTag(node, context);
    // Children are pushed in reverse so they are visited in document order.
    if (node.kind === 'map') {
      for (let i = node.entries.length - 1; i >= 0; i--) stack.push(node.entries[i].value, node.entries[i].key);
    } else if (node.kind === 'seq') {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
}

function checkTag(node: SpecNode, context: CheckContext): void {
  const tag = node.tag ?? '';
  if ((DATASET_TAGS as readonly string[]).includes(tag)) return checkDatasetTag(node, context);
  if (tag in QUERY_TAGS) return checkQueryTag(node, context);
  const at = node.tagLoc ?? node.loc;
  if (tag === '!exclude') {
    const message = '!exclude only works on a mapping key, a mapping value or a list item; here nothing is removed.';
    context.reporter.at(at, 'spec/misplaced-exclude', 'warning', message);
    return;
  }
  if (tag === '!' || KNOWN_TAGS.includes(tag) || CORE_TAGS.includes(tag)) return;
  const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag;
  const message = `Unknown tag ${shown}: the ServiceX client cannot load a spec with it.${suggestion(tag, KNOWN_TAGS)} Datasets take ${DATASET_TAGS.join(' ')}; queries take ${USABLE_QUERY_TAGS}.`;
  context.reporter.at(at, 'spec/unknown-tag', 'error', message);
}
