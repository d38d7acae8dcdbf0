import * as vscode from 'vscode';
import { resolveProfiles, type FacilityProfile } from '../facility/profile';

/** The presets plus the user's `coffeaCasa.facilities`, with a warning for entries that cannot be used. */
export function loadProfiles(): FacilityProfile[] {
  const entries = vscode.workspace.getConfiguration('coffeaCasa').get<unknown[]>('facilities', []);
  const { profiles, problems } = resolveProfiles(Array.isArray(entries) ? entries : []);
  if (problems.length > 0) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    void vscode.window
      .showWarningMessage(`Facility profile "${first.profile}": ${first.message}${more}`, 'Open Settings')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'coffeaCasa.facilities');
      });
  }
  return profiles;
}

/** The request timeout from settings, in milliseconds. */
export function requestTimeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('coffeaCasa').get<number>('requestTimeoutSeconds', 20);
  return Math.max(1, seconds) * 1000;
}
