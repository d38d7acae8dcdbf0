import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated, readTree } from './extension';

describe('the kernels and terminals of a running server', () => {
  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('expands the default server to its Kernels and Terminals groups', async () => {
    const { api } = await activated();
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
    const tree = await readTree(api.views.sessions, 4);
    const server = tree.findIndex((line) => /^ {2}Default server — running/.test(line));
    assert.ok(server >= 0, tree.join('\n'));
    // The groups sit right under the server; each says how many it holds, which proves the listing succeeded.
    assert.match(tree[server + 1] ?? '', /^ {4}Kernels — \d+$/, tree.join('\n'));
    assert.ok(
      tree.some((line) => /^ {4}Terminals — \d+$/.test(line)),
      tree.join('\n'),
    );
  });
});
