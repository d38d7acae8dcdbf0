import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  anyVisible,
  FacilityPollers,
  FollowUpRefresh,
  VisibilityPoller,
  type PolledConnections,
  type VisibleView,
} from '../../client/src/connection/visibilityPoller';
import { ManualClock } from '../support/manualClock';

/** A clock whose time moves only when the test says, firing the timers that fall due. */
class FakeClock extends ManualClock {
  /** When the one pending timer fires, or undefined when none is set. */
  pendingAt(): number | undefined {
    const ats = [...this.timers.values()].map((t) => t.at);
    assert.ok(ats.length <= 1, `one timer at most, found ${ats.length}`);
    return ats[0];
  }

  /** Moves time to the earliest pending timer and fires it, then lets the refresh it starts settle. */
  async fire(): Promise<void> {
    const callback = this.takeEarliest();
    assert.ok(callback, 'a timer is pending');
    callback();
    // The refresh is a promise chain of a few steps; flushing the microtask queue lets it reschedule.
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

class FakeView implements VisibleView {
  private readonly listeners = new Set<(event: { visible: boolean }) => unknown>();
  constructor(public visible: boolean) {}

  onDidChangeVisibility(listener: (event: { visible: boolean }) => unknown): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  set(visible: boolean): void {
    this.visible = visible;
    for (const listener of this.listeners) listener({ visible });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** A poller over a fake view and clock whose refreshes succeed or fail as `outcomes` says, in order. */
function setup(visible: boolean, outcomes: boolean[] = []) {
  const clock = new FakeClock();
  const view = new FakeView(visible);
  let refreshes = 0;
  const poller = new VisibilityPoller({
    view,
    clock,
    intervalSeconds: () => 30,
    maxSeconds: 200,
    refresh: () => Promise.resolve(outcomes[refreshes++] ?? true),
  });
  return { clock, view, poller, refreshes: () => refreshes };
}

describe('the Sessions view poller', () => {
  test('refreshes every interval while the view is visible', async () => {
    const { clock, refreshes } = setup(true);
    assert.equal(clock.pendingAt(), 30_000);
    await clock.fire();
    assert.equal(refreshes(), 1);
    assert.equal(clock.pendingAt(), 60_000);
    await clock.fire();
    assert.equal(refreshes(), 2);
  });

  test('does not refresh while hidden, and refreshes on showing once a refresh is due', async () => {
    const { clock, view, refreshes } = setup(false);
    assert.equal(clock.pendingAt(), undefined, 'no timer for a hidden view');
    view.set(true);
    assert.equal(clock.pendingAt(), 30_000);
    view.set(false);
    assert.equal(clock.pendingAt(), undefined, 'hiding stops the timer');
    clock.advance(120_000);
    assert.equal(refreshes(), 0);
    view.set(true);
    assert.equal(clock.pendingAt(), 120_000, 'an overdue refresh runs at once');
    await clock.fire();
    assert.equal(refreshes(), 1);
  });

  test('doubles the interval after each failure up to the cap, and resets after a success', async () => {
    const { clock, poller } = setup(true, [false, false, false, false, true]);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clock.fire();
      waits.push(poller.delayMs());
    }
    assert.deepEqual(waits, [60_000, 120_000, 200_000, 200_000, 30_000]);
  });

  test('counts a refresh that throws as a failure and keeps polling', async () => {
    const clock = new FakeClock();
    const poller = new VisibilityPoller({
      view: new FakeView(true),
      clock,
      intervalSeconds: () => 30,
      refresh: () => Promise.reject(new Error('boom')),
    });
    await clock.fire();
    assert.equal(poller.delayMs(), 60_000);
    assert.equal(clock.pendingAt(), 30_000 + 60_000);
  });

  test('never polls faster than the minimum interval', () => {
    const poller = new VisibilityPoller({
      view: new FakeView(false),
      clock: new FakeClock(),
      intervalSeconds: () => 1,
      refresh: () => Promise.resolve(true),
    });
    assert.equal(poller.delayMs(), 5_000);
  });

  test('dispose stops the timer and the visibility listener', () => {
    const { clock, view, poller, refreshes } = setup(true);
    poller.dispose();
    assert.equal(clock.pendingAt(), undefined);
    assert.equal(view.listenerCount, 0);
    view.set(false);
    view.set(true);
    assert.equal(clock.pendingAt(), undefined);
    assert.equal(refreshes(), 0);
  });

  test('a refresh under way when disposed schedules nothing after it', async () => {
    const clock = new FakeClock();
    let finish: (ok: boolean) => void = () => undefined;
    const poller = new VisibilityPoller({
      view: new FakeView(true),
      clock,
      intervalSeconds: () => 30,
      refresh: () => new Promise<boolean>((resolve) => (finish = resolve)),
    });
    await clock.fire();
    poller.dispose();
    finish(true);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    assert.equal(clock.pendingAt(), undefined);
  });
});

/** Facilities whose hubs answer or not as the test says; counts the refreshes each one gets. */
class FakeConnections implements PolledConnections {
  readonly hubUp = new Map<string, boolean>();
  readonly refreshes = new Map<string, number>();
  private readonly listeners = new Set<() => unknown>();

  sessions() {
    return [...this.hubUp.entries()].map(([name, up]) => ({ profile: { name }, snapshot: { hub: { ok: up } } }));
  }

  async refresh(name: string): Promise<void> {
    this.refreshes.set(name, (this.refreshes.get(name) ?? 0) + 1);
    await Promise.resolve();
  }

  onDidChange(listener: () => unknown) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  set(name: string, up: boolean | undefined): void {
    if (up === undefined) this.hubUp.delete(name);
    else this.hubUp.set(name, up);
    for (const listener of this.listeners) listener();
  }
}

describe('one poller per facility', () => {
  test('a facility whose hub is down backs off alone; the others keep their interval', async () => {
    const clock = new FakeClock();
    const view = new FakeView(true);
    const connections = new FakeConnections();
    connections.set('up', true);
    connections.set('down', false);
    const pollers = new FacilityPollers(connections, { view, intervalSeconds: () => 10, clock });
    assert.deepEqual(pollers.names().sort(), ['down', 'up']);
    // Ten minutes of virtual time: the healthy hub is asked every 10 s, the failing one at 10, 20, 40, 80… s.
    while (clock.now() < 600_000) await clock.fire();
    assert.equal(connections.refreshes.get('up'), 60);
    const down = connections.refreshes.get('down') ?? 0;
    assert.ok(down <= 8, `the failing hub was asked ${down} times`);
    assert.equal(pollers.delayMs('up'), 10_000);
    assert.ok((pollers.delayMs('down') ?? 0) >= 160_000);
    pollers.dispose();
  });

  test('hidden view: no facility is asked; disconnecting one stops its poller', () => {
    const clock = new FakeClock();
    const view = new FakeView(false);
    const connections = new FakeConnections();
    connections.set('a', true);
    const pollers = new FacilityPollers(connections, { view, intervalSeconds: () => 10, clock });
    assert.equal(clock.timers.size, 0);
    view.set(true);
    assert.equal(clock.timers.size, 1);
    connections.set('b', true);
    assert.equal(clock.timers.size, 2);
    connections.set('a', undefined);
    assert.deepEqual(pollers.names(), ['b']);
    assert.equal(clock.timers.size, 1);
    pollers.dispose();
    assert.equal(clock.timers.size, 0);
  });
});

describe('several views as one', () => {
  test('visible while any view is, with an event only when that changes', () => {
    const a = new FakeView(false);
    const b = new FakeView(false);
    const both = anyVisible([a, b]);
    const seen: boolean[] = [];
    both.onDidChangeVisibility((event) => seen.push(event.visible));
    a.set(true);
    b.set(true);
    a.set(false);
    b.set(false);
    assert.deepEqual(seen, [true, false]);
    assert.equal(both.visible, false);
  });
});

describe('following running transforms', () => {
  test('a running transform brings a refresh in 5 s; failures double it; idle or hidden brings none', async () => {
    const clock = new FakeClock();
    const view = new FakeView(true);
    let refreshes = 0;
    const follow = new FollowUpRefresh(view, () => refreshes++, clock);
    follow.note('running');
    follow.note('running');
    assert.equal(clock.pendingAt(), 5_000, 'one refresh pending at a time');
    await clock.fire();
    assert.equal(refreshes, 1);
    follow.note('failed');
    assert.equal(clock.pendingAt(), 5_000 + 10_000);
    await clock.fire();
    follow.note('idle');
    assert.equal(clock.pendingAt(), undefined);
    view.set(false);
    follow.note('running');
    assert.equal(clock.pendingAt(), undefined, 'nothing while hidden');
    follow.dispose();
    assert.equal(refreshes, 2);
  });
});
