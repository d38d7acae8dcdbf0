import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkMarked, codesOf } from '../fixtures/specs/markers';

// The spec's structure as the Python client's pydantic models read it (servicex-facts.md §3.2–3.4).
const ok = (query = '!UprootRaw \'[{"treename": "nominal"}]\'') => query;

describe('a sample', () => {
  const sample = (body: string) => `Sample:\n  - ${body}\n`;

  test('a misspelled sample key is ignored by the client', () => {
    const { actual, expected } = checkMarked(
      sample(`Name: a\n    Dataset: !Rucio a:b\n    ⟦NFile⟧: 3\n    Query: ${ok()}`),
      [
        {
          code: 'spec/unknown-key',
          severity: 'warning',
          message: 'A sample has no key "NFile": the ServiceX client ignores it silently. Did you mean NFiles?',
          tags: ['unnecessary'],
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('a Name is required', () => {
    const { actual, expected } = checkMarked(sample(`⟦Dataset⟧: !Rucio a:b\n    Query: ${ok()}`), [
      {
        code: 'spec/missing-name',
        severity: 'error',
        message: 'This sample has no Name: add "Name: <a short title>".',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('a Name that YAML reads as a number must be quoted', () => {
    const { actual, expected } = checkMarked(sample(`Name: ⟦2018⟧\n    Dataset: !Rucio a:b\n    Query: ${ok()}`), [
      {
        code: 'spec/type',
        severity: 'error',
        message: "Name must be a string, not the number 2018. Quote it: '2018'.",
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('exactly one of Dataset, RucioDID and XRootDFiles', () => {
    const none = checkMarked(sample(`Name: ⟦a⟧\n    Query: ${ok()}`), [
      {
        code: 'spec/missing-dataset',
        severity: 'error',
        message:
          'Must specify one of Dataset, XRootDFiles, or RucioDID: add "Dataset: !Rucio scope:name" (or !FileList, !CERNOpenData, !XRootD).',
      },
    ]);
    assert.deepEqual(none.actual, none.expected);
    const two = checkMarked(sample(`Name: a\n    Dataset: !Rucio a:b\n    ⟦⟦RucioDID⟧⟧: a:b\n    Query: ${ok()}`), [
      {
        code: 'spec/multiple-datasets',
        severity: 'error',
        message: 'Only specify one of Dataset, XRootDFiles, or RucioDID: this sample already has Dataset.',
      },
      {
        code: 'spec/deprecated-key',
        severity: 'warning',
        message: 'RucioDID is deprecated: use "Dataset: !Rucio a:b" instead.',
        tags: ['deprecated'],
      },
    ]);
    assert.deepEqual(two.actual, two.expected);
  });

  test('RucioDID and XRootDFiles still work but are deprecated, with the replacement spelled out', () => {
    const { actual, expected } = checkMarked(
      `Sample:\n  - Name: a\n    ⟦RucioDID⟧: user.kchoi:ttH\n    Query: ${ok()}\n  - Name: b\n    ⟦XRootDFiles⟧: root://host//f.root\n    Query: ${ok()}\n`,
      [
        {
          code: 'spec/deprecated-key',
          severity: 'warning',
          message: 'RucioDID is deprecated: use "Dataset: !Rucio user.kchoi:ttH" instead.',
          tags: ['deprecated'],
        },
        {
          code: 'spec/deprecated-key',
          severity: 'warning',
          message: 'XRootDFiles is deprecated: use "Dataset: !FileList ["root://host//f.root"]" instead.',
          tags: ['deprecated'],
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('NFiles: 0 is refused; a negative count is suspicious; a non-integer is wrong', () => {
    const zero = checkMarked(sample(`Name: a\n    Dataset: !Rucio a:b\n    NFiles: ⟦0⟧\n    Query: ${ok()}`), [
      {
        code: 'spec/nfiles-zero',
        severity: 'error',
        message:
          'NFiles cannot be set to zero for a dataset: remove NFiles to read every file, or give a positive number.',
      },
    ]);
    assert.deepEqual(zero.actual, zero.expected);
    assert.deepEqual(codesOf(sample(`Name: a\n    Dataset: !Rucio a:b\n    NFiles: -2\n    Query: ${ok()}`)), [
      'warning spec/nfiles-negative',
    ]);
    assert.deepEqual(codesOf(sample(`Name: a\n    Dataset: !Rucio a:b\n    NFiles: 2.5\n    Query: ${ok()}`)), [
      'error spec/type',
    ]);
    assert.deepEqual(codesOf(sample(`Name: a\n    Dataset: !Rucio a:b\n    NFiles: 5\n    Query: ${ok()}`)), []);
  });

  test('NFiles is ignored for a file list', () => {
    const { actual, expected } = checkMarked(
      sample(`Name: a\n    Dataset: !FileList [f.root]\n    ⟦NFiles⟧: 1\n    Query: ${ok()}`),
      [
        {
          code: 'spec/nfiles-ignored',
          severity: 'warning',
          message:
            'NFiles is ignored for a file list: ServiceX reads every file listed. Remove NFiles, or list fewer files.',
          tags: ['unnecessary'],
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('a sample without a Query loads but fails at deliver time: a warning on its name', () => {
    const { actual, expected } = checkMarked(
      sample('Name: ⟦ttH7⟧\n    Dataset: !XRootD root://eos//path/*/file.root'),
      [
        {
          code: 'spec/missing-query',
          severity: 'warning',
          message:
            'This sample has no Query: the client loads the spec but fails when it delivers ("query argument cannot be None").',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('a plain-string Query needs a Codegen in the sample or in General', () => {
    const { actual, expected } = checkMarked(
      sample('Name: a\n    Dataset: !Rucio a:b\n    Query: ⟦(call EventDataset)⟧'),
      [
        {
          code: 'spec/string-query-without-codegen',
          severity: 'error',
          message:
            'A pure string query requires a Codegen: tag the query (!FuncADL_Uproot, !UprootRaw, !PythonFunction or !TopCP) or add Codegen to the sample or to General.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
    assert.deepEqual(
      codesOf(`General:\n  Codegen: uproot\n${sample('Name: a\n    Dataset: !Rucio a:b\n    Query: x')}`),
      [],
    );
    assert.deepEqual(codesOf(sample('Name: a\n    Dataset: !Rucio a:b\n    Codegen: python\n    Query: x')), []);
  });
});
