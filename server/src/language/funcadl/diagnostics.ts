import type { TextProblem } from '../problems';
import { problemOf, translateDetailed } from './translate';

/** What the func_adl engine says about one `!FuncADL_Uproot` query text. */
export interface QueryAnalysis {
  /** Problems located by offsets into the query text given. */
  readonly problems: TextProblem[];
  /** The qastle the Python client would send, when the query translates. */
  readonly qastle?: string;
}

/** Analyses the text of a `!FuncADL_Uproot` scalar as the Python client reads it (servicex-facts.md §3.7). */
export function analyzeUprootQuery(text: string): QueryAnalysis {
  const result = translateDetailed(text);
  if (result.ok) return { problems: [], qastle: result.qastle };
  return { problems: [problemOf(result.error)] };
}

/** Analyses a `.funcadl` file, which holds exactly the text of a `!FuncADL_Uproot` scalar. */
export function analyzeFuncAdlFile(text: string): QueryAnalysis {
  return analyzeUprootQuery(text);
}
