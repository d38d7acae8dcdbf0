import type { TextProblem } from '../problems';

/** What the func_adl engine says about one `!FuncADL_Uproot` query text. */
export interface QueryAnalysis {
  /** Problems located by offsets into the query text given. */
  readonly problems: TextProblem[];
  /** The qastle the Python client would send, when the query translates. */
  readonly qastle?: string;
}

/**
 * Analyses the text of a `!FuncADL_Uproot` scalar as the Python client reads it (servicex-facts.md §3.7).
 * Placeholder until the func_adl engine lands: it reports nothing.
 */
export function analyzeUprootQuery(_text: string): QueryAnalysis {
  return { problems: [] };
}
