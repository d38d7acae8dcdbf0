import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TerminalManager, type Terminal } from '@jupyterlab/services';
import { describeJupyterFailure, serverSettings, terminalPresence } from '../../client/src/remote/jupyterConnection';
import { useRealHub } from '../support/realHub';

/** Resolves once the terminal's output so far contains `text`; the test's timeout bounds the wait. */
function outputContains(terminal: Terminal.ITerminalConnection, text: string): Promise<string> {
  let output = '';
  return new Promise((resolve) => {
    const listener = (_: Terminal.ITerminalConnection, message: Terminal.IMessage) => {
      if (message.type === 'stdout') output += String(message.content?.[0] ?? '');
      if (!output.includes(text)) return;
      terminal.messageReceived.disconnect(listener);
      resolve(output);
    };
    terminal.messageReceived.connect(listener);
  });
}

// A Jupyter terminal on alice's default server of the simulator's real JupyterHub 3.0 (a classic Notebook 6 server),
// driven through the same settings the extension builds, without VS Code.
describe('a Jupyter terminal on a hub server', { timeout: 60_000 }, () => {
  const hub = useRealHub();

  /** The terminals the server lists, asked over plain REST with alice's token. */
  const listed = async (): Promise<string[]> => {
    const res = await fetch(`${hub.hubUrl}/user/${hub.user}/api/terminals`, {
      headers: { authorization: `token ${hub.token}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { name: string }[]).map((t) => t.name);
  };

  test('runs a command, takes a resize, and is gone from the server after shutdown', async () => {
    const settings = serverSettings(hub.hubUrl, `/user/${hub.user}/`, hub.token);
    assert.equal(settings.appendToken, false, 'the token travels in a header, never in the socket URL');
    const manager = new TerminalManager({ serverSettings: settings, standby: 'never' });
    try {
      const terminal = await manager.startNew();
      assert.ok((await listed()).includes(terminal.name));
      assert.equal(await terminalPresence(settings, terminal.name), 'present');

      const answer = outputContains(terminal, 'coffea-42');
      terminal.send({ type: 'stdin', content: ['echo coffea-$((6*7))\r'] });
      await answer;

      // terminado takes rows, columns, then pixel sizes; the shell's own view of its size proves the resize arrived.
      const errors: string[] = [];
      terminal.connectionStatusChanged.connect((_, status) => errors.push(status));
      terminal.send({ type: 'set_size', content: [33, 101, 0, 0] });
      const size = outputContains(terminal, '33 101');
      terminal.send({ type: 'stdin', content: ['stty size\r'] });
      await size;
      assert.deepEqual(errors, [], 'the connection stayed up through the resize');
      assert.equal(terminal.connectionStatus, 'connected');

      await terminal.shutdown();
      assert.equal(terminal.isDisposed, true);
      assert.ok(!(await listed()).includes(terminal.name), 'the server no longer lists the terminal');
      assert.equal(await terminalPresence(settings, terminal.name), 'gone');
    } finally {
      manager.dispose();
    }
  });

  test(
    'a wrong token fails with a clear message instead of hanging, and the message holds no token',
    {
      timeout: 30_000,
    },
    async () => {
      const wrong = 'not-a-valid-token-0123456789';
      const settings = serverSettings(hub.hubUrl, `/user/${hub.user}/`, wrong);
      const manager = new TerminalManager({ serverSettings: settings, standby: 'never' });
      manager.ready.catch(() => undefined);
      try {
        const error = await manager.startNew().then(
          () => assert.fail('a terminal started with a wrong token'),
          (e: unknown) => e,
        );
        const message = describeJupyterFailure(error);
        assert.match(message, /refused the hub token|sign-in may have expired/);
        assert.ok(!message.includes(wrong), message);
        assert.equal(await terminalPresence(settings, 'x'), 'unknown');
      } finally {
        manager.dispose();
      }
    },
  );
});
