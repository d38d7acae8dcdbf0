import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerKernelCommand } from './jupyterItems';

/**
 * `coffeaCasa.shutdownKernel kernelNode [{ confirm: false }]`: shuts a kernel down after a modal confirmation, since
 * its variables are lost. Resolves true when the server did it.
 */
export function registerShutdownKernel(connections: Connections, log: Log): vscode.Disposable {
  return registerKernelCommand(connections, log, {
    id: CommandIds.shutdownKernel,
    action: 'shutdown',
    title: (node) => `Shutting down kernel ${node.kernelName} on ${node.facility}`,
    confirm: {
      question: (node) => `Shut down kernel ${node.kernelName} on ${node.facility}?`,
      detail: 'Its variables are lost, and notebooks using it need a new kernel.',
      button: 'Shut Down',
    },
  });
}
