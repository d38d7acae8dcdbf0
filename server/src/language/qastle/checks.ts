import { LINQ_OPERATORS } from '../funcadl/linqNames';
import type { Severity, TextProblem } from '../problems';
import type { QComposite, QNode } from './syntax';

/** Result wrappers that ServiceX client 2.x put around a query; the 3.x client runs these locally instead. */
const LEGACY_RESULTS = new Set(['ResultTTree', 'ResultAwkwardArray', 'ResultPandasDF', 'ResultParquet']);

/**
 * Checks that qastle's text parser does not make but that ServiceX applies when it runs the query: the server calls
 * `insert_linq_nodes`, so LINQ operators written as calls (`(call Select src f)`, `(call (attr src 'Select') f)`)
 * must have the arguments that function expects.
 */
export function serverChecks(root: QNode): TextProblem[] {
  const problems: TextProblem[] = [];
  const report = (node: QNode, code: string, message: string, severity: Severity = 'error') =>
    problems.push({ start: node.start, end: node.end, code, message, severity });
  const visit = (node: QNode): void => {
    if (node.kind === 'atom') return;
    if (node.type === 'call') checkCall(node, report);
    node.fields.forEach(visit);
  };
  visit(root);
  return problems;
}

function checkCall(
  node: QComposite,
  report: (node: QNode, code: string, message: string, severity?: Severity) => void,
) {
  const [func, ...rest] = node.fields;
  if (!func) return;
  let op: string | undefined;
  let args = rest;
  if (func.kind === 'atom' && func.atomType === 'identifier') {
    if (LEGACY_RESULTS.has(func.text)) {
      report(
        func,
        'qastle/legacy',
        `${func.text} is a result operator of the ServiceX 2.x client; current clients choose the output format in the request instead`,
        'information',
      );
      return;
    }
    if (!LINQ_OPERATORS.has(func.text)) return;
    op = func.text;
    if (rest.length === 0) {
      report(node, 'qastle/linq-arity', 'LINQ operators must specify a data source to operate on');
      return;
    }
    args = rest.slice(1);
  } else if (func.kind === 'composite' && func.type === 'attr') {
    const name = func.fields[1];
    if (name?.kind !== 'atom' || name.atomType !== 'string') return;
    const attr = name.text.slice(1, -1);
    if (!LINQ_OPERATORS.has(attr)) return;
    op = attr;
  } else {
    return;
  }
  const arity = LINQ_OPERATORS.get(op)!;
  if (args.length !== arity.args) {
    const expected =
      op === 'Aggregate'
        ? `exactly two arguments; found${args.length}`
        : arity.args === 0
          ? 'zero arguments'
          : 'exactly one argument';
    report(node, 'qastle/linq-arity', `${op}() call must have ${expected}`);
    return;
  }
  if (arity.lambdaArgs === undefined) return;
  const f = args[arity.args - 1];
  const isString = f.kind === 'atom' && f.atomType === 'string';
  if (!isString && (f.kind !== 'composite' || f.type !== 'lambda')) {
    const which = op === 'Aggregate' ? 'Second Aggregate() call argument' : `${op}() call argument`;
    report(f, 'qastle/linq-arity', `${which} must be a lambda`);
    return;
  }
  const params = f.kind === 'composite' ? f.fields[0] : undefined;
  if (params?.kind === 'composite' && params.fields.length !== arity.lambdaArgs) {
    report(
      f,
      'qastle/lambda-arity',
      `${op} expects a lambda with ${arity.lambdaArgs} argument${arity.lambdaArgs === 1 ? '' : 's'}; this one has ${params.fields.length}`,
      'warning',
    );
  }
}
