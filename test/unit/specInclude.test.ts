import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkSpec } from '../../server/src/language/spec';
import { checkMarked, codesOf, readFileIfPresent as readFile } from '../fixtures/specs/markers';

// `!include`, `!exclude`, anchors and aliases as the client's loader composes them (servicex-facts.md §3.1).
const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-spec-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Writes files under a fresh folder and returns the path of the first one. */
function files(name: string, contents: Record<string, string>): string {
  const root = join(folder, name);
  for (const [file, text] of Object.entries(contents)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return join(root, Object.keys(contents)[0]);
}
const RAW = '!UprootRaw \'[{"treename": "nominal"}]\'';

describe('!include', () => {
  test('splices another file in place; its anchors are usable afterwards', () => {
    const main = files('basic', {
      'spec.yaml': `Definition:\n  !include definitions.yaml\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *DEF_query\n`,
      'definitions.yaml': `- &DEF_query !PythonFunction |\n    def run_query(input_filenames=None):\n        return []\n`,
    });
    assert.deepEqual(checkSpec(readFileSync(main, 'utf8'), main, { readFile }), []);
  });

  test('paths are relative to the including file, also for nested includes', () => {
    const main = files('nested', {
      'spec.yaml': `Definition: !include parts/defs.yaml\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n`,
      'parts/defs.yaml': `- !include query.yaml\n`,
      'parts/query.yaml': `&Q ${RAW}\n`,
    });
    assert.deepEqual(checkSpec(readFileSync(main, 'utf8'), main, { readFile }), []);
  });

  test('a missing file is an error on the !include', () => {
    const main = files('missing', { 'spec.yaml': '' });
    const { actual, expected } = checkMarked(
      `Definition: ⟦!include nowhere.yaml⟧\nSample: []\n`,
      [
        {
          code: 'spec/include-not-found',
          severity: 'error',
          message: `Cannot read nowhere.yaml (${join(dirname(main), 'nowhere.yaml')}): !include paths are relative to the folder of the including file.`,
        },
      ],
      { readFile },
      main,
    );
    assert.deepEqual(
      actual.filter((p) => p.code !== 'spec/empty-sample-list'),
      expected,
    );
  });

  test('an include cycle is reported instead of recursing', () => {
    const main = files('cycle', {
      'spec.yaml': 'Definition: !include a.yaml\nSample: []\n',
      'a.yaml': '- !include b.yaml\n',
      'b.yaml': '- !include a.yaml\n',
    });
    const problems = checkSpec(readFileSync(main, 'utf8'), main, { readFile });
    const cycle = problems.find((p) => p.code === 'spec/include-cycle');
    assert.ok(cycle);
    assert.equal(cycle.severity, 'error');
    assert.equal(
      cycle.message,
      'In b.yaml:1:3: Include cycle: spec.yaml → a.yaml → b.yaml → a.yaml. The Python client would recurse until it fails; remove one of the !include lines.',
    );
    assert.deepEqual([cycle.start, cycle.end], [12, 27]);
  });

  test('problems inside an included file are shown on the !include with their place in that file', () => {
    const main = files('inner', {
      'spec.yaml': 'Sample: !include samples.yaml\n',
      'samples.yaml': `- Name: a\n  Dataset: !Rucio noscope\n  Query: ${RAW}\n`,
    });
    const problems = checkSpec(readFileSync(main, 'utf8'), main, { readFile });
    assert.deepEqual(problems, [
      {
        start: 8,
        end: 29,
        code: 'spec/rucio-scope',
        severity: 'error',
        message:
          'In samples.yaml:2:19: Specified dataset noscope is missing a Rucio namespace. Write the DID as "scope:name", for example user.jdoe:noscope.',
      },
    ]);
  });

  test("an included file does not see the includer's anchors, as the client composes it on its own", () => {
    const main = files('isolated', {
      'spec.yaml': `Definition:\n  - &Q ${RAW}\n  - !include uses.yaml\nSample: []\n`,
      'uses.yaml': '[*Q]\n',
    });
    assert.ok(codesOf(readFileSync(main, 'utf8'), { readFile }, main).includes('error spec/undefined-alias'));
  });

  test('an unsaved spec cannot include relative paths', () => {
    const problems = checkSpec('Definition: !include defs.yaml\nSample: []\n', undefined, { readFile });
    assert.deepEqual(
      problems.map((p) => [p.code, p.message]),
      [
        [
          'spec/include-not-found',
          'Save this spec first: !include paths are relative to the folder of the file that includes them.',
        ],
        ['spec/empty-sample-list', 'The Sample list is empty: nothing will be delivered.'],
      ],
    );
  });
});

describe('!exclude', () => {
  test('drops a sequence item, a mapping entry by key and by value before validation', () => {
    const text = `Sample:
  - Name: a
    Dataset: !Rucio u:a
    Query: ${RAW}
    !exclude NFiles: 0
    Codegen: !exclude not-a-codegen
  - !exclude
    Name: broken
    Dataset: !Rucio noscope
`;
    assert.deepEqual(codesOf(text), []);
  });

  test('anchors defined inside excluded content stay usable', () => {
    const text = `Definition:\n  - !exclude [&Q ${RAW}]\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n`;
    assert.deepEqual(codesOf(text), []);
  });

  test('!exclude elsewhere removes nothing and says so', () => {
    assert.deepEqual(codesOf('!exclude\nSample: []\n'), [
      'warning spec/misplaced-exclude',
      'warning spec/empty-sample-list',
    ]);
  });
});

describe('anchors and aliases', () => {
  test('an alias before its anchor, or to no anchor, is an error', () => {
    const { actual, expected } = checkMarked(
      `Sample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: ⟦*LATER⟧\nDefinition:\n  - &LATER ${RAW}\n`,
      [
        {
          code: 'spec/undefined-alias',
          severity: 'error',
          message:
            'The alias *LATER has no anchor &LATER before it; anchors must be defined earlier in the file (conventionally under Definition) or in a file included earlier.',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('merge keys share settings between samples', () => {
    const text = `Definition:\n  - &common\n    Dataset: !Rucio u:a\n    NFiles: 2\nSample:\n  - <<: *common\n    Name: a\n    Query: ${RAW}\n  - <<: *common\n    Name: b\n    Query: !UprootRaw '[{"treename": "other"}]'\n`;
    assert.deepEqual(codesOf(text), []);
  });

  test('a problem in an aliased node is reported once, where the anchor is', () => {
    const text = `Definition:\n  - &DS !Rucio ⟦noscope⟧\nSample:\n  - Name: a\n    Dataset: *DS\n    Query: ${RAW}\n  - Name: b\n    Dataset: *DS\n    Query: !UprootRaw '[{"treename": "b"}]'\n`;
    const { actual, expected } = checkMarked(text, [
      {
        code: 'spec/rucio-scope',
        severity: 'error',
        message:
          'Specified dataset noscope is missing a Rucio namespace. Write the DID as "scope:name", for example user.jdoe:noscope.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });
});
