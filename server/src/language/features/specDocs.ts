// What completion and hover say about the parts of a ServiceX spec (servicex-facts.md §3), as data.

/** A key of the spec: what completion shows and inserts, and what hover explains. */
export interface KeyDoc {
  /** The value's type and default, shown next to the key. */
  readonly detail: string;
  readonly doc: string;
  /** What completion inserts, as a snippet. */
  readonly snippet: string;
  /** Whether the value is chosen from a list, so suggestions are reopened after the key is inserted. */
  readonly suggestValue?: boolean;
}

/** Keys of the top level. */
export const TOP_LEVEL_DOCS: Readonly<Record<string, KeyDoc>> = {
  General: {
    detail: 'mapping, optional',
    doc: 'Settings for every sample: `OutputFormat`, `Delivery`, `Codegen`, `OutputDirectory`, `OutFilesetName`, `IgnoreLocalCache`.',
    snippet: 'General:\n  $0',
  },
  Sample: {
    detail: 'list of samples, required',
    doc: 'The samples to deliver, one `- Name: …` item each with a `Dataset` and a `Query`. The key is singular: `Samples` is ignored by the client.',
    snippet: 'Sample:\n  - Name: ${1:name}\n    Dataset: $2\n    Query: $0',
  },
  Definition: {
    detail: 'list, optional',
    doc: 'A parking place for YAML anchors (`- &NAME value`) that samples reuse with `*NAME`. Its content is not used otherwise. The documentation spells it `Definitions`, which the client ignores (its anchors still work).',
    snippet: 'Definition:\n  - $0',
  },
};

/** Keys of `General`. */
export const GENERAL_DOCS: Readonly<Record<string, KeyDoc>> = {
  OutputFormat: {
    detail: 'parquet | root-ttree | root-rntuple (default root-ttree)',
    doc: 'The file format ServiceX writes. REST names differ: `root-ttree` is sent as `root-file`.',
    snippet: 'OutputFormat: ${1|parquet,root-ttree,root-rntuple|}',
  },
  Delivery: {
    detail: 'LocalCache | URLs (default LocalCache)',
    doc: '`LocalCache` downloads the results to the local cache and returns paths; `URLs` returns presigned URLs to read remotely.',
    snippet: 'Delivery: ${1|LocalCache,URLs|}',
  },
  Codegen: {
    detail: 'code generator name (default: from the query type)',
    doc: 'The code generator for every sample, unless a sample sets its own. Resolution order: `Sample.Codegen`, then `General.Codegen`, then the query type’s default.',
    snippet: 'Codegen: ',
    suggestValue: true,
  },
  OutputDirectory: {
    detail: 'path (default none)',
    doc: 'When set, the client writes `<OutputDirectory>/<OutFilesetName>.yaml`, mapping each sample name to its files or URLs.',
    snippet: 'OutputDirectory: ${1:output}',
  },
  OutFilesetName: {
    detail: 'string (default servicex_fileset)',
    doc: 'The name of the fileset file written into `OutputDirectory`.',
    snippet: 'OutFilesetName: ${1:servicex_fileset}',
  },
  IgnoreLocalCache: {
    detail: 'boolean (default false)',
    doc: 'Submit every sample again instead of reusing results in the local cache.',
    snippet: 'IgnoreLocalCache: ${1|true,false|}',
  },
};

/** Keys of one `Sample` item; the deprecated ones are documented for hover but not offered. */
export const SAMPLE_DOCS: Readonly<Record<string, KeyDoc>> = {
  Name: {
    detail: 'string, required',
    doc: 'The sample’s name: the transform title and the key of its files in the result. Limited to the server’s `long_sample_titles_N`, else truncated to 128 characters.',
    snippet: 'Name: ${1:name}',
  },
  Dataset: {
    detail: '!Rucio | !FileList | !CERNOpenData | !XRootD',
    doc: 'Where the input comes from, as a tagged value. Exactly one of `Dataset`, `RucioDID` and `XRootDFiles`.',
    snippet: 'Dataset: ',
    suggestValue: true,
  },
  Query: {
    detail: '!FuncADL_Uproot | !UprootRaw | !PythonFunction | !TopCP',
    doc: 'What to extract, as a tagged text (usually a `|` block). A plain string needs a `Codegen`.',
    snippet: 'Query: ',
    suggestValue: true,
  },
  NFiles: {
    detail: 'integer (default: all files)',
    doc: 'Reads only this many files of the dataset (sent as `?files=N`). Ignored for `!FileList`; 0 is an error.',
    snippet: 'NFiles: ${1:1}',
  },
  Codegen: {
    detail: 'code generator name (default: General.Codegen, then the query type’s)',
    doc: 'The code generator for this sample; overrides `General.Codegen` and the query type’s default.',
    snippet: 'Codegen: ',
    suggestValue: true,
  },
  IgnoreLocalCache: {
    detail: 'boolean (default false)',
    doc: 'Submit this sample again instead of reusing its result from the local cache.',
    snippet: 'IgnoreLocalCache: ${1|true,false|}',
  },
  RucioDID: {
    detail: 'string, deprecated',
    doc: '**Deprecated**: write `Dataset: !Rucio scope:name` instead.',
    snippet: 'RucioDID: ',
  },
  XRootDFiles: {
    detail: 'string or list, deprecated',
    doc: '**Deprecated**: write `Dataset: !FileList [...]` instead.',
    snippet: 'XRootDFiles: ',
  },
};

/** Keys that are still read but no longer offered. */
export const DEPRECATED_KEYS: readonly string[] = ['RucioDID', 'XRootDFiles'];

