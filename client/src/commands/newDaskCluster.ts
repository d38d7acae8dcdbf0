import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import type { LabCluster } from '../remote/daskClusters';
import { serverBaseUrl } from '../facility/urls';
import { isDaskClustersNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnFacility } from './jupyterItems';

/**
 * `coffeaCasa.newDaskCluster clustersNode`: starts a cluster with the server's dask-labextension defaults (on
 * coffea-casa, its adaptive HTCondor cluster), as the "+ NEW" button of the JupyterLab sidebar does. Resolves to the
 * new cluster.
 */
export function registerNewDaskCluster(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.newDaskCluster,
    async (...args: unknown[]): Promise<LabCluster | undefined> => {
      const node = args[0];
      if (!isDaskClustersNode(node)) return undefined;
      const { LabDask } = await import('../remote/daskClusters.js');
      const done = await actOnFacility(connections, log, node.facility, 'Starting a Dask cluster', (facility, signal) =>
        new LabDask(facility.http, serverBaseUrl(node.hubUrl, node.serverUrl), facility.hubToken()).create(signal),
      );
      if (done) log.info(`${node.facility}: ${done.value.name} started at ${done.value.schedulerAddress}.`);
      return done?.value;
    },
  );
}
