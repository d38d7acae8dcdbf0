import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeFuncAdlFile, analyzeUprootQuery } from '../../server/src/language/funcadl';

/** Each problem as `code@start-end`, and the text it covers, for compact comparisons. */
function problems(text: string): { code: string; severity: string; covers: string }[] {
  return analyzeUprootQuery(text).problems.map((p) => ({
    code: p.code,
    severity: p.severity,
    covers: text.slice(p.start, p.end),
  }));
}

describe('diagnostics of a !FuncADL_Uproot query', () => {
  test('a clean query has no problems and returns its qastle and tree', () => {
    const analysis = analyzeUprootQuery(
      "FromTree('events').Where(lambda e: e.nMuon >= 2).Select(lambda e: e.Muon_pt)\n",
    );
    assert.deepEqual(analysis.problems, []);
    assert.equal(analysis.tree, 'events');
    assert.match(analysis.qastle ?? '', /^\(Select \(Where \(call EventDataset 'bogus\.root' 'events'\)/);
  });

  test('a missing leading FromTree is a warning on the first word', () => {
    assert.deepEqual(problems('Select(lambda e: e.x)'), [
      { code: 'funcadl/missing-fromtree', severity: 'warning', covers: 'Select' },
    ]);
  });

  test('text after the first line break is an error ranged over what is dropped', () => {
    const text = "FromTree('t').Select(lambda e: e.x)\n  .Where(lambda e: e.y > 1)\n";
    assert.deepEqual(problems(text), [
      { code: 'funcadl/multiline-dropped', severity: 'error', covers: '.Where(lambda e: e.y > 1)' },
    ]);
    assert.deepEqual(problems("FromTree('t').Select(lambda e: e.x)\n\n# a comment\n"), []);
  });

  test('syntax errors are located in the scalar text with the reference message', () => {
    const [problem] = analyzeUprootQuery("FromTree('t').Select(lambda e: {'pt': e.pt 'eta': e.eta})").problems;
    assert.equal(problem?.code, 'funcadl/syntax');
    assert.equal(problem?.message, 'invalid syntax. Perhaps you forgot a comma?');
    assert.equal(problem?.start, 38);
  });

  test('keyword arguments that qastle drops are warnings', () => {
    assert.deepEqual(problems("FromTree('t').Select(lambda e: e.Jets(collection='AntiKt4'))"), [
      { code: 'funcadl/keyword-dropped', severity: 'warning', covers: "collection='AntiKt4'" },
    ]);
  });

  test('slices, comprehensions and other unsupported constructs are errors that say what to write', () => {
    const [slice] = analyzeUprootQuery("FromTree('t').Select(lambda e: e.x[0:2])").problems;
    assert.equal(slice?.code, 'funcadl/slice');
    assert.match(slice?.message ?? '', /index single elements/);
    const [comprehension] = analyzeUprootQuery("FromTree('t').Select(lambda e: [j.pt for j in e.jets])").problems;
    assert.equal(comprehension?.code, 'funcadl/unsupported');
    assert.match(comprehension?.message ?? '', /Select\(lambda x: …\)/);
    const [walrus] = analyzeUprootQuery("FromTree('t').Select(lambda e: (x := e.y))").problems;
    assert.equal(walrus?.code, 'funcadl/unsupported');
  });

  test('wrong LINQ arity is an error from the reference; a lambda with the wrong argument count is caught too', () => {
    assert.deepEqual(
      problems("FromTree('t').Select(lambda e: e.x, lambda f: f)").map((p) => p.code),
      ['funcadl/linq-arity'],
    );
    assert.deepEqual(problems("FromTree('t').Where(lambda a, b: a)"), [
      { code: 'funcadl/lambda-arity', severity: 'error', covers: 'lambda a, b: a' },
    ]);
  });

  test('lambda parameters that qastle drops, and Aggregate on the uproot backend, are warnings', () => {
    assert.deepEqual(problems("FromTree('t').Select(lambda e: e.f(lambda x, k=2: x * k))"), [
      { code: 'funcadl/lambda-params', severity: 'warning', covers: 'x, k=2' },
    ]);
    assert.deepEqual(
      problems("FromTree('t').Select(lambda e: e.x.Aggregate(0, lambda a, b: a + b))").map((p) => p.code),
      ['funcadl/backend-unsupported'],
    );
  });

  test('a query nested deeper than the Python client can walk is too deep', () => {
    const [problem] = analyzeUprootQuery(`FromTree('t').Select(lambda e: ${'-'.repeat(600)}e)`).problems;
    assert.equal(problem?.code, 'funcadl/too-deep');
  });

  test('a .funcadl file is read exactly like the scalar', () => {
    const text = "FromTree('t').Select(lambda e: e.x)\n";
    assert.deepEqual(analyzeFuncAdlFile(text), analyzeUprootQuery(text));
  });
});
