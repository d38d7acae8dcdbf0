import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { isTritonModelNode } from '../../../client/src/trees/gpuServersTree';
import type { SimulatorInfo } from '../../../sim/src/info';
import { activated, allNodes } from './extension';

// A facility whose Triton server is only reachable inside its cluster: the profile names no Triton URL, only the
// Kubernetes namespace. The GPU Servers view finds the server through the simulated Kubernetes API, reaches it
// through a port-forward opened on expansion (real HTTP through the forward), and the forwards close on disconnect.
describe('a Triton server found in the cluster', () => {
  const info = JSON.parse(process.env.COFFEA_CASA_SIM_INFO_JSON ?? '{}') as Partial<SimulatorInfo>;
  const name = 'Cluster only';
  const settings = () => vscode.workspace.getConfiguration('coffeaCasa');
  let before: unknown[] = [];

  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', name);
    await settings().update('facilities', before, vscode.ConfigurationTarget.Workspace);
  });

  const forwards = async () => {
    const res = await fetch(`${info.control}/kubernetes`);
    return ((await res.json()) as { forwards: number }).forwards;
  };

  it('is discovered, reached through a port-forward, and the forward closes on disconnect', async () => {
    assert.ok(info.kubeconfig && info.hub && 'url' in info.hub, 'the runner passes the simulator with its hub');
    const { api } = await activated();
    before = settings().get<unknown[]>('facilities') ?? [];
    const profile = { name, hubUrl: info.hub.url, kubeconfig: info.kubeconfig, kubeNamespace: info.kubeNamespace };
    await settings().update('facilities', [...before, profile], vscode.ConfigurationTarget.Workspace);
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', name);
    assert.equal(session?.state, 'connected', session?.problem);

    const nodes = await allNodes(api.views.gpuServers, 6);
    const discovered = nodes.find((n) => n.kind === 'tritonDiscovered');
    assert.ok(discovered, 'the namespace has a Triton server');
    const models = nodes.filter(isTritonModelNode).filter((m) => /^http:\/\/127\.0\.0\.1:\d+$/.test(m.url));
    assert.ok(models.length > 0, 'models were listed through the forward');
    assert.ok((await forwards()) > 0, 'a forward is open while the facility is connected');

    await vscode.commands.executeCommand('coffeaCasa.disconnect', name);
    for (let i = 0; i < 50 && (await forwards()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await forwards(), 0, 'the forwards closed with the facility');
  });
});
