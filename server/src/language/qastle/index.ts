import type { TextProblem } from '../problems';

/** What the qastle engine says about a qastle text (a `.qastle` file or a transform's `selection`). */
export interface QastleAnalysis {
  readonly problems: TextProblem[];
}

/** Parses and validates qastle text against the node catalogue. Placeholder until the qastle engine lands. */
export function analyzeQastle(_text: string): QastleAnalysis {
  return { problems: [] };
}
