import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Result } from '../facility/result';
import type { TritonModelsApi } from '../facility/tritonModels';
import type { Log } from '../log';
import { isTritonModelNode, type TritonModelNode } from '../trees/gpuServersTree';
import { actOnFacility } from './jupyterItems';

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
    const done = await actOnFacility(
      connections,
      log,
      node.facility,
      `${verb} ${node.model} on ${node.facility}`,
      async (facility, signal) => {
        const { TritonModelsApi } = await import('../facility/tritonModels.js');
        return call(new TritonModelsApi(facility.http, node.url, node.extensions), node, signal);
      },
    );
    return done !== undefined;
  });
}
