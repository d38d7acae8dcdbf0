import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { CommandIds } from './ids';

/** `coffeaCasa.disconnect [profileName]`: closes one facility's session, asking which when several are open. */
export function registerDisconnect(connections: Connections): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.disconnect, async (profileName?: unknown) => {
    const names = connections.sessions().map((s) => s.profile.name);
    const name =
      typeof profileName === 'string'
        ? profileName
        : names.length === 1
          ? names[0]
          : await vscode.window.showQuickPick(names, { title: 'Disconnect from a Facility' });
    if (name) await connections.disconnect(name);
  });
}
