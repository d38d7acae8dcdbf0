import type { TextProblem } from '../problems';
import type { Arguments, Expr, Keyword, Module } from './ast';
import { LINQ_OPERATORS } from './linqNames';
import { type Glue, problemOf, toTextOffset, translateDetailed } from './translate';

/** What the func_adl engine says about one `!FuncADL_Uproot` query text. */
export interface QueryAnalysis {
  /** Problems located by offsets into the query text given. */
  readonly problems: TextProblem[];
  /** The qastle the Python client would send, when the query translates. */
  readonly qastle?: string;
  /** The tree name the client puts in `EventDataset(…)`: the FromTree argument, `None` without one. */
  readonly tree?: string;
}

const NUMBER_WORDS = ['no', 'one', 'two'];

/**
 * Analyses the text of a `!FuncADL_Uproot` scalar as the Python client reads it (servicex-facts.md §3.7): what the
 * reference rejects, with its meaning, and the traps it accepts silently (a missing leading FromTree, lines after the
 * first, keyword arguments and lambda parameters that qastle drops, lambdas the ServiceX side will refuse).
 */
export function analyzeUprootQuery(text: string): QueryAnalysis {
  const result = translateDetailed(text);
  const problems: TextProblem[] = [...glueProblems(text, result.glue)];
  if (!result.ok) {
    problems.push(problemOf(result.error));
    problems.sort((a, b) => a.start - b.start);
    return { problems, tree: result.glue.tree };
  }
  // Lints are found in the glued source; their offsets are moved back into the scalar's text.
  const glue = result.glue;
  for (const p of treeProblems(result.linq)) {
    const start = toTextOffset(glue, p.start);
    problems.push({ ...p, start, end: Math.max(start, toTextOffset(glue, p.end)) });
  }
  problems.sort((a, b) => a.start - b.start);
  return { problems, qastle: result.qastle, tree: result.glue.tree };
}

/**
 * Analyses a `.funcadl` file. Such a file holds exactly the text one would put in a `!FuncADL_Uproot` scalar, so the
 * client's glue applies unchanged: the query starts with `FromTree('…').` and only the first line counts.
 */
export function analyzeFuncAdlFile(text: string): QueryAnalysis {
  return analyzeUprootQuery(text);
}

