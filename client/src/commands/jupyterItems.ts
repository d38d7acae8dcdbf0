import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Facility } from '../facility/facility';
import type { Result } from '../facility/result';
import type { ServerConnection } from '@jupyterlab/services';
import type { Log } from '../log';
import type { KernelAction } from '../remote/kernelActions';
import { isKernelNode, type JupyterPlace, type KernelNode } from '../trees/sessionsTree';

/**
 * Runs one call against a connected facility with a window progress title, then reports a failure to the user and the
 * log. Resolves to the value, or undefined when the facility is not connected or the call failed.
 */
export async function actOnFacility<T>(
  connections: Connections,
  log: Log,
  facilityName: string,
  what: string,
  call: (facility: Facility, signal: AbortSignal) => Promise<Result<T>>,
): Promise<{ value: T } | undefined> {
  log.info(`${facilityName}: ${what}.`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: what }, () =>
    connections.act(facilityName, call),
  );
  if (!result) {
    void vscode.window.showErrorMessage(`${facilityName} is not connected.`);
    return undefined;
  }
  if (!result.ok) {
    log.warn(`${facilityName}: ${result.error.message}`);
    void vscode.window.showErrorMessage(result.error.message);
    return undefined;
  }
  return { value: result.value };
}

/**
 * Runs one call on the server a kernel or terminal node lives on, with the session's token and the profile's TLS
 * settings. Resolves true when the call succeeded.
 */
export async function actOnJupyterItem(
  connections: Connections,
  log: Log,
  place: JupyterPlace,
  what: string,
  call: (settings: ServerConnection.ISettings) => Promise<Result<void>>,
): Promise<boolean> {
  const done = await actOnFacility(connections, log, place.facility, what, async (facility) => {
    // The Jupyter client library is loaded on first use, so that activation stays fast.
    const { serverSettings } = await import('../remote/jupyterConnection.js');
    return call(serverSettings(place.hubUrl, place.serverUrl, facility.hubToken(), facility.profile));
  });
  return done !== undefined;
}

/** Asks before something that cannot be undone; a test passes `{ confirm: false }` to skip the modal dialog. */
export async function confirmed(args: unknown[], question: string, detail: string, action: string): Promise<boolean> {
  const options = args[1] as { confirm?: boolean } | undefined;
  if (options?.confirm === false) return true;
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail }, action);
  return answer === action;
}

/** What a kernel command does: the server call, the progress title, and the question to ask first, if any. */
export interface KernelCommand {
  readonly id: string;
  readonly action: KernelAction;
  readonly title: (node: KernelNode) => string;
  readonly confirm?: { question: (node: KernelNode) => string; detail: string; button: string };
}

/**
 * Registers a command that acts on a kernel node: `id kernelNode [{ confirm: false }]`. Resolves true when the
 * server did it, false when there was no kernel node, the user declined, or the call failed.
 */
export function registerKernelCommand(connections: Connections, log: Log, command: KernelCommand): vscode.Disposable {
  return vscode.commands.registerCommand(command.id, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isKernelNode(node)) return false;
    const ask = command.confirm;
    if (ask && !(await confirmed(args, ask.question(node), ask.detail, ask.button))) return false;
    const { kernelAction } = await import('../remote/kernelActions.js');
    return actOnJupyterItem(connections, log, node, command.title(node), (settings) =>
      kernelAction(settings, node.kernelId, command.action),
    );
  });
}
