// Checks `!PythonFunction` source the way the ServiceX client and transformer will treat it: the client dedents it and
// exec()s it to find syntax errors, the code generator decodes it as ASCII, and the transformer calls
// run_query(<input file>). Nothing is ever executed here: the source is parsed with @lezer/python, a parser written in
// JavaScript, after a token scan that catches what Python's own tokenizer refuses.
import { parser } from '@lezer/python';
import { firstTreeError, type PythonNode } from './pythonSyntax';
import { scanPythonTokens, type SourceProblem } from './pythonTokens';

/** A problem in Python source, located by offsets into it. */
export interface PythonFinding {
  readonly start: number;
  readonly end: number;
  readonly rule: 'python-syntax' | 'python-non-ascii' | 'python-run-query';
  readonly message: string;
}

/** Enough to show the problem; a file of Greek comments does not need a thousand diagnostics. */
const MAX_NON_ASCII_REPORTS = 20;
/**
 * Lezer parses a typical function in well under a millisecond, but its error recovery on binary garbage costs about
 * 4 µs a step, so the parse stops after this many steps (some 30 KB of ordinary code) and checks what it has.
 */
const MAX_PARSE_STEPS = 10_000;
const EXAMPLE = '"def run_query(input_filenames=None):"';

/** Python source after the client's dedent, with the offset in the original text of each of its characters. */
export interface DedentedSource {
  readonly value: string;
  /** The original offset of a dedented offset. */
  toOriginal(offset: number): number;
}

