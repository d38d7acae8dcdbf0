import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Log } from '../log';
import { isDatasetNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';
import { actOnFacility } from './jupyterItems';

/** `coffeaCasa.markDatasetStale datasetNode`: makes ServiceX look the dataset's files up again on the next request. */
export function registerMarkDatasetStale(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.markDatasetStale, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isDatasetNode(node)) return false;
    const done = await actOnFacility(
      connections,
      log,
      node.facility,
      `Marking ${node.dataset.name} stale`,
      async (facility, signal) => (await backends.client(facility, node.url)).markStale(node.dataset.id, signal),
    );
    return done !== undefined;
  });
}
