// The selection strings built with Python's json.dumps and textwrap.dedent, against CPython itself.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { pythonJsonDumps, type OrderedJson } from '../../client/src/delivery/pythonJson';
import { pythonFunctionSelection, uprootRawSelection } from '../../client/src/delivery/selection';
import { runPython } from '../fixtures/delivery/python';

/** Ordered JSON as a tagged tree Python can rebuild with its dict order (objects as lists of pairs). */
type Tagged = { o: [string, Tagged][] } | { a: Tagged[] } | { v: string | number | boolean | null };
function tag(value: OrderedJson): Tagged {
  if (Array.isArray(value)) return { a: (value as OrderedJson[]).map(tag) };
  if (value !== null && typeof value === 'object') {
    const { entries } = value as { entries: readonly (readonly [string, OrderedJson])[] };
    return { o: entries.map(([k, v]) => [k, tag(v)] as [string, Tagged]) };
  }
  return { v: value };
}
const REBUILD = `def build(t):
    if 'o' in t: return {k: build(v) for k, v in t['o']}
    if 'a' in t: return [build(v) for v in t['a']]
    return t['v']
`;

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('"', '\\', '\u2028', '\x7f', '😀', '1', '10'),
);
const json: fc.Arbitrary<OrderedJson> = fc.letrec<{ value: OrderedJson }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(text, tie('value')), { maxLength: 4, selector: ([k]) => k })
      .map((entries) => ({ entries })),
  ),
})).value;

describe('json.dumps', () => {
  test('arbitrary values with ordered keys, including integer-like ones (fast-check)', () => {
    const values = fc.sample(json, { numRuns: 1000, seed: 11 });
    const expected = runPython<string[]>(
      `${REBUILD}print(json.dumps([json.dumps(build(t)) for t in data]))`,
      values.map(tag),
    );
    values.forEach((v, i) => assert.equal(pythonJsonDumps(v), expected[i]));
  });
});

describe('selections', () => {
  test('PythonFunction: base64 of textwrap.dedent, for arbitrary indented sources (fast-check)', () => {
    const line = fc.tuple(
      fc.constantFrom('', ' ', '  ', '\t', '    ', ' \t'),
      fc.constantFrom('', 'x = 1', 'é', ' ', '\r', 'def f():'),
    );
    const sources = fc.sample(
      fc.array(line, { maxLength: 6 }).map((lines) => lines.map(([i, t]) => i + t).join('\n')),
      {
        numRuns: 500,
        seed: 5,
      },
    );
    const expected = runPython<string[]>(
      'import base64, textwrap\nprint(json.dumps([base64.b64encode(textwrap.dedent(s).encode()).decode() for s in data]))',
      sources,
    );
    sources.forEach((s, i) => {
      const mine = pythonFunctionSelection(s);
      assert.ok(mine.ok);
      assert.equal(mine.selection, expected[i], JSON.stringify(s));
    });
  });

  test('UprootRaw: one object or a list; unknown keys dropped, None fields written, repeated keys keep the last', () => {
    const cases = [
      '{"treename": "nominal"}',
      '[{"treename": ["a", "b"], "filter_name": "pt*", "bogus": 1, "aliases": {"2": "x", "1": "y"}}]',
      '[{"treename": "t", "cut": "a", "cut": "b", "fail_on_missing_trees": 1}, {"copy_histograms": ["h1", "h2"]}]',
      '[{"treename": {"in": "out"}, "use_standard_awkward_axis": false, "expressions": ["é", "😀"]}]',
    ];
    const mine = cases.map((c) => {
      const s = uprootRawSelection(c);
      assert.ok(s.ok, c);
      return s.selection;
    });
    // The models' field order and pydantic's lax bool (1 -> True) spelled out in Python.
    const expected = runPython<string[]>(
      `TREE = ['treename', 'expressions', 'cut', 'filter_name', 'filter_typename', 'aliases', 'fail_on_missing_trees',
        'use_standard_awkward_axis']
def dump(q):
    if 'treename' in q:
        d = {k: q.get(k) for k in TREE}
        for b in ('fail_on_missing_trees', 'use_standard_awkward_axis'):
            if d[b] is not None: d[b] = bool(d[b])
        return d
    return {'copy_histograms': q['copy_histograms']}
out = []
for text in data:
    q = json.loads(text)
    out.append(json.dumps([dump(x) for x in (q if isinstance(q, list) else [q])]))
print(json.dumps(out))`,
      cases,
    );
    assert.deepEqual(mine, expected);
  });

  test('UprootRaw that the client cannot validate is refused with a reason', () => {
    for (const text of [
      '[1]',
      '[{"cut": "x"}]',
      '[{"treename": 3}]',
      '{"treename": "t"',
      '[{"treename": "t", "cut": 1}]',
      '[{"treename": "\\ud800"}]',
    ]) {
      const result = uprootRawSelection(text);
      assert.ok(!result.ok, text);
      assert.ok(result.message.length > 10);
    }
  });
});
