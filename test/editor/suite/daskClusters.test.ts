import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import type { LabCluster } from '../../../client/src/remote/daskClusters';
import type { TreeNode } from '../../../client/src/trees/node';
import { isDaskClusterNode, isDaskClustersNode, type DaskClusterNode } from '../../../client/src/trees/sessionsTree';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated, allNodes } from './extension';

// The Dask clusters of alice's default server in the Sessions view, against the simulator's real JupyterHub and its
// dask-labextension stand-in: New Dask Cluster on the group, the cluster's node with its live worker count, Attach
// into an open editor, Scale, and Shut Down.
describe('the Dask clusters of the Sessions view', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  /** Every node under the Sessions view, expanding each level as the tree would (children are loaded again). */

  const clusterNode = async (
    provider: vscode.TreeDataProvider<TreeNode>,
    id: string,
    check: (node: DaskClusterNode) => boolean,
  ): Promise<DaskClusterNode> => {
    for (;;) {
      const node = (await allNodes(provider)).filter(isDaskClusterNode).find((n) => n.lab?.clusterId === id);
      assert.ok(node, `cluster ${id} has a node`);
      if (check(node)) return node;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  it('starts, attaches to, scales and shuts down a cluster from the tree', async () => {
    const { api } = await activated();
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
    const group = (await allNodes(api.views.sessions)).find(isDaskClustersNode);
    assert.ok(group, 'the running server has a "Dask clusters" group');
    assert.equal(group.serverUrl, '/user/alice/');

    const cluster = await vscode.commands.executeCommand<LabCluster>('coffeaCasa.newDaskCluster', group);
    assert.ok(cluster?.id, 'New Dask Cluster returns the cluster');
    let closed = false;
    try {
      const node = await clusterNode(api.views.sessions, cluster.id, (n) =>
        /\b1 worker\b/.test(String(n.treeItem().description)),
      );
      assert.equal(node.schedulerAddress, cluster.schedulerAddress);

      const document = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
      await vscode.window.showTextDocument(document);
      const where = await vscode.commands.executeCommand<string>('coffeaCasa.attachDaskCluster', node);
      assert.equal(where, 'editor');
      assert.ok(document.getText().includes(`Client(${JSON.stringify(cluster.schedulerAddress)})`), document.getText());

      assert.equal(await vscode.commands.executeCommand<boolean>('coffeaCasa.scaleDaskCluster', node, '2'), true);
      await clusterNode(api.views.sessions, cluster.id, (n) => /\b2 workers\b/.test(String(n.treeItem().description)));

      closed = await vscode.commands.executeCommand<boolean>('coffeaCasa.closeDaskCluster', node, { confirm: false });
      assert.equal(closed, true);
      const left = (await allNodes(api.views.sessions)).filter(isDaskClusterNode);
      assert.ok(!left.some((n) => n.lab?.clusterId === cluster.id), 'the cluster left the tree');
    } finally {
      if (!closed) {
        const node = (await allNodes(api.views.sessions))
          .filter(isDaskClusterNode)
          .find((n) => n.lab?.clusterId === cluster.id);
        if (node) await vscode.commands.executeCommand('coffeaCasa.closeDaskCluster', node, { confirm: false });
      }
    }
  });
});
