import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isTerminalNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import type { RemoteTerminals } from './openTerminal';

/**
 * `coffeaCasa.attachTerminal terminalNode`: opens a VS Code terminal on an existing Jupyter terminal (one started in
 * JupyterLab, say) rather than a new shell. Resolves to the VS Code terminal's name, or undefined when none opened.
 */
export function registerAttachTerminal(
  connections: Connections,
  terminals: RemoteTerminals,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.attachTerminal, async (node: unknown) => {
    if (!isTerminalNode(node)) return undefined;
    const { facility, terminalName: name } = node;
    log.info(`${facility}: attaching to terminal ${name}.`);
    // The terminal lives as long as the facility session: `read`'s signal aborts on disconnect.
    const opened = await connections.read(facility, async (session, signal) => {
      // The Jupyter client library is loaded on first use, so that activation stays fast.
      const { serverSettings } = await import('../remote/jupyterConnection.js');
      const { RemoteTerminal } = await import('../remote/remoteTerminal.js');
      const settings = serverSettings(node.hubUrl, node.serverUrl, session.hubToken(), session.profile);
      const pty = new RemoteTerminal({ label: `terminal ${name} on ${facility}`, settings, signal, name });
      const terminal = vscode.window.createTerminal({
        name: `Terminal ${name} on ${facility}`,
        pty,
        iconPath: new vscode.ThemeIcon('remote'),
      });
      terminals.add(terminal, pty.onDidWrite);
      terminal.show();
      return terminal;
    });
    if (!opened) {
      void vscode.window.showErrorMessage(`${facility} is not connected.`);
      return undefined;
    }
    return opened.name;
  });
}
