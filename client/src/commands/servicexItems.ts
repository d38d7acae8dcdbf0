import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Result } from '../facility/result';
import type { Log } from '../log';
import type { ServiceXClient } from '../servicex/client';
import { isTransformNode, type TransformNode } from '../trees/datasetsTree';
import { actOnFacility, confirmed } from './jupyterItems';

/** What a transform command does: the server call, the progress title, and the question to ask first, if any. */
export interface TransformCommand<T> {
  readonly id: string;
  readonly title: (node: TransformNode) => string;
  readonly confirm?: { question: (node: TransformNode) => string; detail: string; button: string };
  readonly call: (client: ServiceXClient, node: TransformNode, signal: AbortSignal) => Promise<Result<T>>;
}

/**
 * Registers a command on a transform node: `id transformNode [{ confirm: false }]`, with the endpoint's token.
 * Resolves true when the server did it; the view refreshes afterwards.
 */
export function registerTransformCommand<T>(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
  command: TransformCommand<T>,
): vscode.Disposable {
  return vscode.commands.registerCommand(command.id, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isTransformNode(node)) return false;
    const ask = command.confirm;
    if (ask && !(await confirmed(args, ask.question(node), ask.detail, ask.button))) return false;
    const done = await actOnFacility(connections, log, node.facility, command.title(node), async (facility, signal) =>
      command.call(await backends.client(facility, node.url), node, signal),
    );
    return done !== undefined;
  });
}

/** A transform's name for messages. */
export function transformName(node: TransformNode): string {
  return node.transform.title ? `"${node.transform.title}"` : node.transform.requestId;
}
