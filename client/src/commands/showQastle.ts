import * as path from 'node:path';
import * as vscode from 'vscode';
import { ShowQastleRequest, type ShowQastleParams, type ShowQastleResult } from '../../../server/src/protocol';
import type { QueryLanguageClient } from '../languageClient';
import { CommandIds } from './ids';

const SCHEME = 'coffea-casa-qastle';

/** Read-only documents holding the qastle text of a query, one per source document. */
class QastleDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * `coffeaCasa.showQastle(uri, offset)`, the command of the server's "Show qastle" lenses: asks the language server for
 * the qastle the ServiceX client would send for that query and shows it beside the source, read-only.
 */
export function registerShowQastle(languageClient: QueryLanguageClient): vscode.Disposable {
  const documents = new QastleDocuments();
  const provider = vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents);
  const command = vscode.commands.registerCommand(CommandIds.showQastle, async (uri?: unknown, offset?: unknown) => {
    if (typeof uri !== 'string' || typeof offset !== 'number') {
      void vscode.window.showInformationMessage('Use the "Show qastle" lens above a !FuncADL_Uproot query.');
      return undefined;
    }
    const params: ShowQastleParams = { uri, offset };
    const result = await languageClient.request<ShowQastleResult>(ShowQastleRequest, params);
    if (!result) {
      void vscode.window.showErrorMessage('The ServiceX language server is not running.');
      return undefined;
    }
    if ('error' in result) {
      void vscode.window.showErrorMessage(`This query does not translate to qastle: ${result.error}`);
      return undefined;
    }
    const source = vscode.Uri.parse(uri);
    const target = vscode.Uri.from({
      scheme: SCHEME,
      path: `/${path.posix.basename(source.path)}.qastle`,
      query: `source=${encodeURIComponent(uri)}&offset=${offset}`,
    });
    documents.set(target, result.qastle);
    const document = await vscode.workspace.openTextDocument(target);
    await vscode.languages.setTextDocumentLanguage(document, 'qastle');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    return result.qastle;
  });
  return vscode.Disposable.from(command, provider, documents);
}
