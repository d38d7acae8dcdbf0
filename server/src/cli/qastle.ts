import type { CliIo } from '../cli';
import { analyzeUprootQuery, translateDetailed } from '../language/funcadl';
import { tryDecodeQastle } from '../language/qastle';

const USAGE = `Usage: coffea-casa qastle [--tree NAME] QUERY|-
       coffea-casa qastle --decode TEXT|-

Prints the qastle that the ServiceX Python client sends for a !FuncADL_Uproot query (the text of the YAML
scalar; - reads it from standard input), byte for byte. With --tree NAME, a query that does not start with
FromTree('...'). is read as if FromTree('NAME'). were written in front of it. With --decode, prints the
func_adl (Python) text that a qastle text stands for.`;

interface Options {
  readonly tree?: string;
  readonly decode: boolean;
  readonly input: string;
}

function parseArgs(args: readonly string[]): Options | string {
  let tree: string | undefined;
  let decode = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--decode') decode = true;
    else if (arg === '--tree') {
      if (i + 1 >= args.length) return '--tree needs a tree name';
      tree = args[++i];
    } else if (arg.startsWith('--tree=')) tree = arg.slice('--tree='.length);
    else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length !== 1) return positional.length === 0 ? 'a query is needed' : 'give exactly one query';
  if (tree !== undefined && (tree === '' || /['"\n\r]/.test(tree))) {
    return 'the tree name must be non-empty and hold no quotes or line breaks';
  }
  if (tree !== undefined && decode) return '--tree does not apply to --decode';
  return { tree, decode, input: positional[0] };
}

/** 1-based line and column of a UTF-16 offset; `\r\n`, `\r` and `\n` each end a line, as in CPython. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `coffea-casa qastle [--tree NAME] QUERY|-` and `coffea-casa qastle --decode TEXT|-`. */
export async function runQastle(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`coffea-casa qastle: ${options}.\n\n${USAGE}`);
    return 2;
  }
  const input = options.input === '-' ? await io.readStdin() : options.input;
  const fail = (text: string, message: string, offset: number) => {
    const { line, column } = position(text, offset);
    io.err(`error: ${message} at line ${line}, column ${column}`);
    return 1;
  };
  if (options.decode) {
    const decoded = tryDecodeQastle(input);
    if (!decoded.ok) return fail(input, decoded.problem.message, decoded.problem.start);
    io.out(decoded.python);
    return 0;
  }
  // --tree supplies the FromTree the client needs, but only when the query does not already start with one.
  const prefix =
    options.tree !== undefined && !translateDetailed(input).glue.fromTreeSpan ? `FromTree('${options.tree}').` : '';
  const at = (offset: number) => Math.max(0, offset - prefix.length);
  const result = translateDetailed(prefix + input);
  if (!result.ok) return fail(input, result.error.message, at(result.error.start));
  // The qastle goes to standard output alone; the traps the client accepts silently are reported on standard error.
  const analysis = analyzeUprootQuery(prefix + input);
  for (const problem of analysis.problems) {
    if (problem.severity === 'error' || problem.severity === 'warning') {
      const { line, column } = position(input, at(problem.start));
      io.err(`${problem.severity}: ${problem.message} at line ${line}, column ${column}`);
    }
  }
  io.out(result.qastle);
  return 0;
}
