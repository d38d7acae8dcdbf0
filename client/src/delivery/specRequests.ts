import { checkSpec } from '../../../server/src/language/spec';
import {
  canonical,
  entry,
  isNull,
  isString,
  keyName,
  type MapNode,
  type SpecNode,
} from '../../../server/src/language/spec/nodes';
import { parseSpec } from '../../../server/src/language/spec/parse';
import { lineAndColumn, Reporter } from '../../../server/src/language/spec/report';
import { DATASET_KEYS, DEFAULT_TITLE_LIMIT, QUERY_TAGS } from '../../../server/src/language/spec/schema';
import { dependsOnPythonUnicode, hasLoneSurrogate } from './pythonRepr';
import {
  funcAdlUprootSelection,
  pythonFunctionSelection,
  topCpSelection,
  uprootRawSelection,
  type Selection,
} from './selection';
import {
  RESULT_FORMATS,
  requestHash,
  transformRequestBody,
  type SpecOutputFormat,
  type TransformRequestBody,
} from './transformRequest';

// A spec's samples turned into the bodies the Python client 3.x would POST (servicex-facts.md §1.5, §3), following
// `_build_datasets`, `ServiceXClient.generic_query` and `Query.transform_request`. A spec with errors is refused as
// a whole, as the client refuses to load it.

/** What building requests needs besides the spec text. */
export interface RequestOptions {
  /** Sent as `client-version`; left out when undefined (clients before 3.3 do not send it). */
  readonly clientVersion?: string;
  /** The server's `long_sample_titles_N`; undefined means the client truncates titles to 128 characters. */
  readonly titleLengthLimit?: number;
  /** The endpoint's code generators, when known; a codegen it lacks is an error. */
  readonly codegens?: readonly string[];
  /** Reads a file for `!include` (absolute paths); undefined when it cannot be read. */
  readonly readFile: (path: string) => string | undefined;
  /** Reads a file a `!TopCP` query names, as given; the client opens it relative to its working folder. */
  readonly readTopCpFile?: (path: string) => string | undefined;
}

/** A problem that stops delivery, with a 1-based place in the spec when there is one. */
export interface DeliveryProblem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly sample?: string;
}

/** One sample's request. */
export interface SampleRequest {
  /** The sample's Name, which the client uses as the title (perhaps truncated). */
  readonly name: string;
  readonly request: TransformRequestBody;
  /** `TransformRequest.compute_hash`: the key of the Python client's cache. */
  readonly hash: string;
  readonly ignoreLocalCache: boolean;
  /** Things the client does silently that the user may not expect. */
  readonly notes: readonly string[];
}

/** The requests of a whole spec, or the problems that stop it. */
export type SpecRequests =
  | {
      readonly ok: true;
      readonly samples: readonly SampleRequest[];
      readonly delivery: 'LocalCache' | 'URLs';
    }
  | { readonly ok: false; readonly problems: readonly DeliveryProblem[] };

