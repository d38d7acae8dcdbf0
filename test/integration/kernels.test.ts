import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KernelAPI, TerminalAPI } from '@jupyterlab/services';
import { serverSettings } from '../../client/src/remote/jupyterConnection';
import { kernelAction, shutdownTerminal } from '../../client/src/remote/kernelActions';
import { listServerActivity } from '../../client/src/remote/serverActivity';
import { useRealHub } from '../support/realHub';

// The kernel and terminal actions of the Sessions view against alice's default server on the simulator's real
// JupyterHub. The simulator may be shared, so the test removes what it starts and leaves the server running.
describe('kernel and terminal actions on a hub server', { timeout: 90_000 }, () => {
  const hub = useRealHub();
  const settings = () => serverSettings(hub.hubUrl, `/user/${hub.user}/`, hub.token);
  const signal = new AbortController().signal;

  /** Polls the server's kernel list until `check` holds for the kernel (or its absence), asking again on each answer. */
  const kernelUntil = async (
    id: string,
    check: (state: string | undefined) => boolean,
  ): Promise<string | undefined> => {
    for (;;) {
      const activity = await listServerActivity(settings(), signal);
      assert.ok(activity.kernels.ok, activity.kernels.ok ? '' : activity.kernels.error.message);
      const state = activity.kernels.value.find((k) => k.id === id)?.executionState;
      if (check(state)) return state;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  test('a kernel is interrupted, restarted and shut down', async () => {
    const kernel = await KernelAPI.startNew({ name: 'python3' }, settings());
    try {
      await kernelUntil(kernel.id, (state) => state !== undefined);

      const interrupted = await kernelAction(settings(), kernel.id, 'interrupt');
      assert.ok(interrupted.ok, interrupted.ok ? '' : interrupted.error.message);

      const restarted = await kernelAction(settings(), kernel.id, 'restart');
      assert.ok(restarted.ok, restarted.ok ? '' : restarted.error.message);
      const afterRestart = await kernelUntil(kernel.id, (state) => state === 'idle' || state === 'starting');
      assert.match(afterRestart ?? '', /^(idle|starting)$/);

      const stopped = await kernelAction(settings(), kernel.id, 'shutdown');
      assert.ok(stopped.ok, stopped.ok ? '' : stopped.error.message);
      assert.equal(await kernelUntil(kernel.id, (state) => state === undefined), undefined);

      // Acting on a kernel that is gone says so, without the token.
      const again = await kernelAction(settings(), kernel.id, 'interrupt');
      assert.ok(!again.ok);
      assert.equal(again.error.kind, 'notFound');
      assert.match(again.error.message, /no longer exists/);
      assert.doesNotMatch(again.error.message, new RegExp(hub.token));
    } finally {
      await KernelAPI.shutdownKernel(kernel.id, settings()).catch(() => undefined);
    }
  });

  test('a terminal is shut down and disappears from the list', async () => {
    const terminal = await TerminalAPI.startNew(settings());
    try {
      assert.ok((await TerminalAPI.listRunning(settings())).some((t) => t.name === terminal.name));
      const stopped = await shutdownTerminal(settings(), terminal.name);
      assert.ok(stopped.ok, stopped.ok ? '' : stopped.error.message);
      assert.ok(!(await TerminalAPI.listRunning(settings())).some((t) => t.name === terminal.name));
    } finally {
      await TerminalAPI.shutdownTerminal(terminal.name, settings()).catch(() => undefined);
    }
  });

  test('a wrong token is refused with a message that says so', async () => {
    const wrong = serverSettings(hub.hubUrl, `/user/${hub.user}/`, 'not-a-token');
    const result = await kernelAction(wrong, 'no-such-kernel', 'shutdown');
    assert.ok(!result.ok);
    assert.match(result.error.message, /sign in|sign-in|refused/);
    assert.doesNotMatch(result.error.message, /not-a-token/);
  });
});
