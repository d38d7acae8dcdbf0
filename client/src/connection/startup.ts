import * as vscode from 'vscode';
import type { Connections } from './connections';
import type { HubCredentials } from './credentials';
import { loadProfiles } from './profiles';

/**
 * Connects to the profile named in `coffeaCasa.connectOnStartup`, but only with a token that needs no typing (stored,
 * or the facility server's own): start-up never opens a prompt.
 */
export async function connectOnStartup(connections: Connections, credentials: HubCredentials): Promise<void> {
  const name = vscode.workspace.getConfiguration('coffeaCasa').get<string>('connectOnStartup', '').trim();
  if (!name) return;
  const profile = loadProfiles().find((p) => p.name === name);
  if (!profile) {
    void vscode.window.showWarningMessage(
      `coffeaCasa.connectOnStartup names "${name}", which is not a facility profile.`,
    );
    return;
  }
  const credential = await credentials.find(profile);
  if (credential) await connections.connect(profile, credential);
}
