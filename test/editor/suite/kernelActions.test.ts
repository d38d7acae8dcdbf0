import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import type { TreeNode } from '../../../client/src/trees/node';
import { isKernelNode, type KernelNode } from '../../../client/src/trees/sessionsTree';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated } from './extension';

// The Shut Down Kernel command on a kernel node of the Sessions view, against the simulator's real JupyterHub: the
// test starts a kernel on alice's default server with the facility token, finds its node, and shuts it down.
describe('the kernel actions of the Sessions view', () => {
  const apiUrl = process.env.JUPYTERHUB_API_URL ?? '';
  const envToken = process.env.JUPYTERHUB_API_TOKEN ?? '';
  const kernelsUrl = () => `${apiUrl.replace(/\/hub\/api\/?$/, '')}/user/alice/api/kernels`;
  const headers = () => ({ authorization: `token ${envToken}`, 'content-type': 'application/json' });

  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  /** Every kernel node under the Sessions view, expanding each level as the tree would. */
  const kernelNodes = async (provider: vscode.TreeDataProvider<TreeNode>): Promise<KernelNode[]> => {
    const found: KernelNode[] = [];
    const walk = async (node: TreeNode | undefined, level: number): Promise<void> => {
      for (const child of (await provider.getChildren(node)) ?? []) {
        if (isKernelNode(child)) found.push(child);
        else if (level < 4) await walk(child, level + 1);
      }
    };
    await walk(undefined, 0);
    return found;
  };

  it('shuts down a kernel from its node', async () => {
    assert.ok(apiUrl && envToken, 'the runner passes the facility token in the environment');
    const { api } = await activated();
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
    const started = await fetch(kernelsUrl(), { method: 'POST', headers: headers(), body: '{"name":"python3"}' });
    assert.equal(started.status, 201);
    const { id } = (await started.json()) as { id: string };
    try {
      const node = (await kernelNodes(api.views.sessions)).find((k) => k.kernelId === id);
      assert.ok(node, `kernel ${id} has a node`);
      const done = await vscode.commands.executeCommand<boolean>('coffeaCasa.shutdownKernel', node, { confirm: false });
      assert.equal(done, true);
      const listed = (await (await fetch(kernelsUrl(), { headers: headers() })).json()) as { id: string }[];
      assert.ok(!listed.some((k) => k.id === id), 'the server no longer lists the kernel');
    } finally {
      await fetch(`${kernelsUrl()}/${id}`, { method: 'DELETE', headers: headers() }).catch(() => undefined);
    }
  });
});
