import * as vscode from 'vscode';
import { readableSelection } from '../servicex/readableSelection';
import { isTransformNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';

/** `coffeaCasa.showTransformQuery transformNode`: opens the transform's query in a read-only editor. */
export function registerShowTransformQuery(): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.showTransformQuery,
    async (...args: unknown[]): Promise<vscode.TextDocument | undefined> => {
      const node = args[0];
      if (!isTransformNode(node)) return undefined;
      const readable = await readableSelection(node.transform.selection);
      if (readable.note) void vscode.window.showWarningMessage(readable.note);
      const document = await vscode.workspace.openTextDocument(readable);
      await vscode.window.showTextDocument(document, { preview: true });
      return document;
    },
  );
}
