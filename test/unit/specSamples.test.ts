import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkMarked, codesOf } from '../fixtures/specs/markers';

const RAW = '!UprootRaw \'[{"treename": "nominal"}]\'';
const one = (fields: string) => `Sample:\n  - Name: a\n    ${fields}\n`;

describe('dataset tags', () => {
  test('a Rucio DID needs its scope, whether written with !Rucio or RucioDID', () => {
    const { actual, expected } = checkMarked(
      `Sample:\n  - Name: a\n    Dataset: !Rucio ⟦my.rucio.dataset.name⟧\n    Query: ${RAW}\n`,
      [
        {
          code: 'spec/rucio-scope',
          severity: 'error',
          message:
            'Specified dataset my.rucio.dataset.name is missing a Rucio namespace. Write the DID as "scope:name", for example user.jdoe:my.rucio.dataset.name.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
    assert.deepEqual(codesOf(one(`RucioDID: ttH.v11\n    Query: ${RAW}`)), [
      'warning spec/deprecated-key',
      'error spec/rucio-scope',
    ]);
  });

  test('!CERNOpenData takes an integer record id', () => {
    const { actual, expected } = checkMarked(one(`Dataset: !CERNOpenData ⟦Run2012B⟧\n    Query: ${RAW}`), [
      {
        code: 'spec/cern-open-data-id',
        severity: 'error',
        message:
          '!CERNOpenData takes the integer record id of the dataset (for example !CERNOpenData 179), not "Run2012B".',
      },
    ]);
    assert.deepEqual(actual, expected);
    assert.deepEqual(codesOf(one(`Dataset: !CERNOpenData 1507\n    Query: ${RAW}`)), []);
  });

  test('!FileList takes a list, in flow or block style', () => {
    const { actual, expected } = checkMarked(one(`Dataset: !FileList ⟦f.root⟧\n    Query: ${RAW}`), [
      {
        code: 'spec/type',
        severity: 'error',
        message: '!FileList must be a list of file paths or URLs, not a !FileList value. Write: !FileList ["f.root"]',
      },
    ]);
    assert.deepEqual(actual, expected);
    assert.deepEqual(codesOf(one(`Dataset: !FileList\n      - a.root\n      - b.root\n    Query: ${RAW}`)), []);
    assert.deepEqual(codesOf(one(`Dataset: !FileList []\n    Query: ${RAW}`)), ['warning spec/empty-file-list']);
  });

  test('Dataset needs a dataset tag, and a query tag there is a mix-up', () => {
    const untagged = checkMarked(one(`Dataset: ⟦user.a:b⟧\n    Query: ${RAW}`), [
      {
        code: 'spec/missing-tag',
        severity: 'error',
        message:
          'Dataset needs a tag saying what kind of dataset it is: !Rucio, !FileList, !CERNOpenData, !XRootD. For a Rucio DID write: Dataset: !Rucio user.a:b',
      },
    ]);
    assert.deepEqual(untagged.actual, untagged.expected);
    const swapped = checkMarked(one(`Dataset: ⟦!UprootRaw⟧ '[]'\n    Query: ${RAW}`), [
      {
        code: 'spec/wrong-tag',
        severity: 'error',
        message:
          '!UprootRaw is a query tag and belongs under Query; Dataset takes !Rucio, !FileList, !CERNOpenData, !XRootD.',
      },
    ]);
    assert.deepEqual(
      swapped.actual.filter((p) => p.code === 'spec/wrong-tag'),
      swapped.expected,
    );
  });

  test('an unknown tag stops the loader; the old !Python tag is recognised as !PythonFunction', () => {
    const { actual, expected } = checkMarked(
      one('Dataset: !Rucio a:b\n    Query: ⟦!Python⟧ |\n      def run_query(f): return f'),
      [
        {
          code: 'spec/unknown-tag',
          severity: 'error',
          message:
            'Unknown tag !Python: the ServiceX client cannot load a spec with it. Did you mean !PythonFunction? Datasets take !Rucio !FileList !CERNOpenData !XRootD; queries take !FuncADL_Uproot !UprootRaw !PythonFunction !TopCP.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('xAOD and CMS func_adl tags exist but cannot be read from YAML', () => {
    const { actual, expected } = checkMarked(
      one('Dataset: !Rucio a:b\n    Query: ⟦!FuncADL_ATLASr22⟧ |\n      Select(lambda e: e.Jets())'),
      [
        {
          code: 'spec/unsupported-tag',
          severity: 'error',
          message:
            '!FuncADL_ATLASr22 queries cannot be written in a YAML spec: the client has no YAML reader for this query class. Build the query in Python (func_adl_servicex_xaodr2x), or use !FuncADL_Uproot, !UprootRaw, !PythonFunction or !TopCP.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });
});

describe('across samples', () => {
  test('two samples with the same dataset, NFiles, query and Codegen are refused, whatever their names', () => {
    const text = `Sample:
  - Name: ttH3
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    Query: !UprootRaw |
                [{"treename": "nominal"}]
  - Name: ⟦ttH4⟧
    Dataset: !Rucio user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    Query: !UprootRaw '[{"treename":"nominal"}]'
`;
    const { actual, expected } = checkMarked(text, [
      {
        code: 'spec/duplicate-sample',
        severity: 'error',
        message:
          'Duplicate samples detected: ttH4 has the same dataset, NFiles, query and Codegen as "ttH3" (line 2), and the client refuses the spec. Change one of them; the Name does not count.',
      },
    ]);
    assert.deepEqual(
      actual.filter((p) => p.code === 'spec/duplicate-sample'),
      expected,
    );
  });

  test('the order of a file list does not make samples distinct, but NFiles or the query does', () => {
    const pair = (second: string) =>
      `Sample:\n  - Name: a\n    Dataset: !FileList ["/f2.root", "/f1.root"]\n    Query: ${RAW}\n  - Name: b\n${second}`;
    assert.deepEqual(codesOf(pair(`    Dataset: !FileList ["/f1.root", "/f2.root"]\n    Query: ${RAW}\n`)), [
      'error spec/duplicate-sample',
    ]);
    assert.deepEqual(
      codesOf(
        pair(
          `    Dataset: !FileList ["/f1.root", "/f2.root"]\n    Query: !UprootRaw '[{"treename": "CollectionTree"}]'\n`,
        ),
      ),
      [],
    );
    assert.deepEqual(
      codesOf(pair(`    Dataset: !FileList ["/f1.root", "/f2.root"]\n    Codegen: uproot-raw\n    Query: ${RAW}\n`)),
      [],
    );
  });

  test('sample names should be unique: results are keyed by name', () => {
    const text = `Sample:\n  - Name: ttH\n    Dataset: !Rucio a:b\n    Query: ${RAW}\n  - Name: ⟦ttH⟧\n    Dataset: !Rucio a:c\n    Query: ${RAW}\n`;
    const { actual, expected } = checkMarked(text, [
      {
        code: 'spec/duplicate-name',
        severity: 'warning',
        message:
          'Another sample is already named "ttH" (line 2): results are keyed by sample name, so one would replace the other.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('names over 128 characters are truncated, or refused over the server limit when it is known', () => {
    const name = 'x'.repeat(130);
    const text = `Sample:\n  - Name: ⟦${name}⟧\n    Dataset: !Rucio a:b\n    Query: ${RAW}\n`;
    const truncated = checkMarked(text, [
      {
        code: 'spec/name-too-long',
        severity: 'warning',
        message:
          'Sample name is 130 characters: unless the server advertises long titles, the client truncates it to 128.',
      },
    ]);
    assert.deepEqual(truncated.actual, truncated.expected);
    assert.deepEqual(codesOf(text, { maxTitleLength: 10240 }), []);
    const refused = checkMarked(
      text,
      [
        {
          code: 'spec/name-too-long',
          severity: 'error',
          message: `Sample name "${'x'.repeat(40)}…" is 130 characters; this ServiceX accepts at most 100, and the client refuses it ("length too long").`,
        },
      ],
      { maxTitleLength: 100 },
    );
    assert.deepEqual(refused.actual, refused.expected);
  });

  test('length counts characters as Python does: 100 emoji are 100 characters, not 200', () => {
    const text = `Sample:\n  - Name: ${'🎯'.repeat(100)}\n    Dataset: !Rucio a:b\n    Query: ${RAW}\n`;
    assert.deepEqual(codesOf(text), []);
    assert.deepEqual(codesOf(text, { maxTitleLength: 100 }), []);
    assert.deepEqual(codesOf(text, { maxTitleLength: 99 }), ['error spec/name-too-long']);
  });
});

describe('code generators', () => {
  test('without a facility, a Codegen is checked against the ones the client knows (a warning)', () => {
    const { actual, expected } = checkMarked(one(`Dataset: !Rucio a:b\n    Codegen: ⟦uproot_raw⟧\n    Query: ${RAW}`), [
      {
        code: 'spec/unknown-codegen',
        severity: 'warning',
        message:
          '"uproot_raw" is not a code generator the ServiceX client knows (atlasr21, atlasr22, atlasxaod, cms, cmssw-5-3-32, python, topcp, uproot, uproot-raw). Did you mean "uproot-raw"? Connect to the facility to check against its own list.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test("with the facility's list, an unknown Codegen is an error", () => {
    const { actual, expected } = checkMarked(
      `General:\n  Codegen: ⟦atlasr22⟧\n${one(`Dataset: !Rucio a:b\n    Query: ${RAW}`)}`,
      [
        {
          code: 'spec/unknown-codegen',
          severity: 'error',
          message:
            'The connected ServiceX has no code generator "atlasr22"; it offers python, uproot, uproot-raw. The client fails with NameError when it submits.',
        },
      ],
      { codegens: ['uproot', 'uproot-raw', 'python'] },
    );
    assert.deepEqual(actual, expected);
  });

  test("a query tag's own code generator must be offered by the facility when no Codegen overrides it", () => {
    const text = one("Dataset: !Rucio a:b\n    Query: ⟦!TopCP⟧ 'reco=reco.yaml'");
    const { actual, expected } = checkMarked(
      text,
      [
        {
          code: 'spec/unknown-codegen',
          severity: 'error',
          message:
            'The connected ServiceX has no "topcp" code generator, which !TopCP queries use; it offers python, uproot. Ask the facility to enable it, or use another query type.',
        },
      ],
      { codegens: ['uproot', 'python'], readFile: () => 'reco: {}' },
    );
    assert.deepEqual(actual, expected);
    assert.deepEqual(codesOf(text.replace(/[⟦⟧]/g, ''), { codegens: ['topcp'], readFile: () => '' }), []);
  });
});
