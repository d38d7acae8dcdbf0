import { translateUprootQuery } from '../../../server/src/language/funcadl';
import { parseJson, type JsonValue } from '../../../server/src/language/spec/json';
import { dedentPython } from '../../../server/src/language/spec/python';
import { isPythonBoolText } from '../../../server/src/language/spec/rules/context';
import { pythonJsonDumps, type OrderedJson } from './pythonJson';
import { hasLoneSurrogate } from './pythonRepr';

// The `selection` string of each query class, as its `generate_selection_string` builds it (servicex-facts.md §3.6).
// Nothing here runs the query: func_adl goes through our own translator, Python source is only re-indented.

/** A selection, or why the client could not build it. */
export type Selection =
  { readonly ok: true; readonly selection: string } | { readonly ok: false; readonly message: string };

const ok = (selection: string): Selection => ({ ok: true, selection });
const fail = (message: string): Selection => ({ ok: false, message });

/** `!FuncADL_Uproot`: the qastle of the client's glue around the first line (§3.7). */
export function funcAdlUprootSelection(text: string): Selection {
  const result = translateUprootQuery(text);
  return result.ok ? ok(result.qastle) : fail(`The func_adl query does not translate: ${result.problem.message}`);
}

/** `!PythonFunction`: base64 of the UTF-8 of `textwrap.dedent(source)`. */
export function pythonFunctionSelection(text: string): Selection {
  return ok(Buffer.from(dedentPython(text).value, 'utf8').toString('base64'));
}

// Field order of the client's sub-query models; `model_dump_json` writes every field, None ones as null.
type FieldType = 'string' | 'strings' | 'treename' | 'stringMap' | 'bool';
const TREE_FIELDS: readonly (readonly [string, FieldType])[] = [
  ['treename', 'treename'],
  ['expressions', 'strings'],
  ['cut', 'string'],
  ['filter_name', 'strings'],
  ['filter_typename', 'strings'],
  ['aliases', 'stringMap'],
  ['fail_on_missing_trees', 'bool'],
  ['use_standard_awkward_axis', 'bool'],
];
const HISTOGRAM_FIELDS: readonly (readonly [string, FieldType])[] = [['copy_histograms', 'strings']];
const TRUE_TEXTS = ['1', 'on', 't', 'true', 'y', 'yes'];

/**
 * `!UprootRaw`: `json.loads` of the text, each object validated as a tree or a histogram sub-query (unknown keys
 * dropped, every model field written, None as null), then `json.dumps` of the list.
 */
export function uprootRawSelection(text: string): Selection {
  const parsed = parseJson(text);
  if ('error' in parsed) return fail(`The !UprootRaw query is not valid JSON: ${parsed.error.message}`);
  const top = parsed.value;
  if (holdsLoneSurrogate(top))
    return fail('The !UprootRaw query holds an unpaired \\ud800–\\udfff escape, which the client cannot serialise.');
  const items = top.kind === 'array' ? top.items : [top];
  const dumped: OrderedJson[] = [];
  for (const item of items) {
    if (item.kind !== 'object') return fail('Each !UprootRaw sub-query must be a JSON object.');
    // Python's json.loads keeps the last value of a repeated key, at the place of the first.
    const fields = new Map(item.members.map((m) => [m.key, m.value]));
    const tree = convertModel(fields, TREE_FIELDS);
    const model = tree ?? convertModel(fields, HISTOGRAM_FIELDS);
    if (!model)
      return fail('An !UprootRaw sub-query needs "treename" (a string, list or mapping) or "copy_histograms".');
    dumped.push(model);
  }
  return ok(pythonJsonDumps(dumped));
}

function holdsLoneSurrogate(value: JsonValue): boolean {
  if (value.kind === 'string') return hasLoneSurrogate(value.value);
  if (value.kind === 'array') return value.items.some(holdsLoneSurrogate);
  if (value.kind === 'object') return value.members.some((m) => hasLoneSurrogate(m.key) || holdsLoneSurrogate(m.value));
  return false;
}

