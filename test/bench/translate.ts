import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { translateUprootQuery } from '../../server/src/language/funcadl';
import { printTable } from './report';

const root = resolve(__dirname, '..', '..', '..');
const ROUNDS = 20;

// The Python reference pipeline of the ServiceX client's !FuncADL_Uproot glue (servicex-facts.md §3.7), timed in
// the same way as ours: every accepted corpus query, ROUNDS times, best round.
const PYTHON_TIMER = `
import ast, json, re, sys, time
import qastle
queries = json.load(sys.stdin)
pattern = re.compile(r'(?:FromTree\\(["\\']([^"\\']+)["\\']\\)\\.)?(.+)')
def translate(source):
    m = pattern.match(source)
    text = "EventDataset('bogus.root', '%s')." % m.group(1) + m.group(2)
    return qastle.python_ast_to_text_ast(qastle.insert_linq_nodes(ast.parse(text)))
best = None
for _ in range(${ROUNDS}):
    start = time.perf_counter()
    for q in queries:
        translate(q)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None or elapsed < best else best
print(json.dumps({"seconds": best}))
`;

/** Where a checkout of iris-hep/qastle is (QASTLE_SRC), for the reference; undefined when there is none. */
function qastleSource(): string | undefined {
  const candidates = [process.env.QASTLE_SRC, '/tmp/qastle'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(join(p, 'qastle', '__init__.py')));
}

/** `npm run bench -- translate`: func_adl → qastle per query, ours against the Python reference. */
export function benchTranslate(): Promise<void> {
  const corpus = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'funcadl', 'corpus.json'), 'utf8')) as {
    source: string;
    qastle?: string;
  }[];
  const queries = corpus.filter((c) => c.qastle !== undefined).map((c) => c.source);
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (const query of queries) translateUprootQuery(query);
    best = Math.min(best, performance.now() - start);
  }
  const oursMicros = (best * 1000) / queries.length;
  const source = qastleSource();
  if (!source) {
    printTable(`func_adl → qastle translation (${queries.length} corpus queries)`, [
      { what: 'per query, ours', ours: oursMicros, unit: 'µs' },
    ]);
    console.log(
      '  reference SKIPPED: no qastle checkout (set QASTLE_SRC to a clone of iris-hep/qastle; needs python3-lark)',
    );
    return Promise.resolve();
  }
  const python = spawnSync('/usr/bin/python3', ['-c', PYTHON_TIMER], {
    input: JSON.stringify(queries),
    env: { ...process.env, PYTHONPATH: source },
    encoding: 'utf8',
  });
  if (python.status !== 0) throw new Error(`the Python reference failed: ${python.stderr}`);
  const referenceMicros = ((JSON.parse(python.stdout) as { seconds: number }).seconds * 1e6) / queries.length;
  printTable(
    `func_adl → qastle translation (${queries.length} corpus queries, best of ${ROUNDS}; reference: qastle + ast under Debian python3)`,
    [{ what: 'per query', ours: oursMicros, reference: referenceMicros, unit: 'µs' }],
  );
  return Promise.resolve();
}
