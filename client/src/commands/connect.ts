import * as vscode from 'vscode';
import type { Connections, FacilitySession } from '../connection/connections';
import type { HubCredentials } from '../connection/credentials';
import { loadProfiles } from '../connection/profiles';
import type { FacilityProfile } from '../facility/profile';
import type { Log } from '../log';
import { CommandIds } from './ids';

export interface ConnectDeps {
  readonly connections: Connections;
  readonly credentials: HubCredentials;
  readonly log: Log;
}

/**
 * `coffeaCasa.connect [profileName]`: pick a facility, sign in (stored token, the facility's own token, or a pasted
 * one), and probe its services. Resolves to the resulting session, or undefined if the user cancelled.
 */
export function registerConnect(deps: ConnectDeps): vscode.Disposable {
  const connect = async (profileName?: unknown): Promise<FacilitySession | undefined> => {
    const profiles = loadProfiles();
    const profile =
      typeof profileName === 'string'
        ? profiles.find((p) => p.name === profileName)
        : await pickProfile(profiles, deps.connections);
    if (!profile) {
      if (typeof profileName === 'string')
        void vscode.window.showErrorMessage(`There is no facility profile named "${profileName}".`);
      return undefined;
    }
    // "Sign In Again" on an expired session must ask for a new token, not retry the one the hub refused.
    if (deps.connections.get(profile.name)?.state === 'expired') await deps.credentials.forget(profile);
    const credential = (await deps.credentials.find(profile)) ?? (await deps.credentials.ask(profile));
    if (!credential) return undefined;
    const session = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Connecting to ${profile.name}` },
      () => deps.connections.connect(profile, credential),
    );
    void report(session, deps, connect);
    return session;
  };
  return vscode.commands.registerCommand(CommandIds.connect, connect);
}

async function report(
  session: FacilitySession,
  deps: ConnectDeps,
  retry: (name: string) => Promise<unknown>,
): Promise<void> {
  const name = session.profile.name;
  if (session.state === 'expired') {
    await deps.credentials.forget(session.profile);
    const choice = await vscode.window.showErrorMessage(
      `${name} did not accept the token: ${session.problem ?? ''}`,
      'Sign In Again',
    );
    if (choice) await retry(name);
  } else if (session.state === 'degraded') {
    const choice = await vscode.window.showWarningMessage(
      `Connected to ${name}, but ${session.problem ?? 'a service is not answering'}`,
      'Show Log',
    );
    if (choice) deps.log.show();
  }
}

async function pickProfile(
  profiles: FacilityProfile[],
  connections: Connections,
): Promise<FacilityProfile | undefined> {
  type Item = vscode.QuickPickItem & { profile?: FacilityProfile };
  const items: Item[] = profiles.map((profile) => ({
    label: profile.name,
    description: profile.hubUrl,
    detail: connections.get(profile.name) ? `Currently ${connections.get(profile.name)?.state}` : undefined,
    profile,
  }));
  items.push({ label: '$(add) Add a facility…', description: 'Edit coffeaCasa.facilities in settings' });
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Connect to a Facility',
    placeHolder: 'Choose a facility',
  });
  if (choice && !choice.profile) await vscode.commands.executeCommand('workbench.action.openSettingsJson');
  return choice?.profile;
}
