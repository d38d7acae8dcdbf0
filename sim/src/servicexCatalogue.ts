import { existsSync } from 'node:fs';
// The simulated ServiceX's world: which DIDs exist, which input files they hold, and which of those files fail.
// The outcomes are chosen by the dataset name, so a test picks a scenario by what it submits and no state needs
// restoring afterwards.
import { join } from 'node:path';

/** One input file of a dataset: the replica path the DID finder reports and the test file behind it. */
export interface InputFile {
  readonly path: string;
  /** The ROOT file under the test data folder that stands for this input. */
  readonly source: string;
  /** True when the transformer fails on this file. */
  readonly fails: boolean;
  /** Overrides the object name the transformer writes (the malicious-name scenario). */
  readonly objectName?: string;
  readonly events: number;
}

/** The ROOT files of scikit-hep-testdata the simulator serves in place (never copied). */
export const ROOT_TESTDATA =
  [
    process.env.COFFEA_CASA_ROOT_TESTDATA,
    process.env.COFFEA_CASA_TESTDATA && join(process.env.COFFEA_CASA_TESTDATA, 'root'),
    join(__dirname, '..', '..', '..', '..', 'shared', 'testdata', 'root'),
    '/work/shared/testdata/root',
  ].find((dir): dir is string => Boolean(dir) && existsSync(dir as string)) ??
  join(__dirname, '..', '..', '..', '..', 'shared', 'testdata', 'root');

/** The DID schemes the chart enables (servicex-facts.md §1.5 `VALID_DID_SCHEMES`). */
export const DID_SCHEMES = ['rucio', 'cernopendata', 'xrootd'];

const REPLICA = 'root://sim-eos.cern.ch//eos/opendata/sim/';

function inputs(names: string[], failing: string[] = [], objectNames: string[] = []): InputFile[] {
  return names.map((source, i) => ({
    path: `${REPLICA}${source}`,
    source,
    fails: failing.includes(source),
    objectName: objectNames[i],
    events: 2421 + 1000 * i,
  }));
}

/**
 * The Rucio datasets the simulated DID finder knows. Any other well-formed Rucio DID does not exist, which on a
 * current server ends in `Bad Dataset` with lookup status `does_not_exist` (servicex-facts.md §1.6, §1.8).
 */
const DATASETS: Record<string, InputFile[]> = {
  // Four copies of the same HZZ sample with different compression: a plain successful transform.
  'sim:hzz': inputs(['uproot-HZZ.root', 'uproot-HZZ-lz4.root', 'uproot-HZZ-lzma.root', 'uproot-HZZ-zstd.root']),
  'sim:zmumu': inputs(['uproot-Zmumu.root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root']),
  // Every file fails: the transform ends Fatal.
  'sim:broken': inputs(['uproot-HZZ.root', 'uproot-Zmumu.root'], ['uproot-HZZ.root', 'uproot-Zmumu.root']),
  // One file of three fails: Complete with files-failed 1, which the Python client reports as incomplete.
  'sim:partly-broken': inputs(['uproot-HZZ.root', 'uproot-Zmumu.root', 'uproot-HZZ-lz4.root'], ['uproot-Zmumu.root']),
  // A hostile or buggy object store: names that would escape the download folder if joined blindly.
  'sim:malicious': inputs(['uproot-HZZ.root', 'uproot-Zmumu.root'], [], ['../../.bashrc', '/tmp/sim-escape.root']),
};

/** What the DID finder makes of a DID: its files, or why the lookup fails. */
export type Lookup =
  { readonly kind: 'found'; readonly files: InputFile[] } | { readonly kind: 'does_not_exist' | 'bad_name' };

/** Parsed `did` of a submit body: scheme, dataset and the `files=` limit (servicex-facts.md §1.5). */
export interface Did {
  readonly scheme: string;
  readonly dataset: string;
  readonly limit?: number;
}

/** Splits a DID; a DID without `scheme://` gets the default scheme, rucio (servicex-facts.md §1.5). */
export function parseDid(did: string): Did | string {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^?]*)(?:\?(.*))?$/i.exec(did);
  if (!match) return 'The json request was malformed: did';
  const scheme = match[1] ?? 'rucio';
  if (!DID_SCHEMES.includes(scheme)) return `DID scheme is not supported: ${scheme}`;
  let limit: number | undefined;
  for (const pair of (match[3] ?? '').split('&').filter(Boolean)) {
    const [key, value] = pair.split('=');
    if (key === 'files') limit = Number.parseInt(value ?? '', 10);
  }
  return { scheme, dataset: match[2], limit: limit !== undefined && limit > 0 ? limit : undefined };
}

/** The DID finder's answer for a parsed DID. */
export function lookUp(did: Did): Lookup {
  // servicex-facts.md §12 item 9: Rucio DIDs need a scope.
  if (did.scheme === 'rucio' && !did.dataset.includes(':')) return { kind: 'bad_name' };
  const files = did.scheme === 'rucio' ? DATASETS[did.dataset] : undefined;
  if (!files) return { kind: 'does_not_exist' };
  return { kind: 'found', files: did.limit ? files.slice(0, did.limit) : files };
}

/** A `file-list` submission: each URL is an input; its base name must be one of the test files to succeed. */
export function fileListInputs(urls: string[]): InputFile[] {
  return urls.map((path, i) => {
    const source = path.split('/').pop() ?? '';
    return { path, source, fails: !/\.root$/.test(source) || source.includes('broken'), events: 1000 + i };
  });
}

/** How the transformer names the object it writes for an input (its path flattened; [I] from observed buckets). */
export function objectNameFor(input: InputFile, resultFormat: string): string {
  if (input.objectName) return input.objectName;
  const flat = input.path.replace(/[:/]/g, '_');
  return resultFormat === 'parquet' ? `${flat}.parquet` : flat;
}
