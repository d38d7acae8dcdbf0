// What the Python client accepts in a spec (servicex-facts.md §3.2–3.6), as data the rules read.

/** Keys of the spec's top level (ServiceXSpec). */
export const TOP_LEVEL_KEYS = ['General', 'Sample', 'Definition'] as const;

/** Keys of `General`. */
export const GENERAL_KEYS = [
  'Codegen',
  'OutputFormat',
  'Delivery',
  'OutputDirectory',
  'OutFilesetName',
  'IgnoreLocalCache',
] as const;

/** Keys of one `Sample` item. */
export const SAMPLE_KEYS = [
  'Name',
  'Dataset',
  'NFiles',
  'Query',
  'IgnoreLocalCache',
  'Codegen',
  'RucioDID',
  'XRootDFiles',
] as const;

/** The keys that name a sample's input; exactly one must be present. */
export const DATASET_KEYS = ['Dataset', 'RucioDID', 'XRootDFiles'] as const;

/** `General.OutputFormat` values. */
export const OUTPUT_FORMATS = ['parquet', 'root-ttree', 'root-rntuple'] as const;

/** `General.Delivery` values. */
export const DELIVERY_MODES = ['LocalCache', 'URLs'] as const;

/** Tags whose value names a dataset (the `Dataset:` key). */
export const DATASET_TAGS = ['!Rucio', '!FileList', '!CERNOpenData', '!XRootD'] as const;

/** Tags of query classes with their default code generator. */
export const QUERY_TAGS: Readonly<Record<string, string>> = {
  '!FuncADL_Uproot': 'uproot',
  '!UprootRaw': 'uproot-raw',
  '!PythonFunction': 'python',
  '!TopCP': 'topcp',
  '!FuncADL_ATLASr21': 'atlasr21',
  '!FuncADL_ATLASr22': 'atlasr22',
  '!FuncADL_ATLASxAOD': 'atlasxaod',
  '!FuncADL_CMS': 'cms',
};

/** Query tags the client registers but cannot read from YAML text: their classes have no string reader. */
export const PYTHON_ONLY_QUERY_TAGS = ['!FuncADL_ATLASr21', '!FuncADL_ATLASr22', '!FuncADL_ATLASxAOD', '!FuncADL_CMS'];

/** The loader's own extensions. */
export const LOADER_TAGS = ['!include', '!exclude'] as const;

/** Every tag a spec may use. */
export const KNOWN_TAGS: readonly string[] = [...DATASET_TAGS, ...Object.keys(QUERY_TAGS), ...LOADER_TAGS];

/**
 * Code generators known without a connection: the client's query classes and the ServiceX chart's defaults (§1.3).
 * A facility may offer others, so an unknown name is only a warning until the facility's list is known.
 */
export const KNOWN_CODEGENS = [
  'uproot',
  'uproot-raw',
  'python',
  'topcp',
  'atlasr21',
  'atlasr22',
  'atlasxaod',
  'cms',
  'cmssw-5-3-32',
] as const;

/** The title length the client truncates to when the server does not advertise `long_sample_titles_N`. */
export const DEFAULT_TITLE_LIMIT = 128;

/** Misspellings close in meaning but not in letters, mapped to what was meant. */
export const KNOWN_MISTAKES: Readonly<Record<string, string>> = {
  Definitions: 'Definition',
  Samples: 'Sample',
  'root-file': 'root-ttree',
  root: 'root-ttree',
  ttree: 'root-ttree',
  rntuple: 'root-rntuple',
  URL: 'URLs',
  Url: 'URLs',
  Cache: 'LocalCache',
  '!Python': '!PythonFunction',
  '!FuncADL': '!FuncADL_Uproot',
  '!Uproot': '!FuncADL_Uproot',
  '!XRootDFiles': '!FileList',
  '!CERN': '!CERNOpenData',
  '!OpenData': '!CERNOpenData',
};

/** The closest known word to `word`, if one is close enough to be what the user meant. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const known = KNOWN_MISTAKES[word];
  if (known && candidates.includes(known)) return known;
  const lower = word.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.min(word.length, best?.length ?? 0) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/** " Did you mean X?" when a suggestion exists, otherwise an empty string, for appending to a message. */
export function suggestion(word: string, candidates: readonly string[], quote = (s: string) => s): string {
  const match = didYouMean(word, candidates);
  return match ? ` Did you mean ${quote(match)}?` : '';
}
