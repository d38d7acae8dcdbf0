import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated, readTree } from './extension';

describe('connecting to the simulator', () => {
  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('connects with the facility token from the environment and reports every service up', async () => {
    const { api } = await activated();
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.ok(session, 'connect returned no session');
    assert.equal(session.state, 'connected', session.problem);
    assert.equal(api.sessions().length, 1);
    assert.ok(session.snapshot?.hub.ok && session.snapshot.hub.value.identity.name === 'alice');
  });

  it('fills the Sessions view with the hub server and the Dask cluster', async () => {
    const { api } = await activated();
    const tree = await readTree(api.views.sessions);
    assert.match(tree[0], new RegExp(`^${SIMULATOR_PROFILE_NAME} — http://127\\.0\\.0\\.1:\\d+$`));
    assert.ok(
      tree.some((line) => /^ {2}Default server — running · started/.test(line)),
      tree.join('\n'),
    );
    assert.ok(
      tree.some((line) => /^ {2}Dask tcp:\/\/127\.0\.0\.1:\d+ — 1 worker · 2 threads · 2\.0 GiB/.test(line)),
      tree.join('\n'),
    );
  });

  it('fills the Datasets view with the ServiceX endpoint and its code generators', async () => {
    const { api } = await activated();
    const tree = await readTree(api.views.datasets, 4);
    assert.ok(
      tree.some((line) => /^ {2}ServiceX 127\.0\.0\.1:\d+ — version /.test(line)),
      tree.join('\n'),
    );
    assert.ok(
      tree.some((line) => /^ {6}uproot-raw — /.test(line)),
      tree.join('\n'),
    );
  });

  it('fills the GPU Servers view with Triton and the pods that use GPUs', async () => {
    const { api } = await activated();
    const tree = await readTree(api.views.gpuServers, 3);
    assert.ok(
      tree.some((line) => /^ {2}Triton 127\.0\.0\.1:\d+ — live · ready · /.test(line)),
      tree.join('\n'),
    );
    const pods = tree.filter((line) => line.startsWith('    ') && / GPU/.test(line));
    assert.ok(pods.length >= 1, tree.join('\n'));
  });

  it('empties the views again on disconnect', async () => {
    const { api } = await activated();
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
    assert.deepEqual(api.sessions(), []);
    assert.deepEqual(await readTree(api.views.sessions), []);
  });
});
