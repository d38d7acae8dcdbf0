import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isTerminalNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnJupyterItem, confirmed } from './jupyterItems';

/**
 * `coffeaCasa.shutdownTerminal terminalNode [{ confirm: false }]`: ends a terminal's shell on its server after a modal
 * confirmation, since whatever runs in it stops. Resolves true when the server did it.
 */
export function registerShutdownTerminal(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.shutdownTerminal, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isTerminalNode(node)) return false;
    const sure = await confirmed(
      args,
      `Shut down terminal ${node.terminalName} on ${node.facility}?`,
      'Whatever runs in its shell stops.',
      'Shut Down',
    );
    if (!sure) return false;
    const { shutdownTerminal } = await import('../remote/kernelActions.js');
    return actOnJupyterItem(
      connections,
      log,
      node,
      `Shutting down terminal ${node.terminalName} on ${node.facility}`,
      (settings) => shutdownTerminal(settings, node.terminalName),
    );
  });
}
