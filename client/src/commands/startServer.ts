import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { serverLabel, serverNameProblem, type HubApi } from '../facility/hub';
import type { Failure } from '../facility/result';
import type { Log } from '../log';
import { pickHubUser, type HubUser } from './hubTargets';
import { CommandIds } from './ids';

/** How a start ended, which is also what the command resolves to when it is run programmatically. */
export type StartServerOutcome = 'ready' | 'failed' | 'cancelled' | 'error';

type Report = vscode.Progress<{ message?: string; increment?: number }>;

interface Ending {
  readonly outcome: StartServerOutcome;
  readonly message?: string;
}

/**
 * `coffeaCasa.startServer [facility] [serverName]`: asks for a server name (empty for the default server), starts it,
 * and follows the hub's progress events in a cancellable notification. Cancelling stops waiting, never the spawn;
 * the user is offered to stop the server instead. Given both arguments it asks nothing, for tests and other callers.
 */
export function registerStartServer(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.startServer,
    async (facilityArg?: unknown, nameArg?: unknown): Promise<StartServerOutcome | undefined> => {
      const hubUser = await pickHubUser(connections, facilityArg);
      if (!hubUser) return undefined;
      const name = typeof nameArg === 'string' ? nameArg : await askName(hubUser);
      if (name === undefined) return undefined;
      const problem = serverNameProblem(name);
      if (problem) {
        void vscode.window.showErrorMessage(`"${name}" cannot be a server name: ${problem}`);
        return 'error';
      }
      const label = serverLabel(hubUser.user, name);
      log.info(`${hubUser.facility}: starting ${label}.`);
      const ending = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Starting ${label}`, cancellable: true },
        async (report, token) => {
          const abort = new AbortController();
          const subscription = token.onCancellationRequested(() => abort.abort());
          try {
            const result = await connections.act(
              hubUser.facility,
              (facility, signal) => watchStart(facility.hub, hubUser, name, signal, report, connections),
              abort.signal,
            );
            return result ?? { outcome: 'error' as const, message: `${hubUser.facility} is not connected.` };
          } finally {
            subscription.dispose();
          }
        },
      );
      tell(ending, hubUser, name, label, log);
      return ending.outcome;
    },
  );
}

/** Starts the server, then reads its progress events until it is ready, has failed, or the user stops waiting. */
async function watchStart(
  hub: HubApi,
  hubUser: HubUser,
  name: string,
  signal: AbortSignal,
  report: Report,
  connections: Connections,
): Promise<Ending> {
  report.report({ message: 'Server requested' });
  const started = await hub.startServer(hubUser.user, name, signal);
  if (!started.ok) return endingOf(started.error);
  // A slow spawn goes on in the background: show it as pending in the view while the events come in.
  if (started.value === 'pending') await connections.refresh(hubUser.facility);
  let done = 0;
  for await (const event of hub.progress(hubUser.user, name, signal)) {
    if (!event.ok) return endingOf(event.error);
    const { progress, message, ready, failed } = event.value;
    report.report({ message, increment: Math.max(0, progress - done) });
    done = Math.max(done, progress);
    if (failed) return { outcome: 'failed', message };
    if (ready) return { outcome: 'ready' };
  }
  return { outcome: 'error', message: 'The hub sent no progress.' };
}

function endingOf(error: Failure): Ending {
  return { outcome: error.kind === 'cancelled' ? 'cancelled' : 'error', message: error.message };
}

function tell(ending: Ending, hubUser: HubUser, name: string, label: string, log: Log): void {
  const where = `${label} on ${hubUser.facility}`;
  switch (ending.outcome) {
    case 'ready':
      log.info(`${hubUser.facility}: ${label} is ready.`);
      void vscode.window.showInformationMessage(`${capitalise(where)} is ready.`, 'Open in Browser').then((choice) => {
        if (choice) void vscode.commands.executeCommand(CommandIds.openServerInBrowser, hubUser.facility, name);
      });
      return;
    case 'cancelled':
      // The hub goes on spawning: the user decides whether the server should stop, we never decide for them.
      log.info(`${hubUser.facility}: stopped waiting for ${label}.`);
      void vscode.window
        .showWarningMessage(`Stopped waiting for ${where}; the hub goes on starting it.`, 'Stop Server')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand(CommandIds.stopServer, hubUser.facility, name);
        });
      return;
    default:
      log.warn(`${hubUser.facility}: ${label} did not start: ${ending.message ?? ''}`);
      void vscode.window.showErrorMessage(`${capitalise(where)} did not start: ${ending.message ?? 'no reason given'}`);
  }
}

async function askName(hubUser: HubUser): Promise<string | undefined> {
  const active = new Set(hubUser.servers.map((s) => s.name));
  const name = await vscode.window.showInputBox({
    title: `Start a Server on ${hubUser.facility}`,
    prompt: 'A name for a named server, or empty for your default server.',
    placeHolder: 'Empty for the default server',
    validateInput: (value) =>
      serverNameProblem(value.trim()) ??
      (active.has(value.trim())
        ? `${value.trim() === '' ? 'The default server' : `"${value.trim()}"`} is already active.`
        : undefined),
  });
  return name?.trim();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
