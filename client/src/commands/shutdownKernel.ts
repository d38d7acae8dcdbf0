import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isKernelNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnJupyterItem, confirmed } from './jupyterItems';

/**
 * `coffeaCasa.shutdownKernel kernelNode [{ confirm: false }]`: shuts a kernel down after a modal confirmation, since
 * its variables are lost. Resolves true when the server did it.
 */
export function registerShutdownKernel(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.shutdownKernel, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isKernelNode(node)) return false;
    const sure = await confirmed(
      args,
      `Shut down kernel ${node.kernelName} on ${node.facility}?`,
      'Its variables are lost, and notebooks using it need a new kernel.',
      'Shut Down',
    );
    if (!sure) return false;
    const { kernelAction } = await import('../remote/kernelActions.js');
    return actOnJupyterItem(
      connections,
      log,
      node,
      `Shutting down kernel ${node.kernelName} on ${node.facility}`,
      (s) => kernelAction(s, node.kernelId, 'shutdown'),
    );
  });
}
