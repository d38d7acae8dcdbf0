/** Language ids the ServiceX language server always handles. */
export const QUERY_LANGUAGES = ['funcadl', 'qastle'] as const;

const SPEC_TOP_LEVEL = /^(?:Sample|General|Definition)\s*:/m;
const SERVICEX_TAG = /!(?:Rucio|FileList|CERNOpenData|XRootD|FuncADL_Uproot|UprootRaw|PythonFunction|TopCP)\b/;

/**
 * ServiceX specs are ordinary YAML files with any name, so they are recognised by content: a top-level `Sample`,
 * `General` or `Definition` key, or a ServiceX tag (servicex-facts.md §3.2, §3.5, §3.6).
 */
export function looksLikeServiceXSpec(text: string): boolean {
  return SPEC_TOP_LEVEL.test(text) || SERVICEX_TAG.test(text);
}

/** Whether a document of this language and text should start the language server. */
export function isQueryDocument(languageId: string, text: () => string): boolean {
  if ((QUERY_LANGUAGES as readonly string[]).includes(languageId)) return true;
  return languageId === 'yaml' && looksLikeServiceXSpec(text());
}
