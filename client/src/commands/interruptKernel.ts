import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerKernelCommand } from './jupyterItems';

/**
 * `coffeaCasa.interruptKernel kernelNode`: interrupts a kernel; its state goes back to idle once the running cell
 * stops. Resolves true when the server did it.
 */
export function registerInterruptKernel(connections: Connections, log: Log): vscode.Disposable {
  return registerKernelCommand(connections, log, {
    id: CommandIds.interruptKernel,
    action: 'interrupt',
    title: (node) => `Interrupting kernel ${node.kernelName} on ${node.facility}`,
  });
}
