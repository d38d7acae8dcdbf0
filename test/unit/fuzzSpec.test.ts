import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkSpec } from '../../server/src/language/spec';
import { SpecSession } from '../../server/src/language/spec/incremental';
import { generateSpec } from '../bench/specs';

const options = { readFile: () => undefined };

/** Pieces that real specs are made of, so random texts reach deep into the checker rather than failing at once. */
const PIECES = [
  'General:',
  'Sample:',
  'Definition:',
  '  - ',
  '    ',
  '\n',
  ': ',
  'Name',
  'Dataset',
  'Query',
  'NFiles',
  'Codegen',
  'RucioDID',
  'XRootDFiles',
  '!Rucio ',
  '!FileList ',
  '!CERNOpenData ',
  '!XRootD ',
  '!FuncADL_Uproot ',
  '!UprootRaw ',
  '!PythonFunction ',
  '!TopCP ',
  '!include ',
  '!exclude ',
  '|',
  '>-',
  '&A ',
  '*A',
  '<<: ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '\\',
  '#',
  '0',
  '-1',
  'true',
  'scope:name',
  "FromTree('t').",
  'Select(lambda e: e.x)',
  '.Where(',
  ')',
  '\t',
  '\u00e9',
  '\ud83d',
  '\u0000',
  'OutputFormat: ',
  'parquet',
  'Delivery: ',
  '{"treename": "t"}',
  'reco=a.yaml',
];

const specLike = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((parts) => parts.join(''));

function assertWellFormed(text: string, problems: ReturnType<typeof checkSpec>): void {
  for (const p of problems) {
    assert.ok(
      p.start >= 0 && p.start <= p.end && p.end <= text.length,
      `problem ${p.code} at ${p.start}-${p.end} outside the text`,
    );
    assert.match(p.code, /^(spec|funcadl|qastle)\/[a-z-]+$/);
    assert.ok(p.message.length > 0);
  }
}

describe('fuzzing the spec checker', () => {
  test('never throws and keeps every range inside the text, on spec-like input', () => {
    fc.assert(
      fc.property(specLike, (text) => assertWellFormed(text, checkSpec(text, '/tmp/fuzz.yaml', options))),
      { numRuns: 400, seed: 424242 },
    );
  });

  test('never throws on arbitrary Unicode and binary-looking text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) =>
        assertWellFormed(text, checkSpec(text, undefined, options)),
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test('the incremental session agrees with a whole-file check after any edits', () => {
    const base = generateSpec(2_500);
    const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PIECES) });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const session = new SpecSession();
        let text = base;
        session.check(text, undefined, options);
        for (const { at, remove, insert } of edits) {
          const where = at % (text.length + 1);
          text = text.slice(0, where) + insert + text.slice(where + remove);
          assert.deepEqual(session.check(text, undefined, options), checkSpec(text, undefined, options));
        }
      }),
      { numRuns: 150, seed: 1124 },
    );
  });
});
