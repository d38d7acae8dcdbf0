import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import type { TreeNode } from '../../../client/src/trees/node';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated, readTree } from './extension';

// The server commands against the simulator's real JupyterHub, as the Sessions view's menus run them.
describe('managing hub servers from the Sessions view', () => {
  // Unique per run, and a valid server name: a lowercase letter first, then letters and digits.
  const name = `e${Date.now().toString(36)}`;

  /** Re-reads the Sessions view after each refresh until `check` holds, so it waits on probes, not on a clock. */
  const waitForSessions = async (what: string, check: (lines: string[]) => boolean): Promise<string[]> => {
    const { api } = await activated();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const lines = await readTree(api.views.sessions);
      if (check(lines)) return lines;
      assert.ok(Date.now() < deadline, `timed out waiting until ${what}:\n${lines.join('\n')}`);
      await vscode.commands.executeCommand('coffeaCasa.refreshViews');
    }
  };

  const serverNode = async (): Promise<TreeNode | undefined> => {
    const { api } = await activated();
    const [facility] = (await api.views.sessions.getChildren()) ?? [];
    const children = facility ? ((await api.views.sessions.getChildren(facility)) ?? []) : [];
    return children.find((node) => node.treeItem().label === name);
  };

  after(async () => {
    // If a test failed half-way, the server must not outlive the run.
    if (await serverNode()) await vscode.commands.executeCommand('coffeaCasa.stopServer', SIMULATOR_PROFILE_NAME, name);
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('connects to the simulator', async () => {
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
  });

  it('starts a named server, follows it to ready, and shows it running', async () => {
    const outcome = await vscode.commands.executeCommand('coffeaCasa.startServer', SIMULATOR_PROFILE_NAME, name);
    assert.equal(outcome, 'ready');
    await waitForSessions(`${name} is running`, (lines) =>
      lines.some((line) => new RegExp(`^ {2}${name} — running · started `).test(line)),
    );
    const node = await serverNode();
    assert.equal(node?.kind, 'hubServer.running.named', 'the menus offer stop, open and remove on it');
  });

  it('refuses a name the hub would refuse, and a server that is already running, without starting anything', async () => {
    assert.equal(
      await vscode.commands.executeCommand('coffeaCasa.startServer', SIMULATOR_PROFILE_NAME, 'Bad_Name'),
      'error',
    );
    assert.equal(await vscode.commands.executeCommand('coffeaCasa.startServer', SIMULATOR_PROFILE_NAME, name), 'error');
  });

  it('stops the server, which leaves the view', async () => {
    const outcome = await vscode.commands.executeCommand('coffeaCasa.stopServer', SIMULATOR_PROFILE_NAME, name);
    assert.ok(outcome === 'stopped' || outcome === 'stopping', String(outcome));
    const lines = await waitForSessions(`${name} is gone`, (all) => !all.some((line) => line.includes(name)));
    assert.ok(
      lines.some((line) => /^ {2}Default server — running/.test(line)),
      'the default server is untouched',
    );
  });
});
