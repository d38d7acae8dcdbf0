import * as vscode from 'vscode';
import { isCacheNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';

/** A Python list literal of paths, one per line, for pasting into `uproot.concatenate` or `ak.from_parquet`. */
export function pythonFileList(files: readonly string[]): string {
  if (files.length === 0) return '[]\n';
  return `[\n${files.map((f) => `    ${JSON.stringify(f)},`).join('\n')}\n]\n`;
}

/** `coffeaCasa.copyFileList cacheNode`: the downloaded files of a cached result as a Python list. */
export function registerCopyFileList(): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.copyFileList, async (...args: unknown[]) => {
    const node = args[0];
    if (!isCacheNode(node)) return undefined;
    const text = pythonFileList(node.files);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(
      `${node.files.length} file paths of ${node.title} copied as a Python list.`,
    );
    return text;
  });
}