function convertModel(
  fields: ReadonlyMap<string, JsonValue>,
  model: readonly (readonly [string, FieldType])[],
): OrderedJson | undefined {
  const entries: [string, OrderedJson][] = [];
  for (const [name, type] of model) {
    const value = fields.get(name);
    const required = name === model[0][0];
    if (value === undefined || value.kind === 'null') {
      if (required) return undefined;
      entries.push([name, null]);
      continue;
    }
    const converted = convertField(value, type);
    if (converted === undefined) return undefined;
    entries.push([name, converted]);
  }
  return { entries };
}

function convertField(value: JsonValue, type: FieldType): OrderedJson | undefined {
  const strings = (v: JsonValue) =>
    v.kind === 'array' && v.items.every((i) => i.kind === 'string')
      ? v.items.map((i) => (i.kind === 'string' ? i.value : ''))
      : undefined;
  const stringMap = (v: JsonValue) => {
    if (v.kind !== 'object' || !v.members.every((m) => m.value.kind === 'string')) return undefined;
    const map = new Map<string, OrderedJson>();
    for (const m of v.members) if (m.value.kind === 'string') map.set(m.key, m.value.value);
    return { entries: [...map] };
  };
  const string = value.kind === 'string' ? value.value : undefined;
  switch (type) {
    case 'string':
      return string;
    case 'strings':
      return string ?? strings(value);
    case 'treename':
      return stringMap(value) ?? strings(value) ?? string;
    case 'stringMap':
      return stringMap(value);
    case 'bool':
      // pydantic's lax bool: true/false, the numbers 0 and 1, and its words for yes and no.
      if (value.kind === 'boolean') return value.value;
      if (value.kind === 'number' && (value.value === 0 || value.value === 1)) return value.value === 1;
      if (string !== undefined && isPythonBoolText(string)) return TRUE_TEXTS.includes(string.trim().toLowerCase());
      return undefined;
  }
}

/** The `key=value` pairs of a `!TopCP` scalar, read with the client's regular expression; the last of a key wins. */
export function topCpOptions(text: string): Map<string, string> {
  const options = new Map<string, string>();
  // JavaScript's `$` does not match before a final newline as Python's does, hence the lookahead.
  for (const match of text.matchAll(/(\w+)="?(.*?)"?(?:,|(?=\n?$))/g)) options.set(match[1], match[2]);
  return options;
}

/**
 * `!TopCP`: the referenced TopCP YAML files read as text (universal newlines), with the numbers and flags, as
 * `json.dumps` writes the dict. `read` resolves a path as the client would (relative to its working folder).
 */
export function topCpSelection(text: string, read: (path: string) => string | undefined): Selection {
  const options = topCpOptions(text);
  const files: [string, OrderedJson][] = [];
  for (const key of ['reco', 'parton', 'particle']) {
    const path = options.get(key);
    if (!path) {
      files.push([key, null]);
      continue;
    }
    const content = read(path);
    if (content === undefined) return fail(`The TopCP file ${key}=${path} cannot be read.`);
    files.push([key, content.replace(/\r\n?/g, '\n')]);
  }
  if (files.every(([, v]) => v === null)) return fail('No yaml provided!');
  const maxEvents = options.get('max_events')?.trim() ?? '-1';
  if (!/^[+-]?\d+$/.test(maxEvents) || !Number.isSafeInteger(Number(maxEvents)))
    return fail(`max_events must be a whole number, not "${maxEvents}".`);
  const flag = (key: string, fallback: boolean): boolean | undefined => {
    const value = options.get(key);
    if (value === undefined) return fallback;
    return isPythonBoolText(value) ? TRUE_TEXTS.includes(value.trim().toLowerCase()) : undefined;
  };
  const noSystematics = flag('no_systematics', true);
  const noFilter = flag('no_filter', false);
  if (noSystematics === undefined || noFilter === undefined)
    return fail('no_systematics and no_filter take true or false.');
  const image = options.get('image');
  return ok(
    pythonJsonDumps({
      entries: [
        ...files,
        ['max_events', Number(maxEvents)],
        ['no_systematics', noSystematics],
        ['no_filter', noFilter],
        ...(image !== undefined ? [['image', image] as [string, OrderedJson]] : []),
      ],
    }),
  );
}
