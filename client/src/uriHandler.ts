import * as vscode from 'vscode';
import { CommandIds, ViewIds } from './commands/ids';
import type { Connections, FacilitySession } from './connection/connections';
import { parseOpenUri } from './connection/openUri';
import { loadProfiles } from './connection/profiles';
import { serverLabel } from './facility/hub';
import type { Log } from './log';

/** What handling a link did, for the extension's API and its tests. */
export interface UriOutcome {
  /** False when the link was refused or the sign-in was cancelled. */
  readonly handled: boolean;
  /** The sentence the user was shown, or the reason nothing happened. */
  readonly message: string;
  readonly session?: FacilitySession;
  /** Whether the server the link names is running; absent when it names none. */
  readonly serverRunning?: boolean;
}

/**
 * Handles `vscode://coffea-casa.coffea-casa-vscode/open?facility=<name>&server=<server>`: connects to the facility,
 * asking for a token only when none is stored, and shows the server. The link only ever selects among configured
 * facilities and the user's own servers (see `parseOpenUri`).
 */
export async function handleOpenUri(uri: vscode.Uri, connections: Connections, log: Log): Promise<UriOutcome> {
  const parsed = parseOpenUri(
    uri.path,
    uri.query,
    loadProfiles().map((p) => p.name),
  );
  if (!parsed.ok) {
    const message = `Coffea-Casa cannot open this link: ${parsed.message}`;
    log.warn(message);
    void vscode.window.showErrorMessage(message);
    return { handled: false, message };
  }
  const { facility, server } = parsed.request;
  log.info(`Opening a link to ${facility}.`);
  let session = connections.get(facility);
  if (session?.state !== 'connected' && session?.state !== 'degraded') {
    session = await vscode.commands.executeCommand<FacilitySession | undefined>(CommandIds.connect, facility);
  }
  if (!session) return { handled: false, message: `The sign-in to ${facility} was cancelled.` };
  if (server === undefined) return { handled: true, message: `Connected to ${facility}.`, session };
  return showServer(session, server);
}

async function showServer(session: FacilitySession, name: string): Promise<UriOutcome> {
  const facility = session.profile.name;
  const hub = session.snapshot?.hub;
  if (!hub?.ok || hub.value.identity.kind !== 'user') {
    const message = `${facility} did not say which servers are running${session.problem ? `: ${session.problem}` : '.'}`;
    void vscode.window.showWarningMessage(message);
    return { handled: true, message, session, serverRunning: false };
  }
  const user = hub.value.identity.name;
  const label = serverLabel(user, name);
  const found = hub.value.identity.servers.find((s) => s.name === name);
  if (!found?.ready) {
    const message = `${label} on ${facility} is not running.`;
    void vscode.window.showInformationMessage(message);
    return { handled: true, message, session, serverRunning: false };
  }
  await vscode.commands.executeCommand(`${ViewIds.sessions}.focus`);
  const message = `${label} on ${facility} is running.`;
  // The terminal and the files are offered as buttons; the link's values reach the commands only after the checks above.
  const actions = { 'Open Terminal': CommandIds.openTerminal, 'Open Files': CommandIds.openRemoteFolder } as const;
  void vscode.window.showInformationMessage(message, ...Object.keys(actions)).then((choice) => {
    const command = choice && actions[choice as keyof typeof actions];
    if (command) void vscode.commands.executeCommand(command, facility, name);
  });
  return { handled: true, message, session, serverRunning: true };
}

/** Registers the extension's handler for `vscode://coffea-casa.coffea-casa-vscode/…` links. */
export function registerUriHandler(connections: Connections, log: Log): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri: async (uri) => {
      await handleOpenUri(uri, connections, log);
    },
  });
}