/** Python's textwrap.dedent (3.12), which the client applies before sending a `!PythonFunction`, with offsets. */
export function dedentPython(text: string): DedentedSource {
  const lines = text.split('\n');
  const blank = lines.map((line) => /^[ \t]*$/.test(line));
  let margin: string | undefined;
  lines.forEach((line, n) => {
    if (blank[n]) return;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (margin === undefined || margin.startsWith(indent)) margin = indent;
    else if (!indent.startsWith(margin)) {
      let i = 0;
      while (margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
  });
  const cut = margin?.length ?? 0;
  const newStarts: number[] = [];
  const oldStarts: number[] = [];
  let value = '';
  let oldStart = 0;
  lines.forEach((line, n) => {
    if (n > 0) value += '\n';
    newStarts.push(value.length);
    // A whitespace-only line becomes empty; its first dedented offset is its line break in the original.
    oldStarts.push(oldStart + (blank[n] ? line.length : cut));
    if (!blank[n]) value += line.slice(cut);
    oldStart += line.length + 1;
  });
  const toOriginal = (offset: number) => {
    let lo = 0;
    let hi = newStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (newStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return oldStarts[lo] + offset - newStarts[lo];
  };
  return { value, toOriginal };
}

/** Checks Python source for what would stop the ServiceX client or the Python transformer from running it. */
export function checkPythonSource(text: string): PythonFinding[] {
  const source = dedentPython(text);
  const code = source.value;
  const findings: PythonFinding[] = [];
  const place = (p: SourceProblem, rule: PythonFinding['rule']) => {
    const start = source.toOriginal(p.start);
    const end = p.end > p.start ? source.toOriginal(p.end - 1) + 1 : start;
    findings.push({ start, end, rule, message: p.message });
  };
  // The scan comes first: it bounds bracket depth, which Lezer's tree building cannot take beyond a few thousand.
  const scanned = scanPythonTokens(code);
  const parsed = scanned?.tooDeep ? undefined : parseBounded(code);
  const fromTree = parsed && firstTreeError(parsed.top, code);
  const syntax = scanned && (!fromTree || scanned.start <= fromTree.start) ? scanned : fromTree;
  if (syntax) place(syntax, 'python-syntax');
  if (parsed) {
    for (const p of checkRunQuery(parsed.top, code, parsed.complete && !syntax)) place(p, 'python-run-query');
  }
  reportNonAscii(text, findings);
  return findings;
}

/** Parses at most MAX_PARSE_STEPS steps; a stopped parse covers the start of the source only. */
function parseBounded(code: string): { top: PythonNode; complete: boolean } | undefined {
  try {
    const parse = parser.startParse(code);
    let steps = 0;
    for (;;) {
      const tree = parse.advance();
      if (tree) return { top: tree.topNode, complete: tree.length >= code.length };
      if (++steps === MAX_PARSE_STEPS) parse.stopAt(parse.parsedPos);
    }
  } catch {
    // Lezer builds its tree recursively; should some nesting the scan does not bound overflow the stack, the source
    // is too strange for a parser's opinion to help.
    return undefined;
  }
}

/**
 * Finds the module-level `run_query` (a def at the top level or in a top-level if/try/with block, not in a class or
 * function) and checks that the transformer's call `run_query(<input file>)` can work. A decorated def is accepted,
 * since the decorator runs only on the transformer; an async def is refused, since calling it gives a coroutine, not
 * arrays. A name bound by an assignment or an import is accepted as it is.
 */
function checkRunQuery(top: PythonNode, code: string, reportMissing: boolean): SourceProblem[] {
  let definition: PythonNode | undefined;
  let bound = false;
  const visit = (block: PythonNode) => {
    for (let n = block.firstChild; n; n = n.nextSibling) {
      const def = n.name === 'DecoratedStatement' ? n.getChild('FunctionDefinition') : n;
      if (def?.name === 'FunctionDefinition' && nameOf(def.getChild('VariableName'), code) === 'run_query') {
        definition = def;
      } else if (n.name === 'AssignStatement' || n.name === 'ImportStatement') {
        bound ||= n.getChildren('VariableName').some((v) => nameOf(v, code) === 'run_query');
      } else if (/^(?:If|Try|With|For|While)Statement$/.test(n.name)) {
        for (const body of n.getChildren('Body')) visit(body);
      }
    }
  };
  visit(top);
  if (!definition) {
    if (bound || !reportMissing) return [];
    const lineEnd = code.indexOf('\n');
    const message = `ServiceX calls run_query(<input file>) on this code: define it at the top level, for example ${EXAMPLE}.`;
    return [{ start: 0, end: lineEnd < 0 ? code.length : lineEnd, message }];
  }
  const header = { start: definition.from, end: definition.getChild('ParamList')?.from ?? definition.to };
  const problems: SourceProblem[] = [];
  if (definition.getChild('async')) {
    const message =
      'ServiceX calls run_query without await, so an async def would hand it a coroutine instead of arrays: use a plain def.';
    problems.push({ ...header, message });
  }
  const params = definition.getChild('ParamList');
  const problem = params && checkParameters(params, code);
  if (problem) problems.push({ ...header, message: problem });
  return problems;
}

/** Whether run_query(<input file>) binds every parameter, given the ParamList of its def. */
function checkParameters(params: PythonNode, code: string): string | undefined {
  let positional = 0;
  let starArgs = false;
  let keywordOnly = false;
  const required: string[] = [];
  // Lezer lists a parameter list's pieces flat: names, "*", "**", "=", defaults and commas.
  let piece: PythonNode[] = [];
  const finish = () => {
    const [first, second] = piece;
    const name = nameOf(piece.find((n) => n.name === 'VariableName') ?? null, code);
    const hasDefault = piece.some((n) => n.name === 'AssignOp');
    if (first?.name === '*') {
      starArgs ||= second?.name === 'VariableName';
      keywordOnly = true;
    } else if (first?.name === 'VariableName' && !keywordOnly) {
      if (positional++ > 0 && !hasDefault) required.push(name);
    } else if (first?.name === 'VariableName' && !hasDefault) required.push(name);
    piece = [];
  };
  for (let n = params.firstChild; n; n = n.nextSibling) {
    if (n.name === ',' || n.name === ')') finish();
    else if (n.name !== '(') piece.push(n);
  }
  if (piece.length) finish();
  if (positional === 0 && !starArgs) {
    return `run_query is called with the input file path: give it a parameter, for example ${EXAMPLE}.`;
  }
  if (required.length === 0) return undefined;
  const names = required.map((n) => `"${n}"`).join(', ');
  return `ServiceX passes run_query only the input file path, so ${names} must have a default value (for example ${required[0]}=None).`;
}

function nameOf(node: PythonNode | null, code: string): string {
  return node ? code.slice(node.from, node.to) : '';
}

function reportNonAscii(text: string, findings: PythonFinding[]): void {
  let reported = 0;
  for (const match of text.matchAll(/[\u0080-\uffff]+/g)) {
    if (reported++ >= MAX_NON_ASCII_REPORTS) break;
    const message = `The ServiceX Python code generator decodes the code as ASCII, so "${match[0]}" makes the transform fail, even in a comment or a string; use ASCII (for example \\u escapes in strings).`;
    findings.push({ start: match.index, end: match.index + match[0].length, rule: 'python-non-ascii', message });
  }
}