/** Builds the request of every sample of a spec, as the Python client would; executes nothing from the spec. */
export function requestsFromSpec(
  specText: string,
  specPath: string | undefined,
  options: RequestOptions,
): SpecRequests {
  const located = (start: number, message: string, sample?: string): DeliveryProblem => {
    const { line, character } = lineAndColumn(specText, start);
    return { message, line: line + 1, column: character + 1, ...(sample !== undefined && { sample }) };
  };
  const errors = checkSpec(specText, specPath, {
    readFile: options.readFile,
    codegens: options.codegens,
    maxTitleLength: options.titleLengthLimit,
  }).filter((p) => p.severity === 'error');
  if (errors.length > 0) return { ok: false, problems: errors.map((p) => located(p.start, p.message)) };

  const root = parseSpec(specText, specPath, { readFile: options.readFile }, new Reporter());
  const samplesNode = root?.kind === 'map' ? entry(root, 'Sample')?.value : undefined;
  if (!root || root.kind !== 'map' || samplesNode?.kind !== 'seq')
    return { ok: false, problems: [{ message: 'The spec has no Sample list.' }] };
  const general = entry(root, 'General')?.value;
  const generalMap = general?.kind === 'map' ? general : undefined;
  const setting = (key: string) => (generalMap ? scalarText(entry(generalMap, key)?.value) : undefined);
  const outputFormat = (setting('OutputFormat') ?? 'root-ttree') as SpecOutputFormat;
  const delivery = setting('Delivery') === 'URLs' ? 'URLs' : 'LocalCache';
  const ignoreAll = isTrue(generalMap ? entry(generalMap, 'IgnoreLocalCache')?.value : undefined);

  const samples = samplesNode.items.filter((item): item is MapNode => item.kind === 'map');
  const sharedNFiles = lastNFilesPerDataset(samples);
  const built: SampleRequest[] = [];
  const problems: DeliveryProblem[] = [];
  for (const sample of samples) {
    const name = scalarText(entry(sample, 'Name')?.value) ?? '';
    const fail = (message: string) => problems.push(located(sample.loc.start, message, name));
    const notes: string[] = [];
    let title = name;
    if (options.titleLengthLimit === undefined && [...name].length > DEFAULT_TITLE_LIMIT) {
      title = [...name].slice(0, DEFAULT_TITLE_LIMIT).join('');
      notes.push(`The title is truncated to ${DEFAULT_TITLE_LIMIT} characters, as the client does for this server.`);
    }
    const input = datasetOf(sample, sharedNFiles, notes);
    if ('message' in input) {
      fail(input.message);
      continue;
    }
    const query = entry(sample, 'Query')?.value;
    if (!query || isNull(query)) {
      fail('query argument cannot be None: this sample has no Query.');
      continue;
    }
    const codegen =
      scalarText(entry(sample, 'Codegen')?.value) ??
      (generalMap ? scalarText(entry(generalMap, 'Codegen')?.value) : undefined) ??
      (query.tag ? QUERY_TAGS[query.tag] : undefined);
    if (codegen === undefined) {
      fail('A pure string query requires a codegen argument as well: add Codegen to the sample or to General.');
      continue;
    }
    const selection = selectionOf(query, options);
    if (!selection.ok) {
      fail(selection.message);
      continue;
    }
    const request = transformRequestBody({
      title,
      ...input,
      selection: selection.selection,
      codegen,
      resultFormat: RESULT_FORMATS[outputFormat],
      clientVersion: options.clientVersion,
    });
    const strings = [title, input.did ?? '', ...(input.fileList ?? []), selection.selection, codegen];
    if (strings.some(hasLoneSurrogate)) {
      fail('The sample holds a lone surrogate (an unpaired \\ud800–\\udfff escape), which the client cannot encode.');
      continue;
    }
    if (strings.some(dependsOnPythonUnicode))
      notes.push(
        'This sample holds characters added to Unicode after version 14. Python escapes them or not depending on its version, so the query text and hash the client computes depend on the Python it runs on; a notebook on another Python version may not share this cache entry.',
      );
    const ignoreLocalCache = ignoreAll || isTrue(entry(sample, 'IgnoreLocalCache')?.value);
    built.push({ name, request, hash: requestHash(request), ignoreLocalCache, notes });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, samples: built, delivery };
}

/** A scalar's string value as Python constructs it, or undefined for anything else. */
function scalarText(node: SpecNode | undefined): string | undefined {
  return node && isString(node) ? String(node.value) : undefined;
}

function isTrue(node: SpecNode | undefined): boolean {
  if (!node || node.kind !== 'scalar') return false;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value === 'number') return node.value === 1;
  return (
    typeof node.value === 'string' && ['1', 'on', 't', 'true', 'y', 'yes'].includes(node.value.trim().toLowerCase())
  );
}

