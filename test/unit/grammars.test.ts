import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadGrammar, scopesOf, tokenize } from '../support/textmate';

const syntaxes = join(__dirname, '..', '..', '..', 'syntaxes');
const files = {
  'source.funcadl': join(syntaxes, 'funcadl.tmLanguage.json'),
  'source.qastle': join(syntaxes, 'qastle.tmLanguage.json'),
};

describe('TextMate grammars', () => {
  test('func_adl: LINQ operators, lambdas, strings and numbers', async () => {
    const grammar = await loadGrammar('source.funcadl', files);
    const tokens = tokenize(grammar, "FromTree('mini').Where(lambda e: e.lep_pt > 25e3).Select(lambda e: {'n': e.n})");
    assert.ok(scopesOf(tokens, 'Where').includes('support.function.linq.funcadl'));
    assert.ok(scopesOf(tokens, 'lambda').includes('storage.type.function.lambda.funcadl'));
    assert.ok(scopesOf(tokens, "'mini'").includes('string.quoted.single.funcadl'));
    assert.ok(scopesOf(tokens, '25e3').includes('constant.numeric.funcadl'));
    assert.ok(scopesOf(tokens, 'FromTree').includes('entity.name.function.funcadl'));
  });

  test('qastle: node heads, atoms and strings', async () => {
    const grammar = await loadGrammar('source.qastle', files);
    const tokens = tokenize(
      grammar,
      "(Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (attr e 'lep_pt')))",
    );
    assert.ok(scopesOf(tokens, 'Select').includes('keyword.control.node.qastle'));
    assert.ok(scopesOf(tokens, 'lambda').includes('keyword.control.node.qastle'));
    assert.ok(scopesOf(tokens, "'bogus.root'").includes('string.quoted.single.qastle'));
    assert.ok(scopesOf(tokens, 'EventDataset').includes('variable.other.qastle'));
  });
});
