import type { TextProblem } from '../problems';
import { QastleNodeError, toPython } from './catalogue';
import { serverChecks } from './checks';
import { MAX_QASTLE_DEPTH, type QNode, parseQastle } from './syntax';
import { unparseModule } from './unparse';

export { formatQastle, FORMAT_WIDTH } from './format';
export { parseQastle, type QNode, type QAtom, type QComposite } from './syntax';
export { NODE_TYPES } from './catalogue';

/** What the qastle engine says about a qastle text (a `.qastle` file or a transform's `selection`). */
export interface QastleAnalysis {
  readonly problems: TextProblem[];
  /** The func_adl (Python) text the qastle decodes to, when qastle's own parser accepts it. */
  readonly python?: string;
}

type Decoded = { ok: true; python: string; node: QNode | undefined } | { ok: false; problem: TextProblem };

/** Parses and validates qastle text as `qastle.text_ast_to_python_ast` does, then decodes it back to Python. */
function decode(text: string): Decoded {
  const parsed = parseQastle(text);
  if (!parsed.ok) {
    const { error } = parsed;
    const code = error.message === 'qastle nests too deeply' ? 'qastle/too-deep' : 'qastle/syntax';
    const message =
      code === 'qastle/too-deep' ? `qastle nests more than ${MAX_QASTLE_DEPTH} levels deep` : error.message;
    return { ok: false, problem: { start: error.start, end: error.end, code, message, severity: 'error' } };
  }
  try {
    const python = unparseModule(parsed.node ? toPython(parsed.node) : undefined);
    return { ok: true, python, node: parsed.node };
  } catch (error) {
    if (!(error instanceof QastleNodeError)) throw error;
    const problem: TextProblem = {
      start: error.start,
      end: error.end,
      code: error.code,
      message: error.message,
      severity: 'error',
    };
    return { ok: false, problem };
  }
}

/** Parses and validates qastle text against the node catalogue, with the checks ServiceX applies afterwards. */
export function analyzeQastle(text: string): QastleAnalysis {
  const result = decode(text);
  if (!result.ok) return { problems: [result.problem] };
  return { problems: result.node ? serverChecks(result.node) : [], python: result.python };
}

/** Thrown by `decodeQastle` for text that qastle's own parser rejects. */
export class QastleDecodeError extends Error {
  constructor(readonly problem: TextProblem) {
    super(problem.message);
  }
}

/**
 * Decodes qastle to func_adl (Python) text: `ast.unparse(qastle.text_ast_to_python_ast(text))`, with LINQ nodes
 * printed as method calls (`src.Select(f)`). Throws `QastleDecodeError` when the text is not valid qastle.
 */
export function decodeQastle(text: string): string {
  const result = decode(text);
  if (!result.ok) throw new QastleDecodeError(result.problem);
  return result.python;
}

/** Like `decodeQastle`, but returns the problem instead of throwing. */
export function tryDecodeQastle(text: string): { ok: true; python: string } | { ok: false; problem: TextProblem } {
  const result = decode(text);
  return result.ok ? { ok: true, python: result.python } : result;
}