/** NFiles as Python's int of the YAML value; undefined when absent or null. */
function nFilesOf(sample: MapNode): bigint | undefined {
  const node = entry(sample, 'NFiles')?.value;
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  // The text, not the parsed number, keeps every digit of a large int, as Python's int does.
  if (/^\s*[+-]?\d+\s*$/.test(node.text)) return BigInt(node.text.trim());
  if (typeof node.value === 'number') return BigInt(node.value);
  return undefined;
}

/**
 * The client sets NFiles on the dataset object itself, and YAML aliases share one object: samples that reach the same
 * `Dataset` node all end up with the NFiles of the last of them that sets one.
 */
function lastNFilesPerDataset(samples: readonly MapNode[]): Map<SpecNode, { nFiles: bigint; sample: string }> {
  const last = new Map<SpecNode, { nFiles: bigint; sample: string }>();
  for (const sample of samples) {
    const dataset = entry(sample, 'Dataset')?.value;
    const nFiles = nFilesOf(sample);
    if (dataset && nFiles !== undefined)
      last.set(canonical(dataset), { nFiles, sample: scalarText(entry(sample, 'Name')?.value) ?? '' });
  }
  return last;
}

type Input = { did?: string; fileList?: string[] } | { message: string };

function datasetOf(
  sample: MapNode,
  shared: ReadonlyMap<SpecNode, { nFiles: bigint; sample: string }>,
  notes: string[],
): Input {
  const found = sample.entries.find((e) => (DATASET_KEYS as readonly string[]).includes(keyName(e.key) ?? ''));
  if (!found) return { message: 'Must specify one of Dataset, XRootDFiles, or RucioDID.' };
  const key = keyName(found.key);
  const value = found.value;
  const own = nFilesOf(sample);
  const withFiles = (did: string, nFiles: bigint | undefined) =>
    ({ did: nFiles === undefined ? did : `${did}?files=${nFiles}` }) as const;
  const strings = (nodes: readonly SpecNode[]) => nodes.map((n) => scalarText(n) ?? '');
  if (key === 'RucioDID') return withFiles(`rucio://${scalarText(value) ?? ''}`, own);
  if (key === 'XRootDFiles')
    return { fileList: value.kind === 'seq' ? strings(value.items) : [scalarText(value) ?? ''] };
  if (value.tag === '!FileList' && value.kind === 'seq') return { fileList: strings(value.items) };
  const applied = shared.get(canonical(value));
  if (applied && applied.nFiles !== own)
    notes.push(
      `NFiles ${applied.nFiles} applies here too: this sample shares its Dataset with "${applied.sample}" through a YAML alias, and the client sets NFiles on the shared dataset.`,
    );
  const text = value.kind === 'scalar' ? String(value.text) : '';
  switch (value.tag) {
    case '!Rucio':
      return withFiles(`rucio://${text}`, applied?.nFiles);
    case '!XRootD':
      return withFiles(`xrootd://${text}`, applied?.nFiles);
    case '!CERNOpenData':
      return withFiles(`cernopendata://${BigInt(text.trim().replace(/_/g, ''))}`, applied?.nFiles);
    default:
      return { message: `Dataset ${value.tag ?? ''} is not a dataset the client can read from YAML.` };
  }
}

function selectionOf(query: SpecNode, options: RequestOptions): Selection {
  if (query.kind !== 'scalar') return { ok: false, message: 'Query must be a tagged query text or a string.' };
  switch (query.tag) {
    case undefined:
    case 'tag:yaml.org,2002:str':
      return { ok: true, selection: String(query.value) };
    case '!FuncADL_Uproot':
      return funcAdlUprootSelection(query.text);
    case '!UprootRaw':
      return uprootRawSelection(query.text);
    case '!PythonFunction':
      return pythonFunctionSelection(query.text);
    case '!TopCP':
      return topCpSelection(query.text, options.readTopCpFile ?? (() => undefined));
    default:
      return { ok: false, message: `${query.tag} queries cannot be read from a YAML spec by the client.` };
  }
}
