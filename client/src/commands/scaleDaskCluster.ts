import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { serverBaseUrl } from '../facility/urls';
import { isDaskClusterNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';
import { actOnFacility } from './jupyterItems';

/**
 * `coffeaCasa.scaleDaskCluster clusterNode [answer]`: asks for a number of workers or an adaptive range ("1-10") and
 * sends it to the server's dask-labextension; a test passes the answer instead of typing it. Resolves true when the
 * server accepted it; new workers appear in the tree as they register.
 */
export function registerScaleDaskCluster(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.scaleDaskCluster, async (...args: unknown[]): Promise<boolean> => {
    const node = args[0];
    if (!isDaskClusterNode(node) || !node.lab) return false;
    const lab = node.lab;
    const { LabDask, parseScale } = await import('../remote/daskClusters.js');
    const current = lab.adapt ? `${lab.adapt.minimum}-${lab.adapt.maximum}` : undefined;
    const answer =
      typeof args[1] === 'string'
        ? args[1]
        : await vscode.window.showInputBox({
            title: `Scale ${node.clusterName}`,
            prompt: 'A number of workers (4), or a range for adaptive scaling (1-10)',
            value: current,
            validateInput: (text) => {
              const parsed = parseScale(text);
              return typeof parsed === 'string' ? parsed : undefined;
            },
          });
    if (answer === undefined) return false;
    const request = parseScale(answer);
    if (typeof request === 'string') {
      void vscode.window.showErrorMessage(request);
      return false;
    }
    const what =
      'workers' in request
        ? `Scaling ${node.clusterName} to ${request.workers} workers`
        : `Scaling ${node.clusterName} adaptively between ${request.adapt.minimum} and ${request.adapt.maximum} workers`;
    const done = await actOnFacility(connections, log, node.facility, what, (facility, signal) => {
      const dask = new LabDask(facility.http, serverBaseUrl(lab.hubUrl, lab.serverUrl), facility.hubToken());
      return 'workers' in request
        ? dask.scale(lab.clusterId, request.workers, signal)
        : dask.adapt(lab.clusterId, request.adapt.minimum, request.adapt.maximum, signal);
    });
    return done !== undefined;
  });
}
