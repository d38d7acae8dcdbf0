import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isKernelNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnJupyterItem } from './jupyterItems';

/**
 * `coffeaCasa.interruptKernel kernelNode`: interrupts a kernel; its state goes back to idle once the running cell
 * stops. Resolves true when the server did it.
 */
export function registerInterruptKernel(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.interruptKernel, async (node: unknown): Promise<boolean> => {
    if (!isKernelNode(node)) return false;
    const { kernelAction } = await import('../remote/kernelActions.js');
    return actOnJupyterItem(
      connections,
      log,
      node,
      `Interrupting kernel ${node.kernelName} on ${node.facility}`,
      (settings) => kernelAction(settings, node.kernelId, 'interrupt'),
    );
  });
}
