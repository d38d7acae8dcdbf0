import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerKernelCommand } from './jupyterItems';

/**
 * `coffeaCasa.restartKernel kernelNode`: restarts a kernel, which forgets its variables; it starts again with the same
 * id. Resolves true when the server did it.
 */
export function registerRestartKernel(connections: Connections, log: Log): vscode.Disposable {
  return registerKernelCommand(connections, log, {
    id: CommandIds.restartKernel,
    action: 'restart',
    title: (node) => `Restarting kernel ${node.kernelName} on ${node.facility}`,
  });
}
