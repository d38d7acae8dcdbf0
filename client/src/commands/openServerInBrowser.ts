import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { pickServer } from './hubTargets';
import { CommandIds } from './ids';

/** `coffeaCasa.openServerInBrowser [serverNode | facility serverName]`: opens a running server's JupyterLab. */
export function registerOpenServerInBrowser(connections: Connections): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.openServerInBrowser, async (...args: unknown[]) => {
    const target = await pickServer(connections, args, (s) => s.ready);
    if (!target) return false;
    if (!target.server.url) {
      void vscode.window.showErrorMessage(`The hub gave no address for this server on ${target.facility}.`);
      return false;
    }
    // The server URL is an absolute path that already holds the hub's base URL, so it resolves against the origin.
    const path = target.server.url.endsWith('/') ? target.server.url : `${target.server.url}/`;
    const lab = new URL(`${path}lab`, target.hubUrl);
    return vscode.env.openExternal(vscode.Uri.parse(lab.toString()));
  });
}
