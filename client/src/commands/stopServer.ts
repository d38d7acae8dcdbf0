import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { serverLabel, type StopOutcome } from '../facility/hub';
import type { Log } from '../log';
import { pickServer } from './hubTargets';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.stopServer [serverNode | facility serverName]`: stops a running server and keeps its state, so that
 * starting it again brings it back. Resolves to what the hub answered, or undefined when nothing was stopped.
 */
export function registerStopServer(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.stopServer,
    async (...args: unknown[]): Promise<StopOutcome | undefined> => {
      const target = await pickServer(connections, args, (s) => s.ready && !s.pending);
      if (!target) return undefined;
      const label = serverLabel(target.user, target.server.name);
      log.info(`${target.facility}: stopping ${label}.`);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Stopping ${label}` },
        () =>
          connections.act(target.facility, (facility, signal) =>
            facility.hub.stopServer(target.user, target.server.name, signal),
          ),
      );
      if (!result) return undefined;
      if (!result.ok) {
        log.warn(`${target.facility}: ${label} did not stop: ${result.error.message}`);
        void vscode.window.showErrorMessage(`Could not stop ${label} on ${target.facility}: ${result.error.message}`);
        return undefined;
      }
      // A slow stop goes on in the hub; the view shows it as pending until the next refresh.
      if (result.value === 'stopping')
        void vscode.window.showInformationMessage(`${label} on ${target.facility} is stopping.`);
      log.info(`${target.facility}: ${label} ${result.value}.`);
      return result.value;
    },
  );
}
