import { checkPythonSource, dedentPython } from '../python';
import type { ScalarNode, SpecNode } from '../nodes';
import { canonical, isNull, isString, siteOf, tagSiteOf } from '../nodes';
import { DATASET_TAGS, PYTHON_ONLY_QUERY_TAGS, QUERY_TAGS } from '../schema';
import { checkTagCodegen } from './codegen';
import type { CheckContext } from './context';
import { checkTopCP } from './topcp';
import { checkUprootRaw } from './uprootRaw';

const QUERY_TAG_LIST = '!FuncADL_Uproot, !UprootRaw, !PythonFunction or !TopCP';

/** Checks a query tag's text (§3.6) wherever the tagged node is, and records the selection it produces. */
export function checkQueryTag(node: SpecNode, context: CheckContext): void {
  const tag = node.tag ?? '';
  if (PYTHON_ONLY_QUERY_TAGS.includes(tag)) {
    const message = `${tag} queries cannot be written in a YAML spec: the client has no YAML reader for this query class. Build the query in Python (func_adl_servicex_xaodr2x), or use ${QUERY_TAG_LIST}.`;
    context.reporter.at(node.tagLoc ?? node.loc, 'spec/unsupported-tag', 'error', message);
    return;
  }
  if (node.kind !== 'scalar' || node.value === null) {
    if (node.kind === 'invalid') return;
    const message = `${tag} takes the query as text, usually a block scalar: "${tag} |" followed by indented lines.`;
    context.reporter.at(siteOf(node), 'spec/tag-value', 'error', message);
    return;
  }
  context.selections.set(canonical(node), selectionOf(node, tag, context));
}

function selectionOf(node: ScalarNode, tag: string, context: CheckContext): string {
  switch (tag) {
    case '!FuncADL_Uproot': {
      const analysis = context.options.analyzeUprootQuery(node.text);
      for (const p of analysis.problems) context.reporter.inScalar(node, p.start, p.end, p.code, p.severity, p.message);
      return analysis.qastle ?? `func_adl:${node.text.trim()}`;
    }
    case '!UprootRaw':
      return checkUprootRaw(node, context);
    case '!PythonFunction':
      for (const f of checkPythonSource(node.text)) {
        context.reporter.inScalar(node, f.start, f.end, `spec/${f.rule}`, 'error', f.message);
      }
      return dedentPython(node.text).value;
    case '!TopCP':
      return checkTopCP(node, context);
    default:
      return node.text;
  }
}

/** What a sample's query contributes to the client's duplicate check, and its query class. */
export interface QueryUse {
  readonly tag?: string;
  readonly selection: string;
}

/** Checks the value of a sample's `Query` key; `hasCodegen` says whether Sample or General sets a Codegen. */
export function checkQueryValue(node: SpecNode, hasCodegen: boolean, context: CheckContext): QueryUse | undefined {
  if (node.kind === 'invalid' || isNull(node)) return undefined;
  const tag = node.tag;
  if (tag === undefined || tag === 'tag:yaml.org,2002:str') {
    if (!isString(node)) {
      const message = `Query must be a tagged query (${QUERY_TAG_LIST}) or a string with a Codegen.`;
      context.reporter.at(siteOf(node), 'spec/type', 'error', message);
      return undefined;
    }
    if (!hasCodegen) {
      const message = `A pure string query requires a Codegen: tag the query (${QUERY_TAG_LIST}) or add Codegen to the sample or to General.`;
      context.reporter.at(siteOf(node), 'spec/string-query-without-codegen', 'error', message);
    }
    return { selection: node.text };
  }
  if ((DATASET_TAGS as readonly string[]).includes(tag)) {
    const message = `${tag} is a dataset tag and belongs under Dataset; Query takes ${QUERY_TAG_LIST}.`;
    context.reporter.at(tagSiteOf(node), 'spec/wrong-tag', 'error', message);
    return undefined;
  }
  if (!(tag in QUERY_TAGS)) return undefined;
  if (!hasCodegen && !PYTHON_ONLY_QUERY_TAGS.includes(tag))
    checkTagCodegen(tag, QUERY_TAGS[tag], tagSiteOf(node), context);
  return { tag, selection: context.selections.get(canonical(node)) ?? '' };
}
