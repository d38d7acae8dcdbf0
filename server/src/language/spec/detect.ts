// The same rule as the client's `client/src/language/specDetection.ts`, kept separate so the server does not depend
// on client code; change both together.

const SPEC_TOP_LEVEL = /^(?:Sample|General|Definition)\s*:/m;
const SERVICEX_TAG = /!(?:Rucio|FileList|CERNOpenData|XRootD|FuncADL_Uproot|UprootRaw|PythonFunction|TopCP)\b/;

/** Whether a YAML text is a ServiceX spec: a top-level Sample, General or Definition key, or a ServiceX tag. */
export function looksLikeServiceXSpec(text: string): boolean {
  return SPEC_TOP_LEVEL.test(text) || SERVICEX_TAG.test(text);
}
