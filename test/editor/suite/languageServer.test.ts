import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from './extension';

describe('the ServiceX language server', () => {
  it('is not started while no query file or spec is open', async () => {
    const { api } = await activated();
    const plain = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'name: not a spec\n' });
    await vscode.window.showTextDocument(plain);
    assert.equal(api.languageServer().status(), 'notStarted');
  });

  it('starts when a ServiceX spec is opened and answers initialize', async () => {
    const { api } = await activated();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is not open');
    const spec = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'spec.yaml'));
    await vscode.window.showTextDocument(spec);
    await api.languageServer().ready();
    assert.equal(api.languageServer().status(), 'running');
  });

  it('gives .funcadl files their language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'muons.funcadl'));
    assert.equal(doc.languageId, 'funcadl');
  });
});
