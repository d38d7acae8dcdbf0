import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverSettings } from '../../client/src/remote/jupyterConnection';
import { listServerActivity } from '../../client/src/remote/serverActivity';
import { useRealHub } from '../support/realHub';

// The kernels and terminals of alice's default server on the simulator's real JupyterHub 3.0, listed the way the
// Sessions view lists them. The simulator may be shared, so the test removes what it starts and leaves the server up.
describe('the kernels and terminals of a hub server', { timeout: 60_000 }, () => {
  const hub = useRealHub();

  /** A plain REST call on alice's server with her token, as a user's notebook page would make it. */
  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${hub.hubUrl}/user/${hub.user}/${path}`, {
      method,
      headers: { authorization: `token ${hub.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('lists a kernel with its name, state and activity, and a terminal by name', async () => {
    const started = await call('POST', 'api/kernels', { name: 'python3' });
    assert.equal(started.status, 201);
    const kernel = (await started.json()) as { id: string };
    const opened = await call('POST', 'api/terminals');
    assert.equal(opened.status, 200);
    const terminal = (await opened.json()) as { name: string };
    try {
      const settings = serverSettings(hub.hubUrl, `/user/${hub.user}/`, hub.token);
      const activity = await listServerActivity(settings, new AbortController().signal);
      assert.ok(activity.kernels.ok, activity.kernels.ok ? '' : activity.kernels.error.message);
      assert.ok(activity.terminals.ok, activity.terminals.ok ? '' : activity.terminals.error.message);
      const listedKernel = activity.kernels.value.find((k) => k.id === kernel.id);
      assert.ok(listedKernel, `kernel ${kernel.id} is listed`);
      assert.equal(listedKernel.name, 'python3');
      assert.match(listedKernel.executionState, /^(starting|idle|busy)$/);
      assert.ok(listedKernel.lastActivity && !Number.isNaN(Date.parse(listedKernel.lastActivity)));
      assert.ok(
        activity.terminals.value.some((t) => t.name === terminal.name),
        `terminal ${terminal.name} is listed`,
      );
    } finally {
      assert.equal((await call('DELETE', `api/kernels/${kernel.id}`)).status, 204);
      assert.equal((await call('DELETE', `api/terminals/${terminal.name}`)).status, 204);
    }
  });

  test('a wrong token gives unauthorized, with no token in the message', async () => {
    const wrong = 'not-a-real-token-0123456789';
    const settings = serverSettings(hub.hubUrl, `/user/${hub.user}/`, wrong);
    const activity = await listServerActivity(settings, new AbortController().signal);
    for (const list of [activity.kernels, activity.terminals]) {
      assert.ok(!list.ok, 'the list fails');
      assert.equal(list.error.kind, 'unauthorized', list.error.message);
      assert.ok(!list.error.message.includes(wrong));
      assert.ok(!list.error.message.includes(hub.token));
    }
  });

  test('an aborted listing comes back cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const activity = await listServerActivity(
      serverSettings(hub.hubUrl, `/user/${hub.user}/`, hub.token),
      abort.signal,
    );
    assert.ok(!activity.kernels.ok && activity.kernels.error.kind === 'cancelled');
  });
});
