import type { PollerClock } from '../../client/src/connection/visibilityPoller';

/**
 * A poller clock whose time moves only when its user says: timers are kept, not run, until `takeEarliest` hands
 * over the one due first (moving time to it). The unit tests step it one timer at a time; the idle bench runs it
 * through minutes of virtual time.
 */
export class ManualClock implements PollerClock {
  protected time = 0;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Removes the timer due first and moves time to it; undefined when none is set or it falls after `limit`. */
  takeEarliest(limit = Infinity): (() => void) | undefined {
    const next = [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!next || next[1].at > limit) return undefined;
    this.timers.delete(next[0]);
    this.time = next[1].at;
    return next[1].callback;
  }
}
