import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { FacilityHttp } from '../../client/src/facility/http';
import { HubApi, type HubServer } from '../../client/src/facility/hub';
import type { SpawnProgressEvent } from '../../client/src/facility/hubProgress';
import type { Failure, Result } from '../../client/src/facility/result';
import { startSimulator, type Simulator } from '../support/simulator';

// Starting, following, stopping and removing alice's servers on the real JupyterHub 3.0 the simulator runs
// (servicex-facts.md §8, feasibility.md Q2). Server names are unique per run, and every server started is removed.
describe('managing hub servers', () => {
  let sim: Simulator;
  let http: FacilityHttp;
  let hub: HubApi;
  let user: string;
  let hubUrl: string;
  const signal = new AbortController().signal;
  const run = `t${randomBytes(3).toString('hex')}`;
  const started = new Set<string>();

  const servers = async (): Promise<HubServer[]> => {
    const identity = await hub.currentUser(signal);
    assert.ok(identity.ok, identity.ok ? '' : identity.error.message);
    return identity.value.servers;
  };

  /** Polls the user model until `check` holds; the hub has no event for a server's state changes. */
  const waitUntil = async (what: string, check: (servers: HubServer[]) => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!check(await servers())) {
      assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
      await delay(50);
    }
  };

  const collect = async (name: string, progressSignal = signal): Promise<Result<SpawnProgressEvent>[]> => {
    const events: Result<SpawnProgressEvent>[] = [];
    for await (const event of hub.progress(user, name, progressSignal)) events.push(event);
    return events;
  };

  const failure = <T>(result: Result<T>): Failure => (result.ok ? assert.fail('expected a failure') : result.error);

  before(async () => {
    sim = await startSimulator();
    assert.ok('userToken' in sim.hub, `the real hub is needed: ${'unavailable' in sim.hub ? sim.hub.unavailable : ''}`);
    const created = await FacilityHttp.create({ timeoutMs: 30_000 });
    assert.ok(created.ok);
    http = created.value;
    hub = new HubApi(http, sim.hub.url, sim.hub.userToken);
    user = sim.hub.user;
    hubUrl = sim.hub.url;
  });

  after(async () => {
    // Removing also stops; a server that is already gone answers 404, which is fine here.
    if (hub) await Promise.all([...started].map((name) => hub.removeServer(user, name, signal)));
    await http?.close();
    await sim?.stop();
  });

  test('a named server starts and its progress goes 0 → 50 → 100 with the documented fields', async () => {
    const name = `${run}-progress`;
    started.add(name);
    // This hub answers the POST only once the server is up (slow_spawn_timeout), so the events are read meanwhile.
    const start = hub.startServer(user, name, signal);
    await waitUntil(`${name} is pending spawn`, (list) => list.some((s) => s.name === name && s.pending === 'spawn'));
    const events = await collect(name);
    const url = `/user/${user}/${name}/`;
    assert.deepEqual(events, [
      { ok: true, value: { progress: 0, message: 'Server requested', ready: false, failed: false } },
      { ok: true, value: { progress: 50, message: 'Spawning server...', ready: false, failed: false } },
      {
        ok: true,
        value: {
          progress: 100,
          ready: true,
          failed: false,
          message: `Server ready at ${url}`,
          htmlMessage: `Server ready at <a href="${url}">${url}</a>`,
          url,
        },
      },
    ]);
    const answer = await start;
    assert.ok(answer.ok, answer.ok ? '' : answer.error.message);
    assert.ok(['started', 'pending'].includes(answer.value));
    const server = (await servers()).find((s) => s.name === name);
    assert.ok(server, 'the started server is listed');
    assert.equal(server.ready, true);
    assert.equal(server.pending, undefined);
    assert.equal(server.url, url);
    assert.ok(server.started && !Number.isNaN(Date.parse(server.started)));
  });

  test('a stopped server disappears, starts again at once ready, and can then be removed', async () => {
    const name = `${run}-cycle`;
    started.add(name);
    const first = await hub.startServer(user, name, signal);
    assert.ok(first.ok, first.ok ? '' : first.error.message);
    await waitUntil(`${name} is ready`, (list) => list.some((s) => s.name === name && s.ready));

    const stopped = await hub.stopServer(user, name, signal);
    assert.ok(stopped.ok, stopped.ok ? '' : stopped.error.message);
    await waitUntil(`${name} is gone`, (list) => !list.some((s) => s.name === name));
    // A stopped server has no progress to follow: hub 3.0 answers 404 (it drops the stopped spawner), others 400.
    const notStarting = failure((await collect(name))[0]);
    assert.ok(notStarting.kind === 'notFound' || notStarting.status === 400, notStarting.message);

    const again = await hub.startServer(user, name, signal);
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    await waitUntil(`${name} is ready again`, (list) => list.some((s) => s.name === name && s.ready));
    const events = await collect(name);
    assert.equal(events.length, 1, 'a ready server gets only the final event');
    assert.ok(events[0].ok && events[0].value.ready);

    const removed = await hub.removeServer(user, name, signal);
    assert.ok(removed.ok, removed.ok ? '' : removed.error.message);
    await waitUntil(`${name} is removed`, (list) => !list.some((s) => s.name === name));
    // The hub forgets the server once its stop completes, so it answers 404 (gone) or 400 (not starting).
    const unknown = failure((await collect(name))[0]);
    assert.ok(unknown.kind === 'notFound' || unknown.status === 400, unknown.message);
    started.delete(name);
  });

  test('starting a server that is already running gives the hub’s reason', async () => {
    const result = await hub.startServer(user, '', signal);
    const error = failure(result);
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 400);
    assert.match(error.message, /^JupyterHub at 127\.0\.0\.1:\d+ answered 400: alice is already running$/);
  });

  test('the default server cannot be removed, and nothing is sent', async () => {
    const error = failure(await hub.removeServer(user, '', signal));
    assert.match(error.message, /default server cannot be removed/);
  });

  test('an unknown server has no progress: a failure, not an exception', async () => {
    const events = await collect(`${run}-never-started`);
    assert.equal(events.length, 1);
    assert.equal(failure(events[0]).kind, 'notFound');
  });

  test('a token the hub does not know is unauthorized, and never appears in the message', async () => {
    const token = 'not-a-real-token-0123';
    const stranger = new HubApi(http, hubUrl, token);
    const results: Result<unknown>[] = [
      await stranger.startServer(user, `${run}-stranger`, signal),
      await stranger.stopServer(user, '', signal),
      (await (async () => {
        for await (const event of stranger.progress(user, '', signal)) return event;
        return undefined;
      })()) ?? assert.fail('no progress result'),
    ];
    for (const result of results) {
      const error = failure(result);
      assert.equal(error.kind, 'unauthorized', error.message);
      assert.ok(!error.message.includes(token));
    }
    assert.ok(
      (await servers()).some((s) => s.name === '' && s.ready),
      'alice’s default server is untouched',
    );
  });

  test('aborting stops reading the progress with a cancelled failure', async () => {
    const name = `${run}-abort`;
    started.add(name);
    const start = hub.startServer(user, name, signal);
    await waitUntil(`${name} is pending spawn`, (list) => list.some((s) => s.name === name && s.pending === 'spawn'));
    const abort = new AbortController();
    const events: Result<SpawnProgressEvent>[] = [];
    for await (const event of hub.progress(user, name, abort.signal)) {
      events.push(event);
      if (event.ok) abort.abort();
    }
    assert.equal(events.length, 2, JSON.stringify(events));
    assert.ok(events[0].ok && events[0].value.progress === 0);
    assert.equal(failure(events[1]).kind, 'cancelled');
    assert.ok((await start).ok, 'the spawn itself goes on');
  });
});
