import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { checkSpec } from '../../server/src/language/spec';

// Whatever the input, the checker returns: no exception, no stack overflow, no runaway time or output.
const check = (text: string) => checkSpec(text, '/specs/spec.yaml', { readFile: () => undefined });

function generatedSpec(size: number): string {
  let text = 'General:\n  OutputFormat: parquet\nSample:\n';
  for (let i = 0; text.length < size; i++) {
    text += `  - Name: sample_${i}\n    Dataset: !Rucio user.x:data.${i}\n    NFiles: ${(i % 5) + 1}\n    Query: !UprootRaw |\n      [{"treename": "nominal", "filter_name": ["jet_pt_*"], "cut": "met > ${i}"}]\n`;
  }
  return text;
}

describe('the checker survives hostile input', () => {
  test('a 10 MB spec is checked completely', { timeout: 60_000 }, () => {
    const text = generatedSpec(10_000_000);
    assert.deepEqual(check(text), []);
    const broken = text.replace('NFiles: 1\n', 'NFiles: 0\n');
    assert.deepEqual(
      check(broken).map((p) => p.code),
      ['spec/nfiles-zero'],
    );
  });

  test('10,000 levels of flow nesting stop at a depth limit', () => {
    const problems = check(`Sample: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    assert.ok(problems.some((p) => p.code === 'spec/too-deep' && p.severity === 'warning'));
  });

  test('10,000 levels of block nesting stop at a depth limit', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i + 1)}a:`);
    const problems = check(`Sample:\n${lines.join('\n')} 1\n`);
    assert.ok(problems.some((p) => p.code === 'spec/too-deep'));
  });

  test('binary garbage gives syntax errors, capped', () => {
    const garbage = randomBytes(2_000_000).toString('latin1');
    const problems = check(`Sample:\n${garbage}`);
    assert.ok(problems.length > 0 && problems.length <= 1000);
    assert.ok(problems.every((p) => p.start >= 0 && p.end >= p.start && p.end <= garbage.length + 8));
  });

  test('an alias bomb is not expanded', () => {
    const lines = ['Definition:', '  - &a0 [x, x, x, x]'];
    for (let i = 1; i < 40; i++) lines.push(`  - &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    lines.push('Sample:', '  - Name: a', '    Dataset: !Rucio user.a:b', '    Query: *a39');
    const started = Date.now();
    const problems = check(`${lines.join('\n')}\n`);
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['spec/type'],
    );
  });

  test('huge scalars and many problems stay bounded', () => {
    const samples = Array.from({ length: 3_000 }, (_, i) => `  - Name: s${i}\n    Dataset: !Rucio noscope${i}`).join(
      '\n',
    );
    const problems = check(`Sample:\n${samples}\n`);
    assert.equal(problems.length, 1000);
  });
});
