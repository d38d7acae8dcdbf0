import * as vscode from 'vscode';
import type { Log } from '../log';
import { isDaskClusterNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';

/** Where Attach put the code. */
export type AttachOutcome = 'notebook' | 'editor' | 'clipboard';

/**
 * `coffeaCasa.attachDaskCluster clusterNode`: puts the `Client(...)` code for the cluster's scheduler (with the TLS
 * settings a `tls://` scheduler needs) where the physicist works: a new cell below the selection of the active
 * notebook, else at the cursor of the active editor, else on the clipboard. Resolves to where it went.
 */
export function registerAttachDaskCluster(log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.attachDaskCluster,
    async (...args: unknown[]): Promise<AttachOutcome | undefined> => {
      const node = args[0];
      if (!isDaskClusterNode(node)) return undefined;
      const { attachSnippet } = await import('../remote/daskClusters.js');
      const code = attachSnippet(node.schedulerAddress);
      log.info(`${node.facility}: attach code for ${node.clusterName} (${node.schedulerAddress}).`);
      const notebook = vscode.window.activeNotebookEditor;
      if (notebook) {
        const index = Math.min(notebook.selection.end, notebook.notebook.cellCount);
        const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, code, 'python');
        const edit = new vscode.WorkspaceEdit();
        edit.set(notebook.notebook.uri, [vscode.NotebookEdit.insertCells(index, [cell])]);
        if (await vscode.workspace.applyEdit(edit)) return 'notebook';
      }
      const editor = vscode.window.activeTextEditor;
      if (editor && !editor.document.isClosed) {
        const position = editor.selection.active;
        if (await editor.edit((builder) => builder.insert(position, code))) return 'editor';
      }
      await vscode.env.clipboard.writeText(code);
      void vscode.window.showInformationMessage(
        `The code that attaches to ${node.clusterName} is on the clipboard: paste it into a notebook cell.`,
      );
      return 'clipboard';
    },
  );
}
