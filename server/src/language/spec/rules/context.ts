import type { QueryAnalysis } from '../../funcadl';
import type { MapNode, ScalarNode, SpecNode } from '../nodes';
import { describe, isNull, keyName, siteOf } from '../nodes';
import type { Reporter } from '../report';
import type { SampleInfo } from './sample';
import { suggestion } from '../schema';

/** What the rules know beyond the file: the facility's code generators and title limit, and the query engine. */
export interface CheckOptions {
  /** Code generators offered by the connected ServiceX; undefined when not connected. */
  readonly codegens?: readonly string[];
  /** The server's `long_sample_titles_N`; undefined when unknown. */
  readonly maxTitleLength?: number;
  /** Reads a file for `!include` and for the files a `!TopCP` query names. */
  readonly readFile: (path: string) => string | undefined;
  /** The func_adl engine; injectable so tests can check how its problems are placed. */
  readonly analyzeUprootQuery: (text: string) => QueryAnalysis;
}

/** The state shared by the rules while one spec is checked. */
export interface CheckContext {
  readonly reporter: Reporter;
  readonly options: CheckOptions;
  /** The spec's own path, for the files `!TopCP` names. */
  readonly path: string | undefined;
  /** `General.OutputFormat` as written, when it is a string. */
  outputFormat?: string;
  /** What each query node's check found, so a query reached through several aliases is analysed once. */
  readonly selections: Map<SpecNode, string>;
  /** When set, receives every checked sample (the incremental checker reuses them across edits). */
  readonly samples?: SampleInfo[];
}

/** Warns about keys the Python client's model does not have (pydantic ignores them silently). */
export function checkKeys(map: MapNode, known: readonly string[], where: string, context: CheckContext): void {
  for (const { key } of map.entries) {
    const name = keyName(key);
    if (name === undefined || known.includes(name)) continue;
    const hint = suggestion(name, known);
    const message = `${where} has no key "${name}": the ServiceX client ignores it silently.${hint}`;
    context.reporter.at(siteOf(key), 'spec/unknown-key', 'warning', message, ['unnecessary']);
  }
}

/** Reports a value of the wrong type; `expected` completes "... must be ...". */
export function wrongType(node: SpecNode, what: string, expected: string, context: CheckContext, extra = ''): void {
  if (node.kind === 'invalid') return;
  const message = `${what} must be ${expected}, not ${describe(node)}.${extra}`;
  context.reporter.at(siteOf(node), 'spec/type', 'error', message);
}

/** Checks that a value is a YAML string (Python `str`), as pydantic requires for `str` fields. */
export function expectString(node: SpecNode, what: string, context: CheckContext, optional = true): node is ScalarNode {
  if (node.kind === 'scalar' && typeof node.value === 'string' && node.tag === undefined) return true;
  if (node.kind === 'scalar' && node.tag === 'tag:yaml.org,2002:str') return true;
  if (optional && isNull(node)) return false;
  const quote =
    node.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'boolean')
      ? ` Quote it: '${node.text}'.`
      : '';
  wrongType(node, what, 'a string', context, quote);
  return false;
}

const PYTHON_BOOLEANS = ['0', 'off', 'f', 'false', 'n', 'no', '1', 'on', 't', 'true', 'y', 'yes'];

/** Whether pydantic's lax `bool` accepts a text value (it takes true/false, yes/no, on/off, 1/0 and t/f, y/n). */
export function isPythonBoolText(text: string): boolean {
  return PYTHON_BOOLEANS.includes(text.trim().toLowerCase());
}

/** Checks a pydantic `bool` field. */
export function expectBool(node: SpecNode, what: string, context: CheckContext): void {
  if (node.kind !== 'scalar' || node.tag !== undefined) return wrongType(node, what, 'true or false', context);
  if (typeof node.value === 'boolean' || node.value === 0 || node.value === 1) return;
  if (typeof node.value === 'string' && isPythonBoolText(node.value)) return;
  wrongType(node, what, 'true or false', context);
}
