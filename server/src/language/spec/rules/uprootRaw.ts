import type { Severity } from '../../problems';
import { parseJson, type JsonValue } from '../json';
import type { ScalarNode } from '../nodes';
import { suggestion } from '../schema';
import type { CheckContext } from './context';

// The sub-query models of the client (servicex-facts.md §6): a tree query or a histogram copy.
type FieldType = 'string' | 'strings' | 'treename' | 'stringMap' | 'bool';
const TREE_FIELDS: Readonly<Record<string, FieldType>> = {
  treename: 'treename',
  expressions: 'strings',
  cut: 'string',
  filter_name: 'strings',
  filter_typename: 'strings',
  aliases: 'stringMap',
  fail_on_missing_trees: 'bool',
  use_standard_awkward_axis: 'bool',
};
const HISTOGRAM_FIELDS: Readonly<Record<string, FieldType>> = { copy_histograms: 'strings' };
const ALL_FIELDS = [...Object.keys(TREE_FIELDS), ...Object.keys(HISTOGRAM_FIELDS)];
const EXPECTED: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  strings: 'a string or a list of strings',
  treename: 'a tree name, a list of them, or a mapping {"input": "output"}',
  stringMap: 'a mapping of names to expressions (strings)',
  bool: 'true or false',
};

/** Checks an `!UprootRaw` scalar: JSON syntax, then the sub-query fields; returns the client's selection string. */
export function checkUprootRaw(node: ScalarNode, context: CheckContext): string {
  const report = (at: { start: number; end: number }, code: string, severity: Severity, message: string) =>
    context.reporter.inScalar(node, at.start, at.end, `spec/uproot-raw-${code}`, severity, message);
  if (node.text.trim() === '') {
    report(
      { start: 0, end: 0 },
      'json',
      'error',
      'The !UprootRaw query is empty: write a JSON list such as [{"treename": "nominal"}].',
    );
    return '';
  }
  const parsed = parseJson(node.text);
  if ('error' in parsed) {
    report(parsed.error, 'json', 'error', `!UprootRaw is not valid JSON: ${parsed.error.message}`);
    return node.text;
  }
  const top = parsed.value;
  const items = top.kind === 'array' ? top.items : [top];
  if (top.kind === 'array' && items.length === 0) {
    report(
      top,
      'empty',
      'warning',
      'The query list is empty: ServiceX would have nothing to read. Add a {"treename": ...} object.',
    );
  }
  const canonical: unknown[] = [];
  for (const item of items) {
    if (item.kind !== 'object') {
      const what = top.kind === 'array' ? 'Each item of the !UprootRaw list' : 'An !UprootRaw query';
      report(item, 'type', 'error', `${what} must be a JSON object such as {"treename": "nominal"}.`);
      continue;
    }
    const fields = new Map(item.members.map((m) => [m.key, m]));
    const isTree = fields.has('treename') || !fields.has('copy_histograms');
    const model = isTree ? TREE_FIELDS : HISTOGRAM_FIELDS;
    const kept: Record<string, unknown> = {};
    for (const member of fields.values()) {
      const type = model[member.key];
      if (type) {
        if (isOptionalNull(member.key, member.value)) continue;
        if (checkType(member.value, type)) kept[member.key] = plain(member.value);
        else report(member.value, 'type', 'error', `"${member.key}" must be ${EXPECTED[type]}.`);
      } else if (ALL_FIELDS.includes(member.key)) {
        const why = isTree
          ? `a sub-query with "treename" reads trees only; copy histograms in a separate {"copy_histograms": ...} object`
          : `a {"copy_histograms": ...} sub-query copies objects only; add "treename" to read a tree`;
        report(member.keyRange, 'ignored-field', 'warning', `"${member.key}" is ignored here: ${why}.`);
      } else {
        const message = `Unknown field "${member.key}": the client drops it without a word.${suggestion(member.key, ALL_FIELDS, (s) => `"${s}"`)}`;
        report(member.keyRange, 'unknown-field', 'warning', message);
      }
    }
    const target = fields.get(isTree ? 'treename' : 'copy_histograms');
    if (!target || (checkType(target.value, model[target.key]) && isEmpty(target.value))) {
      const message = `This sub-query names no tree: add "treename" (or "copy_histograms" to copy objects). ServiceX rejects it with "At least one tree or histogram must be specified".`;
      report(target ? target.value : item, 'no-tree', 'error', message);
    }
    if (!isTree && context.outputFormat === 'parquet' && target) {
      const message =
        'Histograms can only be copied into ROOT output: set General.OutputFormat to root-ttree, or remove "copy_histograms".';
      report(target.keyRange, 'histograms-parquet', 'error', message);
    }
    canonical.push(Object.fromEntries(Object.keys(model).map((k) => [k, kept[k] ?? null])));
  }
  return JSON.stringify(canonical);
}

function checkType(value: JsonValue, type: FieldType): boolean {
  const isStringList = (v: JsonValue) => v.kind === 'array' && v.items.every((i) => i.kind === 'string');
  switch (type) {
    case 'string':
      return value.kind === 'string';
    case 'strings':
      return value.kind === 'string' || isStringList(value);
    case 'treename':
      return value.kind === 'string' || isStringList(value) || isStringMap(value);
    case 'stringMap':
      return isStringMap(value);
    case 'bool':
      return value.kind === 'boolean' || (value.kind === 'number' && (value.value === 0 || value.value === 1));
  }
}

// Every field but the tree name and the histogram list is optional, so an explicit null is accepted.
const isOptionalNull = (key: string, value: JsonValue) =>
  value.kind === 'null' && key !== 'treename' && key !== 'copy_histograms';

const isStringMap = (v: JsonValue) => v.kind === 'object' && v.members.every((m) => m.value.kind === 'string');

function isEmpty(value: JsonValue): boolean {
  if (value.kind === 'string') return value.value.trim() === '';
  if (value.kind === 'array') return value.items.length === 0;
  return value.kind === 'object' && value.members.length === 0;
}

function plain(value: JsonValue): unknown {
  switch (value.kind) {
    case 'object':
      return Object.fromEntries(value.members.map((m) => [m.key, plain(m.value)]));
    case 'array':
      return value.items.map(plain);
    case 'null':
      return null;
    default:
      return value.value;
  }
}
