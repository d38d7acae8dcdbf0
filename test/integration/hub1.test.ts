import * as assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Facility, stateOf } from '../../client/src/facility/facility';
import type { SpawnProgressEvent } from '../../client/src/facility/hubProgress';
import { createExtensionToken, extensionTokenNote } from '../../client/src/facility/hubTokens';
import type { Result } from '../../client/src/facility/result';
import { startSimulator, type Simulator } from '../support/simulator';

// Signing in to a JupyterHub 1.5 (the version the coffea-casa chart pins) through the client's facility layer, against
// the simulator's 1.x stand-in (sim/src/hub1.ts, servicex-facts.md §8 version caveat): version probe, servers listed
// although `GET /user` leaves them out, start with progress, stop, tokens without scopes, and a refused token.
describe('a JupyterHub 1.5 through the facility layer', () => {
  let sim: Simulator;
  let facility: Facility;
  const signal = new AbortController().signal;
  const opened: Facility[] = [];

  const control = (method: string, path: string, body?: unknown) => sim.callControl(method, path, body);

  const open = async (token: string): Promise<Facility> => {
    const result = await Facility.open({ name: 'hub1', hubUrl: sim.hub1.url }, token, 10_000);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    opened.push(result.value);
    return result.value;
  };

  const serverNames = async (): Promise<string[]> => {
    const user = await facility.hub.currentUser(signal);
    assert.ok(user.ok, user.ok ? '' : user.error.message);
    return user.value.servers.map((s) => s.name).sort();
  };

  const progress = async (name: string): Promise<Result<SpawnProgressEvent>[]> => {
    const events: Result<SpawnProgressEvent>[] = [];
    for await (const event of facility.hub.progress(sim.hub1.user, name, signal)) events.push(event);
    return events;
  };

  before(async () => {
    sim = await startSimulator({ hub: false, dask: false });
    facility = await open(sim.hub1.token);
  });

  beforeEach(async () => {
    await control('POST', '/hub1/reset', { namedServers: 2, runningNamedServers: 1, defaultRunning: true });
  });

  after(async () => {
    for (const f of opened) await f.dispose();
    if (sim) await control('POST', '/hub1/reset', {});
    await sim?.stop();
  });

  test('the probe finds version 1.5.0 and lists the default and the named servers', async () => {
    const snapshot = await facility.probe(signal);
    assert.ok(snapshot.hub.ok, snapshot.hub.ok ? '' : snapshot.hub.error.message);
    assert.equal(snapshot.hub.value.version, '1.5.0');
    assert.equal(snapshot.hub.value.identity.name, 'alice');
    assert.deepEqual(
      snapshot.hub.value.identity.servers.map((s) => [s.name, s.ready, s.url]),
      [
        ['', true, '/user/alice/'],
        ['server-01', true, '/user/alice/server-01/'],
      ],
    );
    assert.equal(stateOf(snapshot), 'connected');
  });

  test('20 running named servers are all listed', async () => {
    await control('POST', '/hub1/reset', { namedServers: 20, runningNamedServers: 20, defaultRunning: false });
    const names = await serverNames();
    assert.equal(names.length, 20);
    assert.equal(names[0], 'server-01');
    assert.equal(names[19], 'server-20');
  });

  test('with no server running, the user has none', async () => {
    await control('POST', '/hub1/reset', { namedServers: 3, runningNamedServers: 0, defaultRunning: false });
    assert.deepEqual(await serverNames(), []);
  });

  test('a named server starts with progress events 0 → 50 → ready, then stops', async () => {
    const started = await facility.hub.startServer('alice', 'gpu', signal);
    assert.deepEqual(started, { ok: true, value: 'pending' });
    const url = '/user/alice/gpu/';
    assert.deepEqual(await progress('gpu'), [
      { ok: true, value: { progress: 0, message: 'Server requested', ready: false, failed: false } },
      { ok: true, value: { progress: 50, message: 'Spawning server...', ready: false, failed: false } },
      {
        ok: true,
        value: {
          progress: 100,
          message: `Server ready at ${url}`,
          htmlMessage: `Server ready at <a href="${url}">${url}</a>`,
          ready: true,
          failed: false,
          url,
        },
      },
    ]);
    assert.deepEqual(await serverNames(), ['', 'gpu', 'server-01']);

    // A second start of a running server is the hub's 400, with its message.
    const again = await facility.hub.startServer('alice', 'gpu', signal);
    assert.ok(!again.ok);
    assert.match(again.error.message, /answered 400: alice:gpu is already running$/);

    assert.deepEqual(await facility.hub.stopServer('alice', 'gpu', signal), { ok: true, value: 'stopped' });
    assert.deepEqual(await serverNames(), ['', 'server-01']);
    const removed = await facility.hub.removeServer('alice', 'gpu', signal);
    assert.deepEqual(removed, { ok: true, value: 'stopped' });
    const gone = await facility.hub.stopServer('alice', 'gpu', signal);
    assert.ok(!gone.ok);
    assert.equal(gone.error.kind, 'notFound');
    assert.match(gone.error.message, /alice has no server named 'gpu'/);
  });

  test('the default server stops and starts again; its progress after the start ends ready', async () => {
    assert.deepEqual(await facility.hub.stopServer('alice', '', signal), { ok: true, value: 'stopped' });
    let user = await facility.hub.currentUser(signal);
    assert.ok(user.ok);
    assert.deepEqual(
      user.value.servers.map((s) => s.name),
      ['server-01'],
    );
    assert.deepEqual(await facility.hub.startServer('alice', '', signal), { ok: true, value: 'pending' });
    const events = await progress('');
    const last = events.at(-1);
    assert.ok(last?.ok);
    assert.equal(last.value.ready, true);
    assert.equal(last.value.url, '/user/alice/');
    user = await facility.hub.currentUser(signal);
    assert.ok(user.ok);
    assert.ok(user.value.servers.some((s) => s.name === '' && s.ready));
  });

  test('progress of a server that is not starting is the hub’s 400, not a hang', async () => {
    const events = await progress('server-02');
    assert.equal(events.length, 1);
    const [only] = events;
    assert.ok(!only.ok);
    assert.match(only.error.message, /answered 400: alice:server-02 is not starting\.\.\.$/);
  });

  test('named servers switched off: the hub’s own 400 message comes back', async () => {
    await control('POST', '/hub1/reset', { namedServers: 0, runningNamedServers: 0, namedServersEnabled: false });
    const started = await facility.hub.startServer('alice', 'gpu', signal);
    assert.ok(!started.ok);
    assert.equal(started.error.kind, 'http');
    assert.match(started.error.message, /answered 400: Named servers are not enabled\.$/);
  });

  test('the extension token is created with the 1.x body (note and expiry, no scopes) and signs in', async () => {
    const created = await createExtensionToken(facility.hub, 'alice', 'test-host.example', signal);
    assert.ok(created.ok, created.ok ? '' : created.error.message);
    assert.equal(created.value.model.note, extensionTokenNote('test-host.example'));
    assert.ok(created.value.model.expiresAt);
    assert.equal(created.value.model.scopes, undefined);
    const state = (await control('GET', '/hub1')) as { tokenRequests: Record<string, unknown>[] };
    assert.deepEqual(state.tokenRequests, [
      { note: 'Coffea-Casa for VS Code on test-host.example', expires_in: 30 * 86_400 },
    ]);

    const own = await open(created.value.secret);
    const snapshot = await own.probe(signal);
    assert.equal(stateOf(snapshot), 'connected');

    const listed = await facility.hub.listTokens('alice', signal);
    assert.ok(listed.ok);
    assert.ok(listed.value.some((t) => t.id === created.value.model.id));
    assert.deepEqual(await facility.hub.deleteToken('alice', created.value.model.id, signal), {
      ok: true,
      value: undefined,
    });
    // The revoked token now meets the hub's refusal.
    assert.equal(stateOf(await own.probe(signal)), 'expired');
  });

  test('the stand-in’s control API says what is wrong with a bad setting', async () => {
    const patch = async (body: unknown) => {
      const res = await fetch(`${sim.control}/hub1`, { method: 'PATCH', body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { message: string } };
    };
    const unknownField = await patch({ slow: true });
    assert.equal(unknownField.status, 400);
    assert.match(unknownField.body.message, /^Unknown field\(s\): slow\. Known fields: down, malformed/);
    const badRoute = await patch({ malformed: ['GET /nowhere'] });
    assert.equal(badRoute.status, 400);
    assert.match(badRoute.body.message, /"malformed" is a list of route keys: "GET \/hub\/api\/"/);
    assert.equal((await patch({ down: 'sometimes' })).status, 400);
    assert.equal(stateOf(await facility.probe(signal)), 'connected');
  });

  test('a wrong token: 403 with the hub’s message, state expired, the token in no message', async () => {
    const wrong = 'f'.repeat(32);
    const stranger = await open(wrong);
    const snapshot = await stranger.probe(signal);
    assert.equal(stateOf(snapshot), 'expired');
    assert.ok(!snapshot.hub.ok);
    assert.equal(snapshot.hub.error.kind, 'unauthorized');
    assert.equal(snapshot.hub.error.status, 403);
    assert.match(
      snapshot.hub.error.message,
      /^JupyterHub at 127\.0\.0\.1:\d+ refused the credentials \(403\): Forbidden$/,
    );
    assert.ok(!snapshot.hub.error.message.includes(wrong));
  });
});
