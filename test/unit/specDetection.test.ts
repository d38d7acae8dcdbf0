import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isQueryDocument, looksLikeServiceXSpec } from '../../client/src/language/specDetection';

describe('which documents start the language server', () => {
  test('ServiceX specs are recognised by their top-level keys or tags, whatever the file name', () => {
    assert.equal(looksLikeServiceXSpec('General:\n  Delivery: LocalCache\n'), true);
    assert.equal(looksLikeServiceXSpec('Sample:\n  - Name: a\n'), true);
    assert.equal(looksLikeServiceXSpec('Definition:\n  - &DEF x\n'), true);
    assert.equal(looksLikeServiceXSpec('samples:\n  q: !FuncADL_Uproot |\n    x\n'), true);
  });

  test('other YAML is left alone', () => {
    assert.equal(looksLikeServiceXSpec('apiVersion: v1\nkind: Pod\n'), false);
    assert.equal(looksLikeServiceXSpec('  Sample: nested, not top level\n'), false);
    assert.equal(looksLikeServiceXSpec('name: !Ref Rucio\n'), false);
  });

  test('func_adl and qastle files always start it, YAML only by content', () => {
    const never = () => assert.fail('the text of a query file should not be read');
    assert.equal(isQueryDocument('funcadl', never), true);
    assert.equal(isQueryDocument('qastle', never), true);
    assert.equal(
      isQueryDocument('yaml', () => 'Sample: []'),
      true,
    );
    assert.equal(
      isQueryDocument('yaml', () => 'a: 1'),
      false,
    );
    assert.equal(
      isQueryDocument('python', () => 'Sample: []'),
      false,
    );
  });
});
