import type { Loc, MapNode, ScalarNode, SpecNode } from '../nodes';
import { entry, isNull, isString, keyName, siteOf } from '../nodes';
import { DATASET_KEYS, SAMPLE_KEYS } from '../schema';
import { checkCodegenName } from './codegen';
import { checkKeys, expectBool, expectString, wrongType, type CheckContext } from './context';
import { checkDatasetValue, checkRucioDid, fileListIdentity, type DatasetIdentity } from './dataset';
import { checkQueryValue } from './query';

/** What the cross-sample rules need to know about one sample. */
export interface SampleInfo {
  readonly node: MapNode;
  readonly name?: ScalarNode;
  /** Where problems about the whole sample point: its name, or its first key. */
  readonly at: Loc;
  /** The client's duplicate-check key (§3.2), when the sample is complete enough to have one. */
  readonly hash?: string;
}

/** Checks one item of the `Sample` list (§3.4). */
export function checkSample(
  node: SpecNode,
  general: MapNode | undefined,
  context: CheckContext,
): SampleInfo | undefined {
  if (node.kind !== 'map') {
    wrongType(node, 'Each Sample item', 'a mapping with Name, Dataset and Query', context);
    return undefined;
  }
  checkKeys(node, SAMPLE_KEYS, 'A sample', context);
  const { reporter } = context;
  const nameValue = entry(node, 'Name')?.value;
  const name = nameValue && expectString(nameValue, 'Name', context, false) ? nameValue : undefined;
  const at = name ? siteOf(name) : node.entries.length ? siteOf(node.entries[0].key) : siteOf(node);
  if (!nameValue)
    reporter.at(at, 'spec/missing-name', 'error', 'This sample has no Name: add "Name: <a short title>".');

  const datasetEntries = node.entries.filter((e) => (DATASET_KEYS as readonly string[]).includes(keyName(e.key) ?? ''));
  let identity: DatasetIdentity | undefined;
  if (datasetEntries.length === 0) {
    const message =
      'Must specify one of Dataset, XRootDFiles, or RucioDID: add "Dataset: !Rucio scope:name" (or !FileList, !CERNOpenData, !XRootD).';
    reporter.at(at, 'spec/missing-dataset', 'error', message);
  } else {
    for (const extra of datasetEntries.slice(1)) {
      const message = `Only specify one of Dataset, XRootDFiles, or RucioDID: this sample already has ${keyName(datasetEntries[0].key)}.`;
      reporter.at(siteOf(extra.key), 'spec/multiple-datasets', 'error', message);
    }
    identity = checkDatasetEntry(
      keyName(datasetEntries[0].key) ?? '',
      datasetEntries[0].key,
      datasetEntries[0].value,
      context,
    );
    for (const extra of datasetEntries.slice(1))
      checkDatasetEntry(keyName(extra.key) ?? '', extra.key, extra.value, context);
  }

  const nFiles = checkNFiles(node, identity, datasetEntries[0] ? keyName(datasetEntries[0].key) : undefined, context);
  const codegenValue = entry(node, 'Codegen')?.value;
  const codegen = codegenValue && expectString(codegenValue, 'Codegen', context) ? codegenValue : undefined;
  if (codegen) checkCodegenName(codegen, context);
  const ignore = entry(node, 'IgnoreLocalCache')?.value;
  if (ignore) expectBool(ignore, 'IgnoreLocalCache', context);

  const generalCodegen = general ? entry(general, 'Codegen')?.value : undefined;
  const hasCodegen = codegen !== undefined || (generalCodegen !== undefined && isString(generalCodegen));
  const queryValue = entry(node, 'Query')?.value;
  const query = queryValue ? checkQueryValue(queryValue, hasCodegen, context) : undefined;
  if (!queryValue || isNull(queryValue)) {
    const message =
      'This sample has no Query: the client loads the spec but fails when it delivers ("query argument cannot be None").';
    reporter.at(at, 'spec/missing-query', 'warning', message);
  }
  const hash = identity
    ? JSON.stringify([identity.hash, nFiles ?? null, query?.selection ?? null, codegen?.text ?? null])
    : undefined;
  return { node, name, at, hash };
}

function checkDatasetEntry(key: string, keyNode: SpecNode, value: SpecNode, context: CheckContext) {
  if (key === 'Dataset') return checkDatasetValue(value, context);
  const replacement =
    key === 'RucioDID'
      ? `Dataset: !Rucio ${isString(value) ? value.text : 'scope:name'}`
      : `Dataset: !FileList [${isString(value) ? `"${value.text}"` : '...'}]`;
  const message = `${key} is deprecated: use "${replacement}" instead.`;
  context.reporter.at(siteOf(keyNode), 'spec/deprecated-key', 'warning', message, ['deprecated']);
  if (key === 'RucioDID') {
    if (!expectString(value, 'RucioDID', context)) return undefined;
    checkRucioDid(value, context);
    return { fileList: false, hash: value.text };
  }
  if (isString(value)) return fileListIdentity([value]);
  if (value.kind === 'seq' && value.items.every(isString)) return fileListIdentity(value.items);
  wrongType(value, 'XRootDFiles', 'a file URL or a list of them', context);
  return undefined;
}

/** Checks NFiles and returns its value as the client's hash sees it. */
function checkNFiles(
  node: MapNode,
  identity: DatasetIdentity | undefined,
  datasetKey: string | undefined,
  context: CheckContext,
) {
  const found = entry(node, 'NFiles');
  if (!found || isNull(found.value)) return undefined;
  const value = found.value;
  const number =
    value.kind === 'scalar' && value.tag === undefined
      ? typeof value.value === 'number'
        ? value.value
        : typeof value.value === 'string' && /^\s*[+-]?\d+\s*$/.test(value.value)
          ? Number(value.value)
          : NaN
      : NaN;
  if (!Number.isInteger(number)) {
    wrongType(value, 'NFiles', 'a whole number of files', context);
    return undefined;
  }
  const at = siteOf(value);
  if (identity?.fileList || datasetKey === 'XRootDFiles') {
    const message =
      'NFiles is ignored for a file list: ServiceX reads every file listed. Remove NFiles, or list fewer files.';
    context.reporter.at(siteOf(found.key), 'spec/nfiles-ignored', 'warning', message, ['unnecessary']);
  }
  if (number === 0 && datasetKey !== 'XRootDFiles') {
    const message =
      'NFiles cannot be set to zero for a dataset: remove NFiles to read every file, or give a positive number.';
    context.reporter.at(at, 'spec/nfiles-zero', 'error', message);
  } else if (number < 0) {
    context.reporter.at(
      at,
      'spec/nfiles-negative',
      'warning',
      'NFiles must be a positive number of files; remove it to read every file.',
    );
  }
  return number;
}
