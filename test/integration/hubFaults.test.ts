import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { VisibilityPoller, type PollerClock, type VisibleView } from '../../client/src/connection/visibilityPoller';
import { Facility, stateOf } from '../../client/src/facility/facility';
import type { SpawnProgressEvent } from '../../client/src/facility/hubProgress';
import type { Result } from '../../client/src/facility/result';
import { startSimulator, type Simulator } from '../support/simulator';

// What the client makes of a JupyterHub 1.5 that misbehaves (issue 4, "How it is checked"): a spawn that fails, the
// hub going away mid-session (refused connections, then 503s while the real VisibilityPoller backs off), a malformed
// answer and a truncated one. Faults come from the simulator's control API; requests are counted on its side.

/** A clock that moves only when the test fires its timer, and lets the test wait for the poller's next timer. */
class ManualClock implements PollerClock {
  private time = 0;
  private timer?: { id: number; at: number; callback: () => void };
  private nextId = 1;
  private onScheduled?: () => void;
  /** Every delay the poller asked for, in order. */
  readonly delays: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timer = { id, at: this.time + ms, callback };
    this.delays.push(ms);
    this.onScheduled?.();
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (this.timer?.id === handle) this.timer = undefined;
  }

  /** Moves time to the pending timer, fires it, and resolves once the refresh it started has set the next timer. */
  async fire(): Promise<void> {
    const timer = this.timer;
    assert.ok(timer, 'a refresh is scheduled');
    this.timer = undefined;
    const scheduled = new Promise<void>((resolve) => (this.onScheduled = resolve));
    this.time = timer.at;
    timer.callback();
    await scheduled;
    this.onScheduled = undefined;
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }
}

const visibleView: VisibleView = { visible: true, onDidChangeVisibility: () => ({ dispose: () => undefined }) };

