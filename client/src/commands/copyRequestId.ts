import * as vscode from 'vscode';
import { isTransformNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';

/** `coffeaCasa.copyRequestId transformNode`: the request id, for `servicex transforms …` or a bug report. */
export function registerCopyRequestId(): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.copyRequestId, async (...args: unknown[]) => {
    const node = args[0];
    if (!isTransformNode(node)) return undefined;
    await vscode.env.clipboard.writeText(node.transform.requestId);
    return node.transform.requestId;
  });
}
