import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from './extension';

/** Opens the workspace's sample spec (see test/support/workspace.ts) and waits for the language server. */
async function openSpec(): Promise<vscode.TextDocument> {
  const { api } = await activated();
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is not open');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'spec.yaml'));
  await vscode.window.showTextDocument(document);
  await api.languageServer().ready();
  return document;
}

const labelOf = (item: vscode.CompletionItem) => (typeof item.label === 'string' ? item.label : item.label.label);

describe('ServiceX language features in the editor', () => {
  it('completes the keys a sample may still have', async () => {
    const document = await openSpec();
    // After "    Query: ..." of the only sample, on a new line at the sample's indentation.
    const edit = new vscode.WorkspaceEdit();
    const end = document.lineAt(document.lineCount - 1).range.end;
    edit.insert(document.uri, end, '    ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const position = document.lineAt(document.lineCount - 1).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      position,
    );
    const labels = list.items.map(labelOf);
    assert.ok(labels.includes('NFiles'), labels.join(', '));
    assert.ok(labels.includes('Codegen'), labels.join(', '));
    assert.ok(!labels.includes('Name'), 'Name is already there');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('outlines the spec by sample', async () => {
    const document = await openSpec();
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      document.uri,
    );
    const sample = symbols.find((s) => s.name === 'Sample');
    assert.ok(sample, symbols.map((s) => s.name).join(', '));
    assert.deepEqual(
      sample.children.map((c) => c.name),
      ['ttbar'],
    );
  });

  it('shows the qastle of a query from its lens, read-only beside the spec', async () => {
    const document = await openSpec();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const lens = lenses.find((l) => l.command?.title === 'Show qastle');
    assert.ok(lens?.command, 'no Show qastle lens');
    const args = (lens.command.arguments ?? []) as unknown[];
    const qastle = await vscode.commands.executeCommand<string>(lens.command.command, ...args);
    assert.match(qastle, /^\(Select\s+\(call EventDataset 'bogus\.root' 'Events'\)/);
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'coffea-casa-qastle');
    assert.ok(shown, 'the qastle document is not shown');
    assert.equal(shown.document.languageId, 'qastle');
    assert.equal(shown.document.getText(), qastle);
  });
});
