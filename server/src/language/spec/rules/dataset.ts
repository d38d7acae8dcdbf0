import type { ScalarNode, SpecNode } from '../nodes';
import { isNull, isString, siteOf, tagSiteOf } from '../nodes';
import { DATASET_TAGS, QUERY_TAGS } from '../schema';
import { wrongType, type CheckContext } from './context';

/** What identifies a sample's input for the client's duplicate check, and whether NFiles applies to it. */
export interface DatasetIdentity {
  readonly fileList: boolean;
  /** The dataset part of the client's sample hash: the DID text, or the sorted file list. */
  readonly hash: string;
}

const CERN_RECORD = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const TAG_LIST = DATASET_TAGS.join(', ');

/** Checks the value of a sample's `Dataset` key and returns what identifies it. */
export function checkDatasetValue(node: SpecNode, context: CheckContext): DatasetIdentity | undefined {
  if (node.kind === 'invalid') return undefined;
  const tag = node.tag;
  if (tag === undefined || tag === 'tag:yaml.org,2002:str') {
    const example =
      isString(node) && node.text.includes(':') ? ` For a Rucio DID write: Dataset: !Rucio ${node.text}` : '';
    const message = isNull(node)
      ? `Dataset is empty: give it one of ${TAG_LIST}.`
      : `Dataset needs a tag saying what kind of dataset it is: ${TAG_LIST}.${example}`;
    context.reporter.at(siteOf(node), 'spec/missing-tag', 'error', message);
    return undefined;
  }
  if (tag in QUERY_TAGS) {
    const message = `${tag} is a query tag and belongs under Query; Dataset takes ${TAG_LIST}.`;
    context.reporter.at(tagSiteOf(node), 'spec/wrong-tag', 'error', message);
    return undefined;
  }
  return identify(node);
}

function identify(node: SpecNode): DatasetIdentity | undefined {
  switch (node.tag) {
    case '!FileList':
      return node.kind === 'seq' ? fileListIdentity(node.items) : undefined;
    case '!CERNOpenData':
      return node.kind === 'scalar' && CERN_RECORD.test(node.text)
        ? { fileList: false, hash: String(Number(node.text.replace(/_/g, ''))) }
        : undefined;
    case '!Rucio':
    case '!XRootD':
      return node.kind === 'scalar' ? { fileList: false, hash: node.text } : undefined;
    default:
      return undefined;
  }
}

/** The identity of a list of files; the client sorts it before hashing, so order does not make samples distinct. */
export function fileListIdentity(items: readonly SpecNode[]): DatasetIdentity {
  const files = items.map((item) => (item.kind === 'scalar' ? item.text : JSON.stringify(item.loc)));
  return { fileList: true, hash: JSON.stringify(['files', ...files.sort()]) };
}

/** Checks what a dataset tag's reader needs (§3.5), wherever the tagged node is (often under Definition). */
export function checkDatasetTag(node: SpecNode, context: CheckContext): void {
  const tag = node.tag ?? '';
  const at = siteOf(node);
  if (tag === '!FileList') {
    if (node.kind !== 'seq') {
      const example = isString(node) ? ` Write: !FileList ["${node.text}"]` : '';
      wrongType(node, '!FileList', 'a list of file paths or URLs', context, example);
      return;
    }
    if (node.items.length === 0) {
      context.reporter.at(at, 'spec/empty-file-list', 'warning', '!FileList is empty: this sample has no input files.');
    }
    for (const item of node.items)
      if (!isString(item)) wrongType(item, 'Each !FileList entry', 'a path or URL', context);
    return;
  }
  if (node.kind !== 'scalar' || isNull(node) || node.text.trim() === '') {
    const what = tag === '!CERNOpenData' ? 'a record number' : tag === '!Rucio' ? 'a scope:name DID' : 'a file pattern';
    if (node.kind !== 'invalid') context.reporter.at(at, 'spec/tag-value', 'error', `${tag} takes ${what}.`);
    return;
  }
  if (tag === '!Rucio') checkRucioDid(node, context);
  if (tag === '!CERNOpenData' && !CERN_RECORD.test(node.text)) {
    const message = `!CERNOpenData takes the integer record id of the dataset (for example !CERNOpenData 179), not "${node.text}".`;
    context.reporter.at(at, 'spec/cern-open-data-id', 'error', message);
  }
}

/** A Rucio DID needs its scope: without `scope:` the client refuses it (§3.5, trap 9). */
export function checkRucioDid(node: ScalarNode, context: CheckContext): void {
  if (node.text.includes(':')) return;
  const message = `Specified dataset ${node.text} is missing a Rucio namespace. Write the DID as "scope:name", for example user.jdoe:${node.text}.`;
  context.reporter.at(siteOf(node), 'spec/rucio-scope', 'error', message);
}
