import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isKernelNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnJupyterItem } from './jupyterItems';

/**
 * `coffeaCasa.restartKernel kernelNode`: restarts a kernel, which forgets its variables; it starts again with the same
 * id. Resolves true when the server did it.
 */
export function registerRestartKernel(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.restartKernel, async (node: unknown): Promise<boolean> => {
    if (!isKernelNode(node)) return false;
    const { kernelAction } = await import('../remote/kernelActions.js');
    return actOnJupyterItem(
      connections,
      log,
      node,
      `Restarting kernel ${node.kernelName} on ${node.facility}`,
      (settings) => kernelAction(settings, node.kernelId, 'restart'),
    );
  });
}
