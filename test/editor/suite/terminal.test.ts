import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { serverSettings } from '../../../client/src/remote/jupyterConnection';
import { RemoteTerminal } from '../../../client/src/remote/remoteTerminal';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { startTcpProxy } from '../../support/tcpProxy';
import { activated } from './extension';

/** Resolves with everything written once it contains `text`; mocha's timeout bounds the wait. */
function written(output: vscode.Event<string>, text: string): Promise<string> {
  let all = '';
  return new Promise((resolve) => {
    const listening = output((data) => {
      all += data;
      if (!all.includes(text)) return;
      listening.dispose();
      resolve(all);
    });
  });
}

// A VS Code terminal backed by a Jupyter terminal on the simulator's real hub server. VS Code only offers terminal
// output through a proposed API, so the test reads what the extension's pseudoterminal writes, through its API.
describe('a terminal on a hub server', () => {
  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('connects to the simulator', async () => {
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
  });

  it('opens on the default server, runs a command there, and closes', async () => {
    const { api } = await activated();
    const name = await vscode.commands.executeCommand<string>('coffeaCasa.openTerminal', SIMULATOR_PROFILE_NAME, '');
    assert.equal(name, `Default server on ${SIMULATOR_PROFILE_NAME}`);
    const terminal = [...vscode.window.terminals].reverse().find((t) => t.name === name);
    assert.ok(terminal, `no terminal named ${name}`);
    const output = api.remoteTerminalOutput(terminal);
    assert.ok(output, 'the terminal is one of the extension’s remote terminals');

    const answer = written(output, 'coffea-42');
    terminal.sendText('echo coffea-$((6*7))');
    await answer;

    const closed = new Promise<void>((resolve) => {
      const listening = vscode.window.onDidCloseTerminal((t) => {
        if (t !== terminal) return;
        listening.dispose();
        resolve();
      });
    });
    terminal.dispose();
    await closed;
    assert.equal(api.remoteTerminalOutput(terminal), undefined, 'a closed terminal is forgotten');
  });

  it('reconnects after its socket is dropped, says so, and keeps the same shell', async () => {
    const apiUrl = process.env.JUPYTERHUB_API_URL ?? '';
    const token = process.env.JUPYTERHUB_API_TOKEN ?? '';
    assert.ok(apiUrl && token, 'the runner passes the facility token in the environment');
    // The terminal reaches the hub through a relay whose connections the test cuts, as a flaky network would.
    const proxy = await startTcpProxy(Number(new URL(apiUrl).port));
    const terminalsUrl = `${new URL(apiUrl).origin}/user/alice/api/terminals`;
    const headers = { authorization: `token ${token}` };
    const names = async () =>
      ((await (await fetch(terminalsUrl, { headers })).json()) as { name: string }[]).map((t) => t.name);
    const existing = new Set(await names());
    const session = new AbortController();
    const terminal = new RemoteTerminal({
      label: "alice's default server",
      settings: serverSettings(proxy.url, '/user/alice/', token),
      signal: session.signal,
    });
    try {
      terminal.open({ rows: 24, columns: 80 });
      const first = written(terminal.onDidWrite, 'coffea-42');
      terminal.handleInput('export MARK=kept; echo coffea-$((6*7))\r');
      await first;

      const lost = written(terminal.onDidWrite, 'reconnecting');
      const back = written(terminal.onDidWrite, 'Reconnected.');
      const before = proxy.accepted();
      proxy.drop();
      await lost;
      await back;
      assert.ok(proxy.accepted() > before, 'the terminal opened a new connection');

      // The same shell answers: the variable set before the drop is still there.
      const again = written(terminal.onDidWrite, 'kept-43');
      terminal.handleInput('echo $MARK-$((6*7+1))\r');
      await again;
    } finally {
      terminal.close();
      session.abort();
      await proxy.close();
      // The shell the test started is removed directly, whatever happened to the relay.
      for (const name of await names()) {
        if (!existing.has(name)) await fetch(`${terminalsUrl}/${name}`, { method: 'DELETE', headers });
      }
    }
  });
});
