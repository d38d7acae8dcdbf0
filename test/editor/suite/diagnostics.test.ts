import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated } from './extension';

/** Resolves with the diagnostics of `uri` once `accept` takes them (the server publishes asynchronously). */
function diagnosticsOf(
  uri: vscode.Uri,
  accept: (d: readonly vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const current = vscode.languages.getDiagnostics(uri);
      if (!accept(current)) return false;
      subscription.dispose();
      resolve(current);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

/** Our server sends codes as plain strings. */
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const codes = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.map(codeOf).sort();

describe('ServiceX diagnostics in the editor', () => {
  const spec = [
    'General:',
    '  OutputFormat: root-file',
    'Sample:',
    '  - Name: zmumu',
    '    RucioDID: user.alice:zmumu',
    '    NFile: 2',
    '    Codegen: atlasr21',
    '    Query: !FuncADL_Uproot |',
    "      FromTree('events').Select(lambda e: e.Muon_pt)",
    '',
  ].join('\n');

  it('reports the spec’s mistakes where they are, with stable codes', async () => {
    await activated();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: spec });
    const diagnostics = await diagnosticsOf(document.uri, (d) => d.length >= 3);
    assert.deepEqual(codes(diagnostics), ['spec/deprecated-key', 'spec/invalid-value', 'spec/unknown-key']);
    const unknown = diagnostics.find((d) => d.code === 'spec/unknown-key');
    assert.equal(document.getText(unknown?.range), 'NFile');
    assert.equal(unknown?.severity, vscode.DiagnosticSeverity.Warning);
    const invalid = diagnostics.find((d) => d.code === 'spec/invalid-value');
    assert.equal(document.getText(invalid?.range), 'root-file');
    assert.match(invalid?.message ?? '', /root-ttree/);
  });

  it('checks Codegen against the connected ServiceX, and against the known list again after disconnecting', async () => {
    await activated();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: spec });
    await diagnosticsOf(document.uri, (d) => d.length >= 3 && !codes(d).includes('spec/unknown-codegen'));
    const session = await vscode.commands.executeCommand<{ state: string }>(
      'coffeaCasa.connect',
      SIMULATOR_PROFILE_NAME,
    );
    assert.equal(session?.state, 'connected');
    const connected = await diagnosticsOf(document.uri, (d) => codes(d).includes('spec/unknown-codegen'));
    const codegen = connected.find((d) => d.code === 'spec/unknown-codegen');
    assert.equal(document.getText(codegen?.range), 'atlasr21');
    assert.equal(codegen?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(codegen?.message ?? '', /uproot/);
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
    await diagnosticsOf(document.uri, (d) => d.length >= 3 && !codes(d).includes('spec/unknown-codegen'));
  });

  it('leaves YAML files that are not ServiceX specs alone', async () => {
    const other = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: Pod\nNFile: 2\n',
    });
    const marker = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'Sample:\n  - Nme: x\n' });
    await diagnosticsOf(marker.uri, (d) => d.length > 0);
    assert.deepEqual(vscode.languages.getDiagnostics(other.uri), []);
  });
});
