import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { serverBaseUrl } from '../facility/urls';
import { isDaskClusterNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnFacility, confirmed } from './jupyterItems';

/**
 * `coffeaCasa.closeDaskCluster clusterNode [{ confirm: false }]`: shuts down a cluster that a server's
 * dask-labextension manages, after a modal confirmation. Resolves true when the server did it.
 */
export function registerCloseDaskCluster(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.closeDaskCluster, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isDaskClusterNode(node) || !node.lab) return false;
    const lab = node.lab;
    const question = `Shut down ${node.clusterName} on ${node.facility}?`;
    const detail = 'Its workers stop, and clients attached to it lose their results in memory.';
    if (!(await confirmed(args, question, detail, 'Shut Down'))) return false;
    const { LabDask } = await import('../remote/daskClusters.js');
    const done = await actOnFacility(
      connections,
      log,
      node.facility,
      `Shutting down ${node.clusterName}`,
      (facility, signal) =>
        new LabDask(facility.http, serverBaseUrl(lab.hubUrl, lab.serverUrl), facility.hubToken()).close(
          lab.clusterId,
          signal,
        ),
    );
    return done !== undefined;
  });
}
