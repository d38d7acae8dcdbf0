import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Facility } from '../facility/facility';

/**
 * Runs a read on a connected facility under a progress notification with Cancel: the call's signal aborts when the
 * user cancels or the facility disconnects. Resolves to undefined when the facility is not connected.
 */
export function readWithProgress<T>(
  connections: Connections,
  facilityName: string,
  title: string,
  work: (
    facility: Facility,
    signal: AbortSignal,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
  ) => Promise<T>,
): Thenable<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) =>
      connections.read(facilityName, async (facility, sessionSignal) => {
        const cancel = new AbortController();
        const listening = token.onCancellationRequested(() => cancel.abort());
        try {
          return await work(facility, AbortSignal.any([sessionSignal, cancel.signal]), progress);
        } finally {
          listening.dispose();
        }
      }),
  );
}