/** Values of the enumerated settings. */
export const VALUE_DOCS: Readonly<Record<string, string>> = {
  parquet:
    'Apache Parquet files (REST `result-format: parquet`). Several trees are concatenated with a `treename` column.',
  'root-ttree': 'ROOT files with TTrees (the default; REST `result-format: root-file`).',
  'root-rntuple': 'ROOT files with RNTuples (REST `result-format: root-rntuple`).',
  LocalCache: 'Download the results into the local cache and return local paths (the default).',
  URLs: 'Return presigned URLs of the results instead of downloading them.',
};

/** A tag with what completion inserts and what hover explains. */
export interface TagDoc {
  readonly detail: string;
  readonly doc: string;
  readonly snippet: string;
}

/** Tags of `Dataset:` values (§3.5). */
export const DATASET_TAG_DOCS: Readonly<Record<string, TagDoc>> = {
  '!Rucio': {
    detail: 'Rucio DID scope:name',
    doc: 'A Rucio dataset, sent as `rucio://scope:name`. The `scope:` part is required.',
    snippet: '!Rucio ${1:scope:name}',
  },
  '!FileList': {
    detail: 'list of file paths or URLs',
    doc: 'An explicit list of files, sent as `file-list`. `NFiles` is ignored; the order of files does not matter.',
    snippet: '!FileList [${1:root://host//path/file.root}]',
  },
  '!CERNOpenData': {
    detail: 'CERN Open Data record id',
    doc: 'A CERN Open Data record, by its integer id: sent as `cernopendata://179`.',
    snippet: '!CERNOpenData ${1:179}',
  },
  '!XRootD': {
    detail: 'XRootD file pattern',
    doc: 'Files matching an XRootD wildcard pattern, sent as `xrootd://root://host//path/*`.',
    snippet: '!XRootD ${1:root://host//path/*.root}',
  },
};

/** Tags of `Query:` values (§3.6) that can be written in YAML. */
export const QUERY_TAG_DOCS: Readonly<Record<string, TagDoc>> = {
  '!FuncADL_Uproot': {
    detail: 'func_adl query, codegen uproot',
    doc: "A func_adl query over a flat ROOT tree, translated to qastle by the client. Start it with `FromTree('tree').` and keep it on one line (or use a folded `>` block): the client drops everything after the first line break.",
    snippet: "!FuncADL_Uproot |\n  FromTree('${1:tree}').Select(lambda e: {${2}})",
  },
  '!UprootRaw': {
    detail: 'JSON sub-queries, codegen uproot-raw',
    doc: 'A JSON list of uproot sub-queries: `{"treename": …, "filter_name": …, "cut": …}` or `{"copy_histograms": …}`. Must be valid JSON (double quotes).',
    snippet: '!UprootRaw |\n  [{"treename": "${1:nominal}", "filter_name": [${2}]}]',
  },
  '!PythonFunction': {
    detail: 'Python source, codegen python',
    doc: 'Python source defining `run_query(input_filenames=None)` that returns awkward arrays. Sent base64-encoded; must be ASCII.',
    snippet: '!PythonFunction |\n  def run_query(input_filenames=None):\n      ${1:pass}',
  },
  '!TopCP': {
    detail: 'key=value options, codegen topcp',
    doc: 'TopCPToolkit options as `key=value` pairs: `reco`, `parton`, `particle` (configuration files), `max_events`, `no_systematics`, `no_filter`, `image`.',
    snippet: "!TopCP 'reco=${1:reco.yaml}'",
  },
};

/** Tags that hover explains but completion does not offer. */
export const OTHER_TAG_DOCS: Readonly<Record<string, string>> = {
  '!include':
    'Splices another YAML file in place, with its path relative to this file; its anchors are usable afterwards.',
  '!exclude': 'Drops the mapping entry or list item it marks when the spec is loaded.',
  '!FuncADL_ATLASr21': 'Registered by the client, but it cannot be read from YAML: build xAOD queries in Python.',
  '!FuncADL_ATLASr22': 'Registered by the client, but it cannot be read from YAML: build xAOD queries in Python.',
  '!FuncADL_ATLASxAOD': 'Registered by the client, but it cannot be read from YAML: build xAOD queries in Python.',
  '!FuncADL_CMS': 'Registered by the client, but it cannot be read from YAML: build CMS queries in Python.',
};

/** Code generators the client knows, with what each runs. */
export const CODEGEN_DOCS: Readonly<Record<string, string>> = {
  uproot: 'func_adl on flat ROOT trees (the default of `!FuncADL_Uproot`).',
  'uproot-raw': 'uproot sub-queries in JSON (the default of `!UprootRaw`).',
  python: 'A Python `run_query` function (the default of `!PythonFunction`).',
  topcp: 'TopCPToolkit (the default of `!TopCP`).',
  atlasr21: 'func_adl on ATLAS Release 21 xAOD.',
  atlasr22: 'func_adl on ATLAS Release 22 xAOD.',
  atlasxaod: 'func_adl on ATLAS xAOD.',
  cms: 'func_adl on CMS AOD.',
  'cmssw-5-3-32': 'func_adl on CMS Run 1 Open Data (CMSSW 5.3.32).',
};

/** The documented keys of the mapping at a YAML path: `[]` is the top level, `['Sample', '[]']` one sample. */
export function keysAt(path: readonly string[]): Readonly<Record<string, KeyDoc>> | undefined {
  const where = path.join('/');
  if (where === '') return TOP_LEVEL_DOCS;
  if (where === 'General') return GENERAL_DOCS;
  if (where === 'Sample/[]') return SAMPLE_DOCS;
  return undefined;
}
