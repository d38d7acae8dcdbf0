import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Result } from '../facility/result';
import type { ServerConnection } from '@jupyterlab/services';
import type { Log } from '../log';
import type { JupyterPlace } from '../trees/sessionsTree';

/**
 * Runs one call on the server a kernel or terminal node lives on, with the session's token and the profile's TLS
 * settings, then reports a failure to the user and the log. Resolves true when the call succeeded.
 */
export async function actOnJupyterItem(
  connections: Connections,
  log: Log,
  place: JupyterPlace,
  what: string,
  call: (settings: ServerConnection.ISettings) => Promise<Result<void>>,
): Promise<boolean> {
  log.info(`${place.facility}: ${what}.`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: what }, () =>
    connections.act(place.facility, async (facility) => {
      // The Jupyter client library is loaded on first use, so that activation stays fast.
      const { serverSettings } = await import('../remote/jupyterConnection.js');
      return call(serverSettings(place.hubUrl, place.serverUrl, facility.hubToken(), facility.profile));
    }),
  );
  if (!result) {
    void vscode.window.showErrorMessage(`${place.facility} is not connected.`);
    return false;
  }
  if (!result.ok) {
    log.warn(`${place.facility}: ${result.error.message}`);
    void vscode.window.showErrorMessage(result.error.message);
    return false;
  }
  return true;
}

/** Asks before something that cannot be undone; a test passes `{ confirm: false }` to skip the modal dialog. */
export async function confirmed(args: unknown[], question: string, detail: string, action: string): Promise<boolean> {
  const options = args[1] as { confirm?: boolean } | undefined;
  if (options?.confirm === false) return true;
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail }, action);
  return answer === action;
}
