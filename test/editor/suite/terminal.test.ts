import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
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
});
