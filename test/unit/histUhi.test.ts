import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  fromUhi,
  parseUhi,
  readStoredHistogram,
  toUhi,
  validateUhi,
  writeUhi,
  type Histogram1D,
} from '../../server/src/hist';
import { parsePythonJson } from '../../server/src/hist/pythonJson';
import { PYTHON, scratch, UHI_DATA } from './histSupport';

// UHI JSON against uhi's own test files: the valid ones load, the invalid ones give the Python validator's message.
const folder = scratch('hist-uhi');
after(() => folder.dispose());
const read = (name: string) => readFileSync(join(UHI_DATA, name), 'utf8');
const files = readdirSync(UHI_DATA);

describe('UHI JSON files', () => {
  for (const name of files.filter((f) => f.startsWith('valid_'))) {
    test(`${name} loads and every histogram in it can be drawn or is refused with a reason`, () => {
      const document = parseUhi(read(name), name);
      assert.ok(Object.keys(document).length > 0);
      for (const key of Object.keys(document)) {
        const axes = document[key].axes.length;
        if (axes === 0) assert.throws(() => fromUhi(document, key), /only 1-D and 2-D/);
        else assert.equal(fromUhi(document, key).kind, axes === 1 ? '1d' : '2d');
      }
    });
  }

  for (const name of files.filter((f) => f.startsWith('invalid_') && f.endsWith('.json'))) {
    test(`${name} is refused with the validator's message`, () => {
      const expected = read(name.replace(/\.json$/, '.error.txt')).trim();
      const problems = validateUhi(parsePythonJson(read(name)));
      assert.ok(problems.length > 0);
      // Same path and the same opening words as Python's message; ours may go on to say what to write instead.
      assert.ok(
        problems.some((p) => p.startsWith(expected)),
        `${problems.join(' | ')} should start with ${expected}`,
      );
      assert.throws(
        () => parseUhi(read(name), name),
        (error: Error) => error.message.startsWith(`${name} is not valid UHI JSON: ${expected}`),
      );
    });
  }

  test("Python's NaN, Infinity and -Infinity are read as numbers, and written back the same way", () => {
    const document = parseUhi(read('valid_mean.json'));
    const variances = document.weighted_mean.storage.variances as number[];
    assert.ok(Number.isNaN(variances[0]));
    assert.equal(variances[2], -Infinity);
    const again = parseUhi(writeUhi(document));
    assert.deepEqual(again, document);
    assert.match(writeUhi(document), /\[NaN, 0\.4999999999999996, -Infinity, NaN, NaN, NaN\]/);
  });

  test('sparse storage expands into its bins; flow bins come out apart', () => {
    const h = fromUhi(parseUhi(read('valid_sparse.json')), 'first') as Histogram1D;
    assert.deepEqual([h.underflow, ...h.values, h.overflow], [0, 3, 5, 0, 0]);
    const reg = fromUhi(parseUhi(read('valid_reg.json')), 'two') as Histogram1D;
    assert.deepEqual([reg.underflow, reg.values, reg.overflow], [1, [2, 3, 4, 5, 6], 7]);
    assert.deepEqual(reg.edges, [0, 1, 2, 3, 4, 5]);
  });

  test('a 2-D document with a category axis and no overflow keeps each value in its cell', () => {
    const h = fromUhi(parseUhi(read('valid_2d.json')), 'main');
    assert.equal(h.kind, '2d');
    // The variable axis has an underflow row [1, 2, 3]; the three bins hold the other rows.
    assert.deepEqual(h.kind === '2d' && h.values, [
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
    ]);
  });

  test('what the schema cannot say: data arrays must have the shape the axes give', () => {
    const document = JSON.parse(read('valid_reg.json')) as { one: { storage: { values: number[] } } };
    document.one.storage.values.pop();
    assert.deepEqual(validateUhi(document), [
      'data.one.storage.values has 4 entries along axis 0, but the axes give 5 (bins plus flow bins)',
    ]);
  });

  test('storage fields come all or none, and axes need their fields', () => {
    const hist = (axes: unknown[], storage: unknown) => ({ h: { uhi_schema: 1, axes, storage } });
    const regular = {
      type: 'regular',
      lower: 0,
      upper: 1,
      bins: 2,
      underflow: false,
      overflow: false,
      circular: false,
    };
    assert.deepEqual(validateUhi(hist([regular], { type: 'weighted', values: [1, 2] })), [
      "data.h.storage must contain ['variances'] properties (a weighted storage holds all of ['values', 'variances'] or none)",
    ]);
    assert.match(
      validateUhi(hist([{ type: 'regular', lower: 0 }], { type: 'int' }))[0],
      /^data\.h\.axes\[0\] must contain \['upper', 'bins'/,
    );
    assert.match(validateUhi(hist([{ type: 'polar' }], { type: 'int' }))[0], /type is one of/);
    assert.match(
      validateUhi(hist([regular], { type: 'int', values: [1, 2], extra: 1 }))[0],
      /must not contain 'extra'/,
    );
    assert.match(validateUhi({ h: { axes: [], storage: { type: 'int' }, uhi_schema: 2 } })[0], /uhi_schema must be 1/);
    assert.deepEqual(validateUhi(hist([regular], { type: 'int' })), []);
  });

  test('broken JSON says where', () => {
    assert.throws(() => parseUhi('{\n  "a": [1, 2,]\n}'), /not valid JSON: unexpected "]" at line 2, column 14/);
    assert.throws(() => parseUhi('{"a": 1'), /expected "," or "}" at line 1, column 8/);
  });
});

describe('writing UHI', () => {
  test('an engine histogram written as UHI reads back to the same bins', () => {
    const h: Histogram1D = {
      kind: '1d',
      name: 'pt',
      axis: { type: 'variable', edges: [0, 1, 5] },
      edges: [0, 1, 5],
      values: [2.5, 1],
      variances: [3.25, 1],
      underflow: 0.5,
      overflow: 0,
      underflowVariance: 0.25,
      overflowVariance: 0,
      entries: 4,
    };
    const text = writeUhi({ pt: toUhi(h) });
    const back = fromUhi(parseUhi(text), 'pt') as Histogram1D;
    assert.deepEqual([back.underflow, back.values, back.overflow], [0.5, [2.5, 1], 0]);
    assert.deepEqual(back.variances, [3.25, 1]);
    const path = folder.file('pt.json');
    writeFileSync(path, text);
    return readStoredHistogram(path).then((stored) => assert.deepEqual(stored.ok && stored.value, back));
  });

  test("what we write passes uhi's JSON schema in Python's jsonschema", () => {
    // The reference is a real schema validator; without it the test fails rather than passing unchecked.
    assert.equal(
      spawnSync(PYTHON, ['-c', 'import jsonschema']).status,
      0,
      'python3-jsonschema is needed for this check (apt-get install python3-jsonschema)',
    );
    const h: Histogram1D = {
      kind: '1d',
      name: 'x',
      axis: { type: 'regular', bins: 3, lower: -1, upper: 2 },
      edges: [-1, 0, 1, 2],
      values: [1, 2, 3],
      underflow: 0,
      overflow: 1,
      entries: 7,
      mean: NaN,
    };
    const path = folder.file('x.json');
    writeFileSync(path, writeUhi({ x: toUhi(h) }));
    const check = spawnSync(
      PYTHON,
      [
        '-c',
        'import json, sys, jsonschema\njsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))',
        path,
        join(UHI_DATA, 'histogram.schema.json'),
      ],
      { encoding: 'utf8' },
    );
    assert.equal(check.status, 0, check.stderr);
    // The same check refuses one of uhi's invalid files, so it is a real check.
    const invalid = spawnSync(
      PYTHON,
      [
        '-c',
        'import json, sys, jsonschema\njsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))',
        join(UHI_DATA, 'invalid_missing_axis.json'),
        join(UHI_DATA, 'histogram.schema.json'),
      ],
      { encoding: 'utf8' },
    );
    assert.notEqual(invalid.status, 0);
  });
});
