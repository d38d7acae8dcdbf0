import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkMarked, codesOf } from '../fixtures/specs/markers';

// The spec's structure as the Python client's pydantic models read it (servicex-facts.md §3.2–3.4).
const ok = (query = '!UprootRaw \'[{"treename": "nominal"}]\'') => query;

describe('the top level of a spec', () => {
  test('a misspelled top-level key is ignored by the client, so it is flagged with what was meant', () => {
    const { actual, expected } = checkMarked(
      `⟦Samples⟧:\n  - Name: a\nSample:\n  - Name: a\n    Dataset: !Rucio user.a:b\n    Query: ${ok()}\n`,
      [
        {
          code: 'spec/unknown-key',
          severity: 'warning',
          message:
            'A ServiceX spec has no key "Samples": the ServiceX client ignores it silently. Did you mean Sample?',
          tags: ['unnecessary'],
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('Sample is required', () => {
    const { actual, expected } = checkMarked('⟦General⟧:\n  Delivery: URLs\n', [
      {
        code: 'spec/missing-sample',
        severity: 'error',
        message:
          'The spec has no Sample list, which the client requires: add "Sample:" with one "- Name: ..." item per sample.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('Sample must be a list: a single mapping is a common slip', () => {
    const { actual, expected } = checkMarked('Sample:\n  ⟦Name: a\n  Dataset: !Rucio a:b\n⟧', [
      {
        code: 'spec/type',
        severity: 'error',
        message: 'Sample must be a list of samples, not a mapping. Start each sample with "- ", as in "- Name: ...".',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('an empty Sample list delivers nothing', () => {
    const { actual, expected } = checkMarked('⟦Sample⟧: []\n', [
      {
        code: 'spec/empty-sample-list',
        severity: 'warning',
        message: 'The Sample list is empty: nothing will be delivered.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('"Definitions" (as the client docs write it) is harmless but not read: information, not a warning', () => {
    const { actual, expected } = checkMarked(
      `⟦Definitions⟧:\n  - &Q ${ok()}\nSample:\n  - Name: a\n    Dataset: !Rucio a:b\n    Query: *Q\n`,
      [
        {
          code: 'spec/unknown-key',
          severity: 'information',
          message:
            'The client reads "Definition", not "Definitions": this key is ignored, though its anchors still work. Rename it to Definition.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('Definition must be a list', () => {
    const { actual, expected } = checkMarked('Definition:\n  ⟦a: 1\n⟧⟦Sample⟧: []\n', [
      {
        code: 'spec/type',
        severity: 'error',
        message: 'Definition must be a list (start each definition with "- "), not a mapping.',
      },
      {
        code: 'spec/empty-sample-list',
        severity: 'warning',
        message: 'The Sample list is empty: nothing will be delivered.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('a second YAML document is refused by the loader', () => {
    const { actual, expected } = checkMarked('Sample: []\n⟦---⟧\nSample: []\n', [
      {
        code: 'spec/multiple-documents',
        severity: 'error',
        message:
          'The ServiceX client reads a single YAML document; remove the "---" and everything after it or move it to another file.',
      },
    ]);
    assert.deepEqual(
      actual.filter((p) => p.code === 'spec/multiple-documents'),
      expected,
    );
  });

  test('repeated keys are refused by the loader', () => {
    const { actual, expected } = checkMarked('⟦Sample⟧: []\nGeneral: {}\n⟦General⟧: {}\n', [
      {
        code: 'spec/empty-sample-list',
        severity: 'warning',
        message: 'The Sample list is empty: nothing will be delivered.',
      },
      {
        code: 'spec/duplicate-key',
        severity: 'error',
        message: 'Map keys must be unique: the Python loader refuses repeated keys; keep one.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('YAML syntax errors are errors at their place', () => {
    const { actual, expected } = checkMarked('Sample:\n  - Name: a\n    Dataset: !Rucio a:b\n    Query: [unclosed⟦⟧', [
      {
        code: 'spec/yaml-syntax',
        severity: 'error',
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
    assert.deepEqual(
      actual.filter((p) => p.code === 'spec/yaml-syntax'),
      expected,
    );
  });
});

describe('General', () => {
  test('OutputFormat root-file is the REST name; the spec says root-ttree', () => {
    const { actual, expected } = checkMarked('General:\n  OutputFormat: ⟦root-file⟧\nSample: []\n', [
      {
        code: 'spec/invalid-value',
        severity: 'error',
        message:
          'OutputFormat "root-file" is not one of parquet, root-ttree, root-rntuple ("root-file" is the REST API name). Did you mean root-ttree?',
      },
    ]);
    assert.deepEqual(actual.slice(0, 1), expected);
  });

  test('Delivery is LocalCache or URLs, case included', () => {
    const { actual, expected } = checkMarked('General:\n  Delivery: ⟦urls⟧\nSample: []\n', [
      {
        code: 'spec/invalid-value',
        severity: 'error',
        message: 'Delivery "urls" is not one of LocalCache, URLs. Did you mean URLs?',
      },
    ]);
    assert.deepEqual(actual.slice(0, 1), expected);
  });

  test('unknown General keys are flagged; the valid ones are not', () => {
    const text =
      'General:\n  OutputFormat: parquet\n  Delivery: URLs\n  OutputDirectory: out\n  OutFilesetName: f\n  IgnoreLocalCache: true\n  Codegen: uproot\n  ⟦OutputFromat⟧: parquet\nSample: []\n';
    const { actual, expected } = checkMarked(text, [
      {
        code: 'spec/unknown-key',
        severity: 'warning',
        message:
          'General has no key "OutputFromat": the ServiceX client ignores it silently. Did you mean OutputFormat?',
        tags: ['unnecessary'],
      },
    ]);
    assert.deepEqual(actual.slice(0, 1), expected);
  });

  test('an empty General is not accepted by the model', () => {
    const { actual, expected } = checkMarked('General:⟦⟧\nSample: []\n', [
      {
        code: 'spec/type',
        severity: 'error',
        message: 'General must be a mapping of settings such as OutputFormat and Delivery, not an empty value.',
      },
    ]);
    assert.deepEqual(actual.slice(0, 1), expected);
  });

  test('IgnoreLocalCache takes what pydantic reads as a boolean', () => {
    assert.deepEqual(codesOf('General:\n  IgnoreLocalCache: yes\nSample: []\n'), ['warning spec/empty-sample-list']);
    assert.deepEqual(codesOf('General:\n  IgnoreLocalCache: maybe\nSample: []\n'), [
      'error spec/type',
      'warning spec/empty-sample-list',
    ]);
  });
});
