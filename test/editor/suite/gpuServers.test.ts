import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import type { TreeNode } from '../../../client/src/trees/node';
import { isTritonModelNode, type TritonModelNode } from '../../../client/src/trees/gpuServersTree';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated, allNodes } from './extension';

// The GPU Servers view against the simulator's Triton: the server, its models from the repository index, its GPUs
// from the metrics page, and Unload/Load changing a model's state in the tree.
describe('the GPU Servers view', () => {
  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  const model = async (provider: vscode.TreeDataProvider<TreeNode>, name: string): Promise<TritonModelNode> => {
    const node = (await allNodes(provider)).filter(isTritonModelNode).find((n) => n.model === name);
    assert.ok(node, `model ${name} has a node`);
    return node;
  };

  it('shows the server, its models and GPU load, and unloading a model changes its state', async () => {
    const { api } = await activated();
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.ok(session?.snapshot?.triton?.ok, 'the simulator profile has a Triton server');
    const provider = api.views.gpuServers;
    const nodes = await allNodes(provider);
    const server = nodes.find((n) => n.kind === 'tritonServer');
    assert.ok(server, 'a Triton server node');
    assert.match(String(server.treeItem().description), /live · ready/);
    const gpus = nodes.filter((n) => n.kind === 'tritonGpu');
    assert.ok(gpus.length >= 1, 'GPUs from the metrics page');
    assert.match(String(gpus[0].treeItem().description), /^\d+% \S+ · .+\/.+ · \d+ W$/);

    const ready = await model(provider, 'particlenet_ak4');
    assert.equal(ready.kind, 'tritonModel.ready');
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('coffeaCasa.unloadModel', ready), true);
      assert.equal((await model(provider, 'particlenet_ak4')).kind, 'tritonModel.unloaded');
    } finally {
      const again = await model(provider, 'particlenet_ak4');
      if (again.kind !== 'tritonModel.ready') await vscode.commands.executeCommand('coffeaCasa.loadModel', again);
    }
    assert.equal((await model(provider, 'particlenet_ak4')).kind, 'tritonModel.ready');

    const code = await vscode.commands.executeCommand<string>('coffeaCasa.copyTritonSnippet', ready, 'http');
    assert.match(code ?? '', /tritonclient\.http/);
  });
});
