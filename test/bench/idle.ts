import { FacilityPollers, type VisibleView } from '../../client/src/connection/visibilityPoller';
import { Facility, type FacilitySnapshot } from '../../client/src/facility/facility';
import type { FacilityProfile } from '../../client/src/facility/profile';
import { ManualClock } from '../support/manualClock';

/** The default of `coffeaCasa.sessions.refreshSeconds`. */
export const INTERVAL_SECONDS = 30;

/**
 * Requests per minute one facility costs while idle, with the extension's own scheduling (`FacilityPollers`) on a
 * virtual clock: each refresh probes the facility and then, when the view is shown, does what VS Code's tree asks of
 * expanded nodes (`render`). `count` reads the requests the servers received so far.
 */
export async function idleRequestsPerMinute(options: {
  facility: Facility;
  visible: boolean;
  minutes: number;
  render: (snapshot: FacilitySnapshot, signal: AbortSignal) => Promise<unknown>;
  count: () => Promise<number>;
}): Promise<number> {
  const { facility } = options;
  const clock = new VirtualClock();
  let snapshot: FacilitySnapshot | undefined;
  const view: VisibleView = { visible: options.visible, onDidChangeVisibility: () => ({ dispose: () => undefined }) };
  const connections = {
    sessions: () => [{ profile: facility.profile, snapshot }],
    refresh: async () => {
      const signal = new AbortController().signal;
      snapshot = await facility.probe(signal);
      await options.render(snapshot, signal);
    },
    onDidChange: () => ({ dispose: () => undefined }),
  };
  const before = await options.count();
  const pollers = new FacilityPollers(connections, { view, intervalSeconds: () => INTERVAL_SECONDS, clock });
  try {
    await clock.runUntil(options.minutes * 60_000);
  } finally {
    pollers.dispose();
  }
  return ((await options.count()) - before) / options.minutes;
}

/** Virtual time: each timer fires in order, and the refresh it starts finishes before time moves on. */
class VirtualClock extends ManualClock {
  async runUntil(end: number): Promise<void> {
    for (let callback = this.takeEarliest(end); callback; callback = this.takeEarliest(end)) {
      // The poller's refresh is asynchronous; wait until it has rescheduled (a new timer) before going on.
      const settled = new Promise<void>((resolve) => {
        const poll = () => (this.timers.size > 0 ? resolve() : setImmediate(poll));
        setImmediate(poll);
      });
      callback();
      await settled;
    }
  }
}

/**
 * Idle requests per minute with the view visible and hidden, for a facility profile on the simulator: each
 * measurement opens the facility afresh (so the two do not share a warm token or pool) and closes it after.
 */
export async function idleVisibleHidden(options: {
  profile: FacilityProfile;
  token: string;
  count: () => Promise<number>;
  render: (facility: Facility, snapshot: FacilitySnapshot, signal: AbortSignal) => Promise<unknown>;
}): Promise<{ visible: number; hidden: number }> {
  const rate = async (visible: boolean) => {
    const opened = await Facility.open(options.profile, options.token, 10_000);
    if (!opened.ok) throw new Error(opened.error.message);
    const facility = opened.value;
    try {
      return await idleRequestsPerMinute({
        facility,
        visible,
        minutes: 10,
        count: options.count,
        render: (snapshot, signal) => options.render(facility, snapshot, signal),
      });
    } finally {
      await facility.dispose();
    }
  };
  return { visible: await rate(true), hidden: await rate(false) };
}
