import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { remoteUri } from '../remote/remoteFileSystem';
import { pickRunningServer, serverTitle } from './hubTargets';
import { CommandIds } from './ids';

type Placement = 'add' | 'open' | 'openNew';

/** Asks where the folder goes; from a menu the user chooses, while programmatic calls always add it. */
async function placement(programmatic: boolean): Promise<Placement | undefined> {
  if (programmatic) return 'add';
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Add to Workspace', placement: 'add' as const },
      { label: 'Open in This Window', placement: 'open' as const },
      { label: 'Open in New Window', placement: 'openNew' as const },
    ],
    { title: 'Open Server Files' },
  );
  return choice?.placement;
}

/**
 * `coffeaCasa.openRemoteFolder [serverNode | facility serverName [path]]`: shows a running server's files as a
 * workspace folder. Resolves to the folder's URI as a string, or undefined when nothing was opened.
 */
export function registerOpenRemoteFolder(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.openRemoteFolder, async (...args: unknown[]) => {
    const target = await pickRunningServer(connections, args);
    if (!target) return undefined;
    const { facility, server } = target;
    const path = typeof args[2] === 'string' ? args[2] : '';
    const uri = remoteUri(facility, server.name, path);
    const where = await placement(typeof args[0] === 'string');
    if (!where) return undefined;
    log.info(`${facility}: opening the files of ${serverTitle(server)}${path ? ` at ${path}` : ''}.`);
    if (where !== 'add') {
      await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: where === 'openNew' });
      return uri.toString();
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.some((f) => f.uri.toString() === uri.toString())) return uri.toString();
    const name = `${server.name === '' ? 'Default server' : server.name} on ${facility}${path ? ` — ${path}` : ''}`;
    // Appending keeps the first folder in place; changing that one would restart every extension. The change itself
    // happens later, and in a single-folder window it means entering a new workspace, which restarts the extension
    // host, so the command does not wait for it.
    if (!vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri, name })) {
      void vscode.window.showErrorMessage(`Could not add the files of ${serverTitle(server)} to the workspace.`);
      return undefined;
    }
    return uri.toString();
  });
}
