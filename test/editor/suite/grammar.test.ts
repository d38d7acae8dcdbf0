import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadGrammar, scopesOf, tokenize } from '../../support/textmate';
import { EXTENSION_ID } from './extension';

// The injection grammar can only be checked against VS Code's own YAML grammar, which ships with the editor: this
// test tokenises a spec with that grammar, our injection and our func_adl grammar, as the editor does.
describe('query colouring inside ServiceX specs', () => {
  it('colours a !FuncADL_Uproot block as func_adl and leaves the rest of the YAML alone', async () => {
    const yaml = vscode.extensions.getExtension('vscode.yaml');
    assert.ok(yaml, 'VS Code’s YAML extension is not there');
    // VS Code's YAML grammar is split into several files (one per YAML version, embedded parts): load them all.
    const yamlGrammars = (yaml.packageJSON as { contributes: { grammars: { scopeName: string; path: string }[] } })
      .contributes.grammars;
    const yamlFiles = Object.fromEntries(yamlGrammars.map((g) => [g.scopeName, join(yaml.extensionPath, g.path)]));
    assert.ok(yamlFiles['source.yaml']);
    const ours = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ours);
    const syntaxes = join(ours.extensionPath, 'syntaxes');
    const grammar = await loadGrammar(
      'source.yaml',
      {
        ...yamlFiles,
        'source.yaml.servicex-injection': join(syntaxes, 'servicex-yaml.injection.tmLanguage.json'),
        'source.funcadl': join(syntaxes, 'funcadl.tmLanguage.json'),
      },
      { 'source.yaml': ['source.yaml.servicex-injection'] },
    );
    const tokens = tokenize(
      grammar,
      [
        'Sample:',
        '  - Name: ttbar',
        '    Query: !FuncADL_Uproot |',
        "      FromTree('Events').Where(lambda e: e.nMuon > 1)",
        '    NFiles: 2',
      ].join('\n'),
    );
    assert.ok(scopesOf(tokens, 'Where').includes('support.function.linq.funcadl'));
    assert.ok(scopesOf(tokens, 'Where').includes('meta.embedded.block.funcadl'));
    assert.ok(scopesOf(tokens, '!FuncADL_Uproot').includes('storage.type.tag-handle.servicex.yaml'));
    const after = tokens.filter((t) => t.text.includes('NFiles'));
    assert.ok(
      after.length > 0 && after.every((t) => !t.scopes.some((s) => s.includes('funcadl'))),
      'the block ends with its indentation',
    );
    assert.ok(
      after.some((t) => t.scopes.some((s) => s.includes('yaml') && s !== 'source.yaml')),
      'YAML keys are YAML again',
    );
  });
});
