import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { serverLabel, type StopOutcome } from '../facility/hub';
import type { Log } from '../log';
import { pickServer } from './hubTargets';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.removeServer [serverNode | facility serverName]`: after the user confirms, stops a named server and
 * deletes it with its saved state. The default server can only be stopped, so it is never offered.
 */
export function registerRemoveServer(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.removeServer,
    async (...args: unknown[]): Promise<StopOutcome | undefined> => {
      const target = await pickServer(connections, args, (s) => s.name !== '' && !s.pending);
      if (!target) return undefined;
      if (target.server.name === '') {
        void vscode.window.showErrorMessage('The default server cannot be removed, only stopped.');
        return undefined;
      }
      const confirmed = await vscode.window.showWarningMessage(
        `Remove the server "${target.server.name}" from ${target.facility}?`,
        { modal: true, detail: 'It is stopped and the hub forgets it, with the options it was started with.' },
        'Remove',
      );
      if (confirmed !== 'Remove') return undefined;
      const label = serverLabel(target.user, target.server.name);
      log.info(`${target.facility}: removing ${label}.`);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Removing ${label}` },
        () =>
          connections.act(target.facility, (facility, signal) =>
            facility.hub.removeServer(target.user, target.server.name, signal),
          ),
      );
      if (!result) return undefined;
      if (!result.ok) {
        log.warn(`${target.facility}: ${label} was not removed: ${result.error.message}`);
        void vscode.window.showErrorMessage(`Could not remove ${label} on ${target.facility}: ${result.error.message}`);
        return undefined;
      }
      log.info(`${target.facility}: ${label} removed.`);
      return result.value;
    },
  );
}
