// The request hash of the Python client's cache: Python's str() of a list, sha256'd, against CPython itself.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareCodePoints, isPrintablePython, pythonRepr, pythonStrRepr } from '../../client/src/delivery/pythonRepr';
import { requestHash, transformRequestBody, type ResultFormat } from '../../client/src/delivery/transformRequest';
import { runPython } from '../fixtures/delivery/python';

const HOSTILE = [
  '',
  "it's",
  'say "hi"',
  `both ' and "`,
  'back\\slash',
  '\\',
  "'",
  '"',
  'line\nbreak\r\n',
  'tab\there',
  '\x00\x01\x1f\x7f\x80\x9f\xa0\xad',
  'é ñ ü ß',
  'μμ → ∞',
  '😀 emoji 👩‍👩‍👧',
  'a\u2028b\u2029c',
  '\u200b\u200e\ufeff',
  '\ue000 private',
  '\u0378 unassigned',
  '\u{1fae8} shaking face (Unicode 15)',
  '\u{31350} CJK extension H',
  '\u{10ffff}',
  'root://eospublic.cern.ch//eos/opendata/atlas/file.root',
];

/** Python's repr of each string and the sha256 of str() of a list of them. */
function pythonReprs(strings: readonly string[]): string[] {
  return runPython<string[]>('print(json.dumps([repr(s) for s in data]))', strings);
}

describe("Python's repr of a str", () => {
  test('fixed hostile strings: quotes of both kinds, escapes, control and non-ASCII characters', () => {
    assert.deepEqual(HOSTILE.map(pythonStrRepr), pythonReprs(HOSTILE));
  });

  test('lone surrogates are escaped as Python escapes them', () => {
    const strings = ['\ud800', 'a\udfffb', '\udbff\ud800x'];
    assert.deepEqual(strings.map(pythonStrRepr), pythonReprs(strings));
  });

  test('arbitrary strings of any code points (fast-check)', () => {
    const strings = fc.sample(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: fc.constantFrom("'", '"', '\\', 'a', '\n', '\u2028'), maxLength: 8 }),
      ),
      { numRuns: 3000, seed: 20261125 },
    );
    const expected = pythonReprs(strings);
    strings.forEach((s, i) => assert.equal(pythonStrRepr(s), expected[i], `repr of ${JSON.stringify(s)}`));
  });

  test("the printable table equals Python 3.11's str.isprintable for every code point", () => {
    const bitmap = runPython<string>(
      "print(json.dumps(''.join('1' if chr(c).isprintable() else '0' for c in range(0x110000))))",
      null,
    );
    const wrong: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (isPrintablePython(cp) !== (bitmap[cp] === '1')) wrong.push(cp.toString(16));
    }
    assert.deepEqual(wrong.slice(0, 20), []);
  });
});

describe('sorting as Python sorts str', () => {
  test('code point order, not UTF-16 order, above U+FFFF', () => {
    const strings = ['\uff01', '\u{1f600}', 'a', '\ue000', 'ab', ''];
    const sorted = runPython<string[]>('print(json.dumps(sorted(data)))', strings);
    assert.deepEqual([...strings].sort(compareCodePoints), sorted);
    assert.notDeepEqual([...strings].sort(), sorted);
  });
});

/** What compute_hash hashes, computed by Python from the same fields. */
function pythonHashes(
  cases: readonly { did: string | null; selection: string; codegen: string; format: string; files: string[] | null }[],
) {
  return runPython<string[]>(
    `import hashlib
names = {'parquet': 'parquet', 'root-file': 'root_ttree', 'root-rntuple': 'root_rntuple'}
out = []
for c in data:
    files = sorted(c['files']) if c['files'] else None
    text = str([c['did'], c['selection'], None, c['codegen'], None, names[c['format']], files])
    out.append(hashlib.sha256(text.encode('utf-8')).hexdigest())
print(json.dumps(out))`,
    cases,
  );
}

describe('requestHash equals TransformRequest.compute_hash', () => {
  test('a DID request and a file-list request, the title and client version not counting', () => {
    const did = transformRequestBody({
      title: 'ttH',
      did: 'rucio://mc16_13TeV:mc16_13TeV.345060?files=2',
      selection: "(call EventDataset 'bogus.root' 'mini')",
      codegen: 'uproot',
      resultFormat: 'root-file',
      clientVersion: '3.3.1',
    });
    const files = transformRequestBody({
      title: 'other title',
      fileList: ['root://b/2.root', 'root://a/1.root'],
      selection: '[{"treename": "nominal"}]',
      codegen: 'uproot-raw',
      resultFormat: 'parquet',
    });
    const expected = pythonHashes([
      { did: did.did ?? null, selection: did.selection, codegen: 'uproot', format: 'root-file', files: null },
      {
        did: null,
        selection: files.selection,
        codegen: 'uproot-raw',
        format: 'parquet',
        files: ['root://b/2.root', 'root://a/1.root'],
      },
    ]);
    assert.deepEqual([requestHash(did), requestHash(files)], expected);
    assert.equal(requestHash({ ...did, title: 'renamed', 'client-version': '9' }), expected[0]);
  });

  test('an empty file list hashes as None', () => {
    const body = transformRequestBody({
      fileList: [],
      selection: 's',
      codegen: 'python',
      resultFormat: 'root-rntuple',
    });
    assert.deepEqual(body['file-list'], []);
    assert.deepEqual(
      [requestHash(body)],
      pythonHashes([{ did: null, selection: 's', codegen: 'python', format: 'root-rntuple', files: [] }]),
    );
  });

  test('hostile and arbitrary values (fast-check), files in any order', () => {
    const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 30 }));
    const arbitrary = fc.record({
      did: fc.option(text, { nil: null }),
      selection: text,
      codegen: text,
      format: fc.constantFrom<ResultFormat>('parquet', 'root-file', 'root-rntuple'),
      files: fc.option(fc.array(text, { maxLength: 5 }), { nil: null }),
    });
    // A request has a DID or a file list, never both.
    const cases = fc.sample(arbitrary, { numRuns: 1500, seed: 7 }).map((c) => (c.files ? { ...c, did: null } : c));
    const expected = pythonHashes(cases);
    cases.forEach((c, i) => {
      const body = transformRequestBody({
        ...(c.files ? { fileList: c.files } : c.did !== null ? { did: c.did } : {}),
        selection: c.selection,
        codegen: c.codegen,
        resultFormat: c.format,
      });
      assert.equal(requestHash(body), expected[i], `hash of ${JSON.stringify(c)}`);
    });
  });

  test('str() of nested lists and None', () => {
    assert.deepEqual(
      [pythonRepr([null, 'a', ['b', "c'"], []])],
      runPython<string[]>('print(json.dumps([str([None, "a", ["b", "c\'"], []])]))', null),
    );
  });
});
