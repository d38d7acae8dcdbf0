import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/language/service';
import { marked } from '../fixtures/specs/markers';

// ⟦⟧ marks the cursor (an empty range) and, when the target is in the same file, ⟦…⟧ the expected target.
const files: Record<string, string> = {
  '/work/defs/queries.yaml': "- &JETS !FuncADL_Uproot |\n    FromTree('t').Select(lambda e: e.jet_pt)\n",
  '/work/my folder/other.yaml': 'Sample: []\n',
};
const service = createLanguageService({ readFile: (path) => files[path] });

function definition(source: string) {
  const { text, ranges } = marked(source);
  const document = TextDocument.create('file:///work/spec.yaml', 'yaml', 1, text);
  const cursor = ranges.find((r) => r.start === r.end) ?? ranges[0];
  const target = ranges.find((r) => r !== cursor);
  return {
    locations: service.definition(document, document.positionAt(cursor.start)),
    target: target && { start: document.positionAt(target.start), end: document.positionAt(target.end) },
  };
}

describe('go to definition in a spec', () => {
  test('an alias goes to its anchor', () => {
    const { locations, target } = definition(
      'Definition:\n  - ⟦&DID⟧ !Rucio user.a:ttbar\nSample:\n  - Name: a\n    Dataset: *D⟦⟧ID\n',
    );
    assert.deepEqual(locations, [{ uri: 'file:///work/spec.yaml', range: target }]);
  });

  test('the latest anchor before the alias wins, as in YAML', () => {
    const { locations, target } = definition('Definition:\n  - &A 1\n  - ⟦&A⟧ 2\n  - *A⟦⟧\n  - &A 3\n');
    assert.deepEqual(locations, [{ uri: 'file:///work/spec.yaml', range: target }]);
  });

  test('an alias defined in an included file goes into that file', () => {
    const { locations } = definition(
      'Definition: !include defs/queries.yaml\nSample:\n  - Name: a\n    Query: *⟦⟧JETS\n',
    );
    assert.deepEqual(locations, [
      {
        uri: 'file:///work/defs/queries.yaml',
        range: { start: { line: 0, character: 2 }, end: { line: 0, character: 7 } },
      },
    ]);
  });

  test('an !include goes to the file, with its path encoded in the URI', () => {
    const { locations } = definition('Definition: !incl⟦⟧ude "my folder/other.yaml"\n');
    assert.deepEqual(locations, [
      {
        uri: 'file:///work/my%20folder/other.yaml',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    ]);
  });

  test('an alias without an anchor, a missing include and a plain word go nowhere', () => {
    assert.deepEqual(definition('Sample:\n  - Query: *NO⟦⟧NE\n').locations, []);
    assert.deepEqual(definition('Definition: !include miss⟦⟧ing.yaml\n').locations, []);
    assert.deepEqual(definition('Sample:\n  - Name: ab⟦⟧c\n').locations, []);
  });
});
