import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Result } from '../facility/result';
import type { TritonModelsApi } from '../facility/tritonModels';
import type { Log } from '../log';
import { isTritonModelNode, type TritonModelNode } from '../trees/gpuServersTree';
import { actOnFacility } from './jupyterItems';

/** Runs one call with the models API of the server a model node lives on; undefined when it failed (and was shown). */
export function actOnModels<T>(
  connections: Connections,
  log: Log,
  node: TritonModelNode,
  what: string,
  call: (api: TritonModelsApi, signal: AbortSignal) => Promise<Result<T>>,
): Promise<{ value: T } | undefined> {
  return actOnFacility(connections, log, node.facility, what, async (facility, signal) => {
    const { TritonModelsApi } = await import('../facility/tritonModels.js');
    return call(new TritonModelsApi(facility.http, node.url, node.extensions), signal);
  });
}

/**
 * Registers a command that acts on a model node with the server's models API: `id modelNode`. Resolves true when the
 * server did it; the tree refreshes afterwards, so the model's new state shows.
 */
export function registerModelCommand(
  connections: Connections,
  log: Log,
  id: string,
  verb: string,
  call: (api: TritonModelsApi, node: TritonModelNode, signal: AbortSignal) => Promise<Result<void>>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isTritonModelNode(node)) return false;
    const done = await actOnModels(connections, log, node, `${verb} ${node.model} on ${node.facility}`, (api, signal) =>
      call(api, node, signal),
    );
    return done !== undefined;
  });
}
