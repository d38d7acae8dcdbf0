import type { Module, Span } from './ast';
import { translateDirect } from './direct';
import { emitModule } from './emit';
import { GLUE_HEAD } from './gluePrefix';
import { PyError } from './errors';
import { insertLinqNodes } from './linq';
import { PYTHON_FRAME_BUDGET, parseModule } from './parser';

export { PYTHON_FRAME_BUDGET } from './parser';
import type { TextProblem } from '../problems';

const PREFIX_HEAD = GLUE_HEAD;

/**
 * How the ServiceX client's `FuncADLQuery_Uproot.from_yaml` cuts up a scalar (servicex-facts.md §3.7): it matches
 * `(?:FromTree\(["']([^"']+)["']\)\.)?(.+)` at the start with `re.match` (so `.` stops at the first line break) and
 * glues `EventDataset('bogus.root', '<tree>').` in front of the rest.
 */
export interface Glue {
  /** The Python source that the client parses. */
  readonly source: string;
  /** The tree name as the client puts it in the source: the raw text of the FromTree argument, or `None`. */
  readonly tree: string;
  /** Where the FromTree argument is in the text, when there is one. */
  readonly treeSpan?: Span;
  /** The span of the leading `FromTree('…').`, when there is one. */
  readonly fromTreeSpan?: Span;
  /** Where the part after the glue comes from in the text, and how long the glue is in the source. */
  readonly restStart: number;
  readonly restEnd: number;
  readonly prefixLength: number;
}

/** Applies the client's regular expression to a scalar's text. */
export function glue(text: string): Glue {
  const lineEnd = (from: number) => {
    const newline = text.indexOf('\n', from);
    return newline < 0 ? text.length : newline;
  };
  const fromTree = matchFromTree(text);
  if (fromTree && fromTree.restStart < text.length && text[fromTree.restStart] !== '\n') {
    const { treeStart, treeEnd, restStart } = fromTree;
    const tree = text.slice(treeStart, treeEnd);
    const prefix = `${PREFIX_HEAD}${tree}').`;
    const restEnd = lineEnd(restStart);
    return {
      source: prefix + text.slice(restStart, restEnd),
      tree,
      treeSpan: { start: treeStart, end: treeEnd },
      fromTreeSpan: { start: 0, end: restStart },
      restStart,
      restEnd,
      prefixLength: prefix.length,
    };
  }
  if (text.length > 0 && text[0] !== '\n') {
    const prefix = `${PREFIX_HEAD}None').`;
    const restEnd = lineEnd(0);
    return {
      source: prefix + text.slice(0, restEnd),
      tree: 'None',
      restStart: 0,
      restEnd,
      prefixLength: prefix.length,
    };
  }
  // No match at all: the client falls back to the 'events' tree and keeps every line.
  const prefix = `${PREFIX_HEAD}events').`;
  return { source: prefix + text, tree: 'events', restStart: 0, restEnd: text.length, prefixLength: prefix.length };
}

function matchFromTree(text: string): { treeStart: number; treeEnd: number; restStart: number } | undefined {
  if (!text.startsWith('FromTree(')) return undefined;
  const quote = text[9];
  if (quote !== '"' && quote !== "'") return undefined;
  let end = 10;
  while (end < text.length && text[end] !== '"' && text[end] !== "'") end++;
  if (end === 10 || end >= text.length) return undefined;
  if (!text.startsWith(').', end + 1)) return undefined;
  return { treeStart: 10, treeEnd: end, restStart: end + 3 };
}

/**
 * The length of the glue in front of the source when its tokens are the usual seven, which the tokenizer then need
 * not scan: the tree name must hold nothing that changes how the string around it is read.
 */
function gluePrefixLength(g: Glue): number {
  const tree = g.tree;
  for (let i = 0; i < tree.length; i++) {
    const c = tree.charCodeAt(i);
    if (c === 92 || c === 10 || c === 13) return 0;
  }
  return g.prefixLength;
}

/** Maps an offset in the glued source back to the scalar's text. */
export function toTextOffset(g: Glue, offset: number): number {
  if (offset >= g.prefixLength) return Math.min(g.restEnd, g.restStart + (offset - g.prefixLength));
  // From the quote that opens the tree name onwards, the glue matches `FromTree('…').` character for character.
  const fromQuote = offset - (PREFIX_HEAD.length - 1);
  if (g.treeSpan && fromQuote >= 0) return g.treeSpan.start - 1 + fromQuote;
  return g.fromTreeSpan ? g.fromTreeSpan.start : 0;
}

/** The outcome of running the reference pipeline on a scalar's text. */
export type Translation =
  | { readonly ok: true; readonly qastle: string; readonly glue: Glue; readonly module: Module; readonly linq: Module }
  | { readonly ok: false; readonly error: PyError; readonly glue: Glue; readonly module?: Module };

/** Parses the glued source as the client does, with errors in the glued source's offsets. */
function parseGlued(g: Glue): Module {
  const module = parseModule(g.source, gluePrefixLength(g));
  let depth = 0;
  for (const s of module.body) depth = Math.max(depth, s.depth + 2);
  if (depth > PYTHON_FRAME_BUDGET) {
    throw new PyError(
      'RecursionError',
      'maximum recursion depth exceeded',
      0,
      g.source.length,
      'funcadl/too-deep',
      'The query nests too deeply for the Python client; split long chains of operators',
    );
  }
  return module;
}

/** An error of the glued source, located in the scalar's text. */
function locate(g: Glue, error: PyError): PyError {
  const start = toTextOffset(g, error.start);
  const end = Math.max(start, toTextOffset(g, error.end));
  return new PyError(error.type, error.pythonMessage, start, end, error.code, error.hint);
}

/** Runs glue, parse, `insert_linq_nodes` and `python_ast_to_text_ast`, with errors located in the scalar's text. */
export function translateDetailed(text: string): Translation {
  const g = glue(text);
  let module: Module | undefined;
  try {
    module = parseGlued(g);
    const linq = insertLinqNodes(module);
    return { ok: true, qastle: emitModule(linq), glue: g, module, linq };
  } catch (error) {
    if (!(error instanceof PyError)) throw error;
    return { ok: false, error: locate(g, error), glue: g, module };
  }
}

/** Turns a reference error into a problem for the editor. */
export function problemOf(error: PyError): TextProblem {
  return {
    start: error.start,
    end: Math.max(error.end, error.start),
    code: error.code,
    message: error.message,
    severity: 'error',
  };
}

/** The qastle the ServiceX Python client sends for a `!FuncADL_Uproot` scalar, byte for byte, or why it fails. */
export function translateUprootQuery(
  text: string,
): { ok: true; qastle: string; tree: string } | { ok: false; problem: TextProblem } {
  const g = glue(text);
  // Nearly every query is plain enough for the one-pass translator; the rest, and every error, take the full path.
  const direct = translateDirect(g.source, gluePrefixLength(g));
  if (direct !== undefined) return { ok: true, qastle: direct, tree: g.tree };
  try {
    const module = parseGlued(g);
    return { ok: true, qastle: emitModule(insertLinqNodes(module)), tree: g.tree };
  } catch (error) {
    if (!(error instanceof PyError)) throw error;
    return { ok: false, problem: problemOf(locate(g, error)) };
  }
}
