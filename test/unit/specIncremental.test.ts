import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkSpec } from '../../server/src/language/spec';
import { SpecSession } from '../../server/src/language/spec/incremental';
import { sampleLayout } from '../../server/src/language/spec/layout';
import { generateSpec } from '../bench/specs';

const options = { readFile: () => undefined, codegens: ['uproot', 'uproot-raw', 'python'] };

/** A small deterministic generator (mulberry32), so a failing sequence of edits can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A spec with a mistake of every kind the cross-item and context rules care about. */
function specWithMistakes(): string {
  return generateSpec(6_000)
    .replace('  Delivery: LocalCache', '  Delivery: LocalCache\n  Codegen: atlasr21\n  Colour: blue')
    .replace(
      '  - &DEF_ptcut 25000',
      "  - &DEF_ptcut 25000\n  - &Q !FuncADL_Uproot |\n    FromTree('t').Select(lambda e: e.x[1:2])",
    )
    .replace('    NFiles: 2\n', '    NFiles: 0\n    Query: *Q\n')
    .replace('  - Name: sample_3\n', '  - Name: sample_1\n')
    .replace('    NFile: 5\n', '')
    .replace('IgnoreLocalCache: false', 'IgnoreLocalCache: maybe')
    .concat('Extra: 1\n');
}

const EDITS = ['x', 'e', ' ', '\n', ':', '"', "'", '-', '#', '0', 'Sample', '  - Name: new\n', ''];

describe('incremental checking of a spec', () => {
  test('splits the Sample list into items by lines', () => {
    const text =
      'General:\n  Delivery: URLs\nSample:\n  - Name: a\n    NFiles: 1\n  # a comment\n  - Name: b\nOther: 1\n';
    const layout = sampleLayout(text);
    assert.ok(layout);
    assert.deepEqual(
      layout.items.map((i) => text.slice(i.start, i.end)),
      ['  - Name: a\n    NFiles: 1\n  # a comment\n', '  - Name: b\n'],
    );
    assert.equal(text.slice(layout.tail.start), 'Other: 1\n');
  });

  test('leaves whole-file checking to files it cannot split exactly', () => {
    assert.equal(sampleLayout('Sample:\n  - !include other.yaml\n'), undefined);
    assert.equal(sampleLayout('Sample:\n  - &A\n    Name: a\n  - *A\n'), undefined);
    assert.equal(sampleLayout('Sample: [{Name: a}]\n'), undefined);
    assert.equal(sampleLayout('---\nSample:\n  - Name: a\n---\nSample: []\n'), undefined);
  });

  test('gives exactly what a whole-file check gives, edit after edit', () => {
    const next = random(20261124);
    for (let round = 0; round < 12; round++) {
      const session = new SpecSession();
      let text = specWithMistakes();
      for (let step = 0; step < 25; step++) {
        const at = Math.floor(next() * text.length);
        const remove = next() < 0.4 ? Math.floor(next() * 4) : 0;
        const insert = EDITS[Math.floor(next() * EDITS.length)];
        text = text.slice(0, at) + insert + text.slice(at + remove);
        const expected = checkSpec(text, '/tmp/spec.yaml', options);
        const actual = session.check(text, '/tmp/spec.yaml', options);
        assert.deepEqual(
          actual,
          expected,
          `round ${round}, step ${step}: after inserting ${JSON.stringify(insert)} at ${at}`,
        );
      }
    }
  });

  test('an edit inside one item re-checks that item only', () => {
    const session = new SpecSession();
    const text = generateSpec(20_000);
    const items = sampleLayout(text)?.items.length ?? 0;
    session.check(text, undefined, options);
    assert.deepEqual(session.stats, { whole: 0, items });
    const edited = text.replace("'pt': e.el_pt", "'ptx': e.el_pt");
    assert.notEqual(edited, text);
    session.check(edited, undefined, options);
    assert.deepEqual(session.stats, { whole: 0, items: items + 1 });
  });

  test('finds duplicates and names across items it did not re-check', () => {
    const session = new SpecSession();
    const text = specWithMistakes();
    const first = session.check(text, undefined, options);
    assert.ok(first.some((p) => p.code === 'spec/duplicate-name'));
    const edited = text.replace('  - Name: sample_5\n', '  - Name: sample_6\n');
    assert.deepEqual(session.check(edited, undefined, options), checkSpec(edited, undefined, options));
  });

  test('a change to the facility’s codegens re-checks every item', () => {
    const session = new SpecSession();
    const text = generateSpec(3_000);
    assert.deepEqual(session.check(text, undefined, options), []);
    const withoutUproot = { ...options, codegens: ['python'] };
    const problems = session.check(text, undefined, withoutUproot);
    assert.ok(problems.length > 1 && problems.every((p) => p.code === 'spec/unknown-codegen'));
    assert.deepEqual(problems, checkSpec(text, undefined, withoutUproot));
  });
});
