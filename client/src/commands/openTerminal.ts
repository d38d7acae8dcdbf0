import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { serverLabel } from '../facility/hub';
import type { Log } from '../log';
import { pickRunningServer } from './hubTargets';
import { CommandIds } from './ids';

/**
 * The remote terminals this extension has open, each with its pseudoterminal's output. VS Code gives terminal output
 * to extensions only through a proposed API, so the extension's API hands out the pty's own `onDidWrite` instead.
 */
export class RemoteTerminals implements vscode.Disposable {
  private readonly open = new Map<vscode.Terminal, vscode.Event<string>>();
  private readonly closing = vscode.window.onDidCloseTerminal((terminal) => this.open.delete(terminal));

  add(terminal: vscode.Terminal, output: vscode.Event<string>): void {
    this.open.set(terminal, output);
  }

  /** What a remote terminal writes from now on, or undefined for a terminal this extension did not open. */
  output(terminal: vscode.Terminal): vscode.Event<string> | undefined {
    return this.open.get(terminal);
  }

  dispose(): void {
    this.closing.dispose();
    // Closing the terminals shuts their shells down on the servers, which is what the user would expect on exit.
    for (const terminal of this.open.keys()) terminal.dispose();
    this.open.clear();
  }
}

/**
 * `coffeaCasa.openTerminal [serverNode | facility serverName]`: opens a VS Code terminal backed by a new Jupyter
 * terminal on a running server. Resolves to the terminal's name, or undefined when none was opened.
 */
export function registerOpenTerminal(
  connections: Connections,
  terminals: RemoteTerminals,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.openTerminal, async (...args: unknown[]) => {
    const target = await pickRunningServer(connections, args);
    if (!target) return undefined;
    const { facility, server } = target;
    const serverUrl = server.url;
    const label = `${serverLabel(target.user, server.name)} on ${facility}`;
    log.info(`${facility}: opening a terminal on ${serverLabel(target.user, server.name)}.`);
    // The terminal lives as long as the facility session: the action's signal aborts on disconnect.
    const terminal = await connections.act(facility, async (session, signal) => {
      // The Jupyter client library is loaded on first use, so that activation stays fast.
      const { serverSettings } = await import('../remote/jupyterConnection.js');
      const { RemoteTerminal } = await import('../remote/remoteTerminal.js');
      const settings = serverSettings(target.hubUrl, serverUrl, session.hubToken(), session.profile);
      const pty = new RemoteTerminal({ label, settings, signal });
      const opened = vscode.window.createTerminal({
        name: `${server.name === '' ? 'Default server' : server.name} on ${facility}`,
        pty,
        iconPath: new vscode.ThemeIcon('remote'),
      });
      terminals.add(opened, pty.onDidWrite);
      opened.show();
      return opened;
    });
    if (!terminal) {
      void vscode.window.showErrorMessage(`${facility} is not connected.`);
      return undefined;
    }
    return terminal.name;
  });
}
