import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeUprootQuery, translateUprootQuery } from '../../server/src/language/funcadl';
import { analyzeQastle, formatQastle } from '../../server/src/language/qastle';

/** Pieces of func_adl queries, so random texts reach deep into the parser and the translator. */
const QUERY_PIECES = [
  "FromTree('t').",
  'Select(',
  'Where(',
  'SelectMany(',
  'Count()',
  'First()',
  'Max(',
  'Aggregate(',
  'lambda e: ',
  'lambda a, b: ',
  'lambda: ',
  'e.',
  'j.',
  'pt',
  'Jets()',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  "'a'",
  '"b"',
  'r"c"',
  '1',
  '-2',
  '1.5e3',
  '0x1F',
  '.5',
  '+',
  '-',
  '*',
  '/',
  '//',
  '**',
  '%',
  'and ',
  'or ',
  'not ',
  '==',
  '<',
  '>=',
  ' if ',
  ' else ',
  'True',
  'None',
  ' ',
  '\n',
  '\r',
  '\t',
  '#',
  '\\',
  '=',
  '*',
  '**',
  ':=',
  ' for ',
  ' in ',
  '\u00e9',
  '\u0000',
];
const QASTLE_PIECES = [
  '(',
  ')',
  ' ',
  'Select',
  'Where',
  'lambda',
  'list',
  'dict',
  'attr',
  'call',
  'subscript',
  'if',
  'and',
  'not',
  '+',
  '==',
  'e',
  'x',
  "'a'",
  '"b"',
  '1',
  '-1.5',
  'True',
  'None',
  'EventDataset',
  "'bogus.root'",
  '\n',
  '[',
  ']',
  "'",
];

/** Well-formed queries built from the grammar, so that most of them translate and the round trips get exercised. */
const wellFormed = fc
  .letrec<{ value: string; lambda: string; linq: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer({ min: -1000, max: 100000 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map(String),
      fc.constantFrom("'a'", '"b c"', "'it\\'s'", 'True', 'False', 'None', 'e', 'j', "'\u00e9'"),
      fc
        .tuple(tie('value'), fc.constantFrom('pt', 'eta', 'Muon_pt', 'Jets()', 'Count()'))
        .map(([v, a]) => `(${v}).${a}`),
      fc
        .tuple(
          tie('value'),
          fc.constantFrom('+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '>=', 'and', 'or'),
          tie('value'),
        )
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(fc.constantFrom('not ', '-', '+', '~'), tie('value')).map(([op, v]) => `(${op}${v})`),
      fc.tuple(tie('value'), tie('value'), tie('value')).map(([a, b, c]) => `(${a} if ${b} else ${c})`),
      fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
      fc
        .array(fc.tuple(fc.constantFrom("'x'", "'y'", "'z'"), tie('value')), { minLength: 1, maxLength: 3 })
        .map((entries) => `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      fc
        .tuple(fc.constantFrom('abs', 'sqrt', 'f'), fc.array(tie('value'), { maxLength: 2 }))
        .map(([f, a]) => `${f}(${a.join(', ')})`),
      fc.tuple(tie('value'), fc.integer({ min: 0, max: 3 })).map(([v, i]) => `(${v})[${i}]`),
      tie('linq'),
    ),
    lambda: fc.tuple(fc.constantFrom('e', 'j', 'x'), tie('value')).map(([arg, body]) => `lambda ${arg}: ${body}`),
    linq: fc
      .tuple(
        tie('value'),
        fc.constantFrom('Select', 'Where', 'SelectMany', 'First', 'Count', 'Max', 'Min', 'Sum'),
        tie('lambda'),
      )
      .map(([source, op, f]) => (['First', 'Count'].includes(op) ? `(${source}).${op}()` : `(${source}).${op}(${f})`)),
  }))
  .lambda.map((f) => `Select(${f})`);

const join = (pieces: string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join(''));

function assertInside(text: string, problems: readonly { start: number; end: number; code: string }[]): void {
  for (const p of problems) {
    assert.ok(
      p.start >= 0 && p.start <= p.end && p.end <= text.length,
      `${p.code} at ${p.start}-${p.end} outside the text`,
    );
    assert.match(p.code, /^(funcadl|qastle)\/[a-z-]+$/);
  }
}

describe('fuzzing the query engines', () => {
  test('func_adl analysis never throws and keeps ranges inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(join(QUERY_PIECES), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        assertInside(text, analyzeUprootQuery(text).problems);
      }),
      { numRuns: 1500, seed: 31 },
    );
  });

  test('whatever translates is valid qastle, and its formatting is stable', () => {
    let translatedCount = 0;
    fc.assert(
      fc.property(wellFormed, (text) => {
        const translated = translateUprootQuery(`FromTree('t').${text}`);
        translatedCount += translated.ok ? 1 : 0;
        if (!translated.ok) return;
        const errors = analyzeQastle(translated.qastle).problems.filter((p) => p.severity === 'error');
        // Literals the Python client writes but qastle's own grammar rejects (bytes, complex) are the known exception.
        if (errors.some((p) => p.code === 'qastle/syntax')) return;
        assert.deepEqual(errors, [], translated.qastle);
        const formatted = formatQastle(translated.qastle);
        assert.equal(formatQastle(formatted), formatted);
        assert.deepEqual(
          analyzeQastle(formatted).problems.filter((p) => p.severity === 'error'),
          [],
        );
      }),
      { numRuns: 1500, seed: 1124 },
    );
    // The property is only meaningful if most generated queries translate.
    assert.ok(translatedCount > 1000, `only ${translatedCount} of 1500 generated queries translated`);
  });

  test('qastle analysis and formatting never throw on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(join(QASTLE_PIECES), fc.string({ maxLength: 200 })), (text) => {
        assertInside(text, analyzeQastle(text).problems);
        assert.equal(typeof formatQastle(text), 'string');
      }),
      { numRuns: 1500, seed: 77 },
    );
  });
});