describe('a misbehaving JupyterHub 1.5', () => {
  let sim: Simulator;
  let facility: Facility;
  const signal = new AbortController().signal;

  const control = (method: string, path: string, body?: unknown) => sim.callControl(method, path, body);

  /** All requests the stand-in has seen so far, over every route. */
  const hubRequests = async (): Promise<number> =>
    Object.values(await sim.requestCounts('hub1')).reduce((sum, n) => sum + n, 0);

  const progress = async (name: string): Promise<Result<SpawnProgressEvent>[]> => {
    const events: Result<SpawnProgressEvent>[] = [];
    for await (const event of facility.hub.progress('alice', name, signal)) events.push(event);
    return events;
  };

  before(async () => {
    sim = await startSimulator({ hub: false, dask: false });
    const opened = await Facility.open({ name: 'hub1', hubUrl: sim.hub1.url }, sim.hub1.token, 10_000);
    assert.ok(opened.ok, opened.ok ? '' : opened.error.message);
    facility = opened.value;
  });

  afterEach(async () => {
    await sim.clearFaults();
    await control('POST', '/hub1/reset', {});
  });

  after(async () => {
    await facility?.dispose();
    await sim?.stop();
  });

  test('a failed spawn ends the progress with the hub’s reason, also when asked again afterwards', async () => {
    const reason = '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.';
    await control('PATCH', '/hub1', { spawnFailures: { gpu: reason } });
    assert.deepEqual(await facility.hub.startServer('alice', 'gpu', signal), { ok: true, value: 'pending' });
    const events = await progress('gpu');
    assert.deepEqual(events.at(-1), {
      ok: true,
      value: { progress: 100, message: `Spawn failed: ${reason}`, ready: false, failed: true },
    });
    // The hub keeps the failure until the next start, and the server is not active.
    assert.deepEqual(await progress('gpu'), [events.at(-1)]);
    const user = await facility.hub.currentUser(signal);
    assert.ok(user.ok);
    assert.ok(!user.value.servers.some((s) => s.name === 'gpu'));
  });

  test('the hub refusing connections mid-session: degraded, then connected when it is back', async () => {
    assert.equal(stateOf(await facility.probe(signal)), 'connected');
    await control('PATCH', '/hub1', { down: 'refuse' });
    const down = await facility.probe(signal);
    assert.equal(stateOf(down), 'degraded');
    assert.ok(!down.hub.ok);
    assert.equal(down.hub.error.kind, 'unreachable');
    assert.match(
      down.hub.error.message,
      /^JupyterHub at 127\.0\.0\.1:\d+ refused the connection: is the service running\?$/,
    );
    await control('PATCH', '/hub1', { down: null });
    assert.equal(stateOf(await facility.probe(signal)), 'connected');
  });

  test('while the hub answers 503 the real poller backs off, doubling, and the hub sees few requests', async () => {
    const clock = new ManualClock();
    let states: string[] = [];
    const poller = new VisibilityPoller({
      view: visibleView,
      clock,
      intervalSeconds: () => 5,
      maxSeconds: 600,
      refresh: async () => {
        const state = stateOf(await facility.probe(signal));
        states.push(state);
        return state === 'connected';
      },
    });
    try {
      await clock.fire();
      assert.deepEqual(states, ['connected']);

      await control('PATCH', '/hub1', { down: 'unavailable' });
      const before = await hubRequests();
      states = [];
      const rounds = 10;
      for (let i = 0; i < rounds; i++) await clock.fire();
      const whileDown = (await hubRequests()) - before;
      assert.deepEqual(states, Array<string>(rounds).fill('degraded'));
      // Each failed refresh asks the hub twice (version and user); nothing retries behind the poller's back.
      assert.equal(whileDown, 2 * rounds);
      // The first delay is the interval, then it doubles after each failure up to the ten-minute cap.
      assert.deepEqual(
        clock.delays.map((ms) => ms / 1000),
        [5, 5, 10, 20, 40, 80, 160, 320, 600, 600, 600, 600],
      );
      // The same stretch at a fixed 5 s interval would have been this many refreshes.
      const downSeconds = clock.delays.slice(1, rounds + 1).reduce((sum, ms) => sum + ms / 1000, 0);
      assert.ok(downSeconds / 5 > 10 * rounds, `${downSeconds} s of outage`);

      const snapshot = await facility.probe(signal);
      assert.ok(!snapshot.hub.ok);
      assert.equal(
        snapshot.hub.error.message.replace(/:\d+/, ':PORT'),
        'JupyterHub at 127.0.0.1:PORT answered 503: Service Unavailable',
      );

      await control('PATCH', '/hub1', { down: null });
      states = [];
      await clock.fire();
      assert.deepEqual(states, ['connected']);
      assert.equal(clock.delays.at(-1), 5000, 'a success resets the interval');
    } finally {
      poller.dispose();
    }
    assert.ok(!clock.pending, 'the disposed poller left no timer');
  });

  test('a malformed user model: a clear message and a degraded state, then normal again', async () => {
    await control('PATCH', '/hub1', { malformed: ['GET /hub/api/user'] });
    const snapshot = await facility.probe(signal);
    assert.equal(stateOf(snapshot), 'degraded');
    assert.ok(!snapshot.hub.ok);
    assert.equal(snapshot.hub.error.kind, 'badResponse');
    assert.match(
      snapshot.hub.error.message,
      /^JupyterHub at 127\.0\.0\.1:\d+ sent an answer that is not JSON \(it begins "\{"kind":"user","name":"alice"/,
    );
    await control('PATCH', '/hub1', { malformed: [] });
    assert.equal(stateOf(await facility.probe(signal)), 'connected');
  });

  test('a malformed progress event ends the progress with a clear failure', async () => {
    await control('PATCH', '/hub1', { malformed: ['GET /hub/api/users/{name}/servers/{server}/progress'] });
    assert.deepEqual(await facility.hub.startServer('alice', 'gpu', signal), { ok: true, value: 'pending' });
    const events = await progress('gpu');
    assert.deepEqual(
      events.slice(0, 2).map((e) => e.ok && e.value.progress),
      [0, 50],
    );
    const last = events.at(-1);
    assert.ok(last && !last.ok);
    assert.equal(last.error.kind, 'badResponse');
    assert.match(
      last.error.message,
      /^JupyterHub sent a progress event that is not JSON \(it begins "\{"progress": ?100/,
    );
  });

  test('a truncated user model: a clear message, and the next probe is fine', async () => {
    await sim.fault({ service: 'hub1', route: 'GET /hub/api/user', truncate: true, times: 1 });
    const snapshot = await facility.probe(signal);
    assert.equal(stateOf(snapshot), 'degraded');
    assert.ok(!snapshot.hub.ok);
    assert.equal(snapshot.hub.error.kind, 'unreachable');
    assert.match(snapshot.hub.error.message, /dropped the connection before the answer was complete\.$/);
    assert.equal(stateOf(await facility.probe(signal)), 'connected');
  });

  test('a truncated progress stream ends with a failure, never a hang or a ready', async () => {
    await sim.fault({ service: 'hub1', route: 'GET /hub/api/users/{name}/servers/{server}/progress', truncate: true });
    assert.deepEqual(await facility.hub.startServer('alice', 'gpu', signal), { ok: true, value: 'pending' });
    const events = await progress('gpu');
    const last = events.at(-1);
    assert.ok(last && !last.ok, JSON.stringify(last));
    assert.ok(events.every((e) => !e.ok || !e.value.ready));
    assert.match(last.error.message, /JupyterHub/);
  });

  test('a hub slower than the timeout: a timeout failure that says how long it waited', async () => {
    const impatient = await Facility.open({ name: 'hub1', hubUrl: sim.hub1.url }, sim.hub1.token, 200);
    assert.ok(impatient.ok);
    try {
      await sim.fault({ service: 'hub1', route: 'GET /hub/api/user', latencyMs: 10_000, times: 1 });
      const snapshot = await impatient.value.probe(signal);
      assert.equal(stateOf(snapshot), 'degraded');
      assert.ok(!snapshot.hub.ok);
      assert.equal(snapshot.hub.error.kind, 'timeout');
      assert.match(snapshot.hub.error.message, /did not answer within 0\.2 s\.$/);
    } finally {
      await impatient.value.dispose();
    }
  });
});