function glueProblems(text: string, glue: Glue): TextProblem[] {
  const problems: TextProblem[] = [];
  if (glue.tree === 'None') {
    const start = text.search(/\S/);
    const word = /^[^\s(.]*/.exec(text.slice(Math.max(0, start)))?.[0] ?? '';
    const later = /\.FromTree\s*\(/.exec(text.slice(0, glue.restEnd));
    problems.push({
      start: Math.max(0, start),
      end: Math.max(0, start) + Math.max(1, word.length),
      code: 'funcadl/missing-fromtree',
      message:
        "The query does not start with FromTree('<tree>').: the ServiceX client then asks for the tree 'None'. " +
        (later
          ? 'FromTree must come first; further along the chain it is sent as an ordinary method call.'
          : "Start the query with FromTree('<tree name>')."),
      severity: 'warning',
    });
  }
  if (glue.restEnd < text.length && glue.tree !== 'events') {
    const dropped = text.slice(glue.restEnd + 1);
    const meaningful = dropped.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    if (meaningful) {
      const start = glue.restEnd + 1 + dropped.search(/\S/);
      const end = glue.restEnd + 1 + dropped.trimEnd().length;
      problems.push({
        start,
        end,
        code: 'funcadl/multiline-dropped',
        message:
          'The ServiceX client reads only the first line of a !FuncADL_Uproot query and silently drops the rest. ' +
          'Put the whole query on one line, or use a folded scalar (>) so that the lines are joined.',
        severity: 'error',
      });
    }
  }
  return problems;
}

/** Lints over what qastle actually emits (keyword arguments and lambda defaults are not visited: they are dropped). */
function treeProblems(module: Module): TextProblem[] {
  const problems: TextProblem[] = [];
  const keywordDropped = (k: Keyword) =>
    problems.push({
      start: k.start,
      end: k.end,
      code: 'funcadl/keyword-dropped',
      message:
        k.arg === null
          ? 'qastle drops `**` arguments: nothing of this is sent. Pass the values positionally.'
          : `qastle drops keyword arguments: \`${k.arg}=…\` is not sent. Pass the value positionally.`,
      severity: 'warning',
    });
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'Call':
        e.keywords.forEach(keywordDropped);
        visit(e.func);
        e.args.forEach(visit);
        return;
      case 'Linq':
        e.call?.keywords.forEach(keywordDropped);
        checkLinqLambda(e, problems);
        e.fields.forEach(visit);
        return;
      case 'Lambda':
        checkDroppedParameters(e.args, problems);
        visit(e.body);
        return;
      case 'Dict':
        e.keys.forEach((k) => k && visit(k));
        e.values.forEach(visit);
        return;
      case 'List':
      case 'Tuple':
        e.elts.forEach(visit);
        return;
      case 'Attribute':
        visit(e.value);
        return;
      case 'Subscript':
        visit(e.value);
        visit(e.slice);
        return;
      case 'IfExp':
        [e.test, e.body, e.orelse].forEach(visit);
        return;
      case 'UnaryOp':
        visit(e.operand);
        return;
      case 'BinOp':
        visit(e.left);
        visit(e.right);
        return;
      case 'BoolOp':
        e.values.forEach(visit);
        return;
      case 'Compare':
        visit(e.left);
        e.comparators.forEach(visit);
        return;
      default:
        return;
    }
  };
  for (const statement of module.body) if (statement.value) visit(statement.value);
  return problems;
}

function checkLinqLambda(e: Extract<Expr, { kind: 'Linq' }>, problems: TextProblem[]): void {
  const arity = LINQ_OPERATORS.get(e.op);
  if (e.op === 'Aggregate') {
    problems.push({
      start: e.start,
      end: e.end,
      code: 'funcadl/backend-unsupported',
      message: 'The uproot backend of ServiceX does not implement Aggregate; the transform will fail there.',
      severity: 'warning',
    });
  }
  if (!arity?.lambdaArgs) return;
  const f = e.fields[e.fields.length - 1];
  if (f?.kind !== 'Lambda' || f.args.args.length === arity.lambdaArgs) return;
  const want = NUMBER_WORDS[arity.lambdaArgs] ?? String(arity.lambdaArgs);
  const found = f.args.args.length;
  problems.push({
    start: f.start,
    end: f.end,
    code: 'funcadl/lambda-arity',
    message:
      `${e.op} needs a lambda with ${want} argument${arity.lambdaArgs === 1 ? '' : 's'}; this one has ${found}. ` +
      'The client sends it, but ServiceX cannot read the query back and the transform fails.',
    severity: 'error',
  });
}

function checkDroppedParameters(args: Arguments, problems: TextProblem[]): void {
  const dropped: string[] = [];
  if (args.posonlyargs.length > 0)
    dropped.push(`positional-only parameters (${args.posonlyargs.map((a) => a.name).join(', ')})`);
  if (args.defaults.length > 0) dropped.push('default values');
  if (args.vararg) dropped.push(`*${args.vararg.name}`);
  if (args.kwonlyargs.length > 0)
    dropped.push(`keyword-only parameters (${args.kwonlyargs.map((a) => a.name).join(', ')})`);
  if (args.kwarg) dropped.push(`**${args.kwarg.name}`);
  if (dropped.length === 0) return;
  problems.push({
    start: args.start,
    end: Math.max(args.end, args.start + 1),
    code: 'funcadl/lambda-params',
    message: `qastle keeps only plain positional lambda parameters, so these are not sent: ${dropped.join(', ')}.`,
    severity: 'warning',
  });
}
