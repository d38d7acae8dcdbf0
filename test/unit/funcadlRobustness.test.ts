import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeUprootQuery } from '../../server/src/language/funcadl';
import { analyzeQastle, formatQastle, tryDecodeQastle } from '../../server/src/language/qastle';

const TEN_MB = 10 * 1024 * 1024;

/** A deterministic stream of bytes, read as Latin-1 text: garbage that is the same on every run. */
function garbage(length: number, seed: number): string {
  let state = seed;
  const codes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    codes[i] = state >>> 24;
  }
  return Buffer.from(codes).toString('latin1');
}

/** The codes of the error problems, which must exist and come without a crash. */
function errorCodes(text: string): string[] {
  return analyzeUprootQuery(text)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => p.code);
}

describe('the func_adl engine on hostile input', () => {
  test('10,000 nested parentheses or calls are reported as too deep', () => {
    assert.deepEqual(errorCodes(`FromTree('t').Select(lambda e: ${'('.repeat(10_000)}1${')'.repeat(10_000)})`), [
      'funcadl/too-deep',
    ]);
    assert.deepEqual(errorCodes(`FromTree('t').Select(lambda e: ${'f('.repeat(10_000)}1${')'.repeat(10_000)})`), [
      'funcadl/too-deep',
    ]);
  });

  test('10,000 nested operators, lambdas or conditionals are reported as too deep', () => {
    for (const piece of ['not ', '-', 'lambda: ', '1 if 1 else ', '2 ** ']) {
      assert.deepEqual(
        errorCodes(`FromTree('t').Select(lambda e: ${piece.repeat(10_000)}1)`),
        ['funcadl/too-deep'],
        piece,
      );
    }
  });

  test('long flat chains that Python walks recursively are too deep, even inside a string lambda', () => {
    assert.deepEqual(errorCodes(`FromTree('t').Select(lambda e: ${'1 + '.repeat(1000)}1)`), ['funcadl/too-deep']);
    assert.deepEqual(errorCodes(`FromTree('t').Select('lambda e: ${'1+'.repeat(100_000)}1')`), ['funcadl/too-deep']);
  });

  test('10 MB of binary garbage gives a syntax error', () => {
    const codes = errorCodes(garbage(TEN_MB, 7));
    assert.ok(codes.includes('funcadl/syntax'), codes.join());
  });

  test('a 10 MB attribute chain and a 10 MB string literal finish with a result', () => {
    assert.deepEqual(errorCodes(`FromTree('t').Select(lambda e: e${'.a'.repeat(TEN_MB / 2)})`), ['funcadl/too-deep']);
    const analysis = analyzeUprootQuery(`FromTree('t').Select(lambda e: '${'x'.repeat(TEN_MB)}')`);
    assert.equal(analysis.qastle?.length, TEN_MB + 66);
  });
});

describe('the qastle engine on hostile input', () => {
  test('10,000 nested composites are too deep, and formatting leaves the text alone', () => {
    const text = `${'(list '.repeat(10_000)}${')'.repeat(10_000)}`;
    assert.deepEqual(
      analyzeQastle(text).problems.map((p) => p.code),
      ['qastle/too-deep'],
    );
    assert.equal(formatQastle(text), text);
    assert.equal(tryDecodeQastle(text).ok, false);
  });

  test('10 MB of binary garbage is a syntax error', () => {
    assert.deepEqual(
      analyzeQastle(garbage(TEN_MB, 11)).problems.map((p) => p.code),
      ['qastle/syntax'],
    );
  });

  test('an unterminated string of backslashes does not backtrack forever', () => {
    assert.deepEqual(
      analyzeQastle(`'${'\\'.repeat(TEN_MB)}`).problems.map((p) => p.code),
      ['qastle/syntax'],
    );
  });
});
