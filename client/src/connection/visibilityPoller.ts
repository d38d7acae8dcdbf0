// The scheduling is kept free of the `vscode` module at run time, so that unit tests drive it with a fake clock and a
// fake view; the extension hands it the real TreeView, whose shape is all it needs.

/** The part of a `vscode.TreeView` the poller watches. */
export interface VisibleView {
  readonly visible: boolean;
  onDidChangeVisibility(listener: (event: { readonly visible: boolean }) => unknown): { dispose(): unknown };
}

/** Several views as one: visible while any of them is, with one event when that changes. */
export function anyVisible(views: readonly VisibleView[]): VisibleView {
  return {
    get visible() {
      return views.some((view) => view.visible);
    },
    onDidChangeVisibility(listener) {
      let last = views.some((view) => view.visible);
      const subscriptions = views.map((view) =>
        view.onDidChangeVisibility(() => {
          const now = views.some((v) => v.visible);
          if (now === last) return;
          last = now;
          listener({ visible: now });
        }),
      );
      return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
    },
  };
}

/** Timers and time, injected so that tests need no sleeps. */
export interface PollerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; timers are unref'd so that a pending refresh never keeps a process alive. */
export const systemClock: PollerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PollerOptions {
  readonly view: VisibleView;
  /** Refreshes once; resolves to false when the refresh failed, so that the poller backs off. */
  readonly refresh: () => Promise<boolean>;
  /** The base interval, read at every scheduling so that a settings change applies on the next round. */
  readonly intervalSeconds: () => number;
  /** The longest interval backing off may reach. */
  readonly maxSeconds?: number;
  readonly clock?: PollerClock;
}

/** The shortest base interval, whatever the settings say, so that a typo cannot hammer the facility. */
export const MIN_INTERVAL_SECONDS = 5;
const DEFAULT_MAX_SECONDS = 600;

/**
 * Refreshes while a view is visible: every interval, doubled after each failed refresh up to a cap and reset after a
 * success. Hidden views cost nothing: the timer stops, and showing the view again refreshes at once if a refresh is due.
 */
export class VisibilityPoller {
  private readonly clock: PollerClock;
  private readonly maxMs: number;
  private readonly subscription: { dispose(): unknown };
  private timer: unknown;
  private failures = 0;
  private lastRefresh: number;
  private running = false;
  private disposed = false;

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxMs = (options.maxSeconds ?? DEFAULT_MAX_SECONDS) * 1000;
    this.lastRefresh = this.clock.now();
    this.subscription = options.view.onDidChangeVisibility((event) => this.visibilityChanged(event.visible));
    if (options.view.visible) this.schedule();
  }

  /** The wait before the next refresh: the base interval doubled once per failure in a row, capped. */
  delayMs(): number {
    const base = Math.max(MIN_INTERVAL_SECONDS, this.options.intervalSeconds()) * 1000;
    return Math.min(this.maxMs, base * 2 ** Math.min(this.failures, 30));
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.subscription.dispose();
  }

  private visibilityChanged(visible: boolean): void {
    if (this.disposed) return;
    if (visible) this.schedule();
    else this.stop();
  }

  /** Sets the timer for whatever remains of the current delay since the last refresh. */
  private schedule(): void {
    this.stop();
    if (this.disposed || this.running || !this.options.view.visible) return;
    const remaining = Math.max(0, this.lastRefresh + this.delayMs() - this.clock.now());
    this.timer = this.clock.setTimeout(() => void this.tick(), remaining);
  }

  private stop(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.disposed || !this.options.view.visible) return;
    this.running = true;
    let succeeded = false;
    try {
      succeeded = await this.options.refresh();
    } catch {
      // A refresh that throws counts as failed; the poller must outlive it, or the view would stop updating.
    } finally {
      this.running = false;
    }
    this.failures = succeeded ? 0 : this.failures + 1;
    this.lastRefresh = this.clock.now();
    this.schedule();
  }
}

/** The part of `Connections` the per-facility pollers use. */
export interface PolledConnections {
  sessions(): readonly { readonly profile: { readonly name: string }; readonly snapshot?: FacilitySnapshotLike }[];
  refresh(name: string): Promise<void>;
  onDidChange(listener: () => unknown): { dispose(): unknown };
}

interface FacilitySnapshotLike {
  readonly hub: { readonly ok: boolean };
}

/**
 * One poller per connected facility, so that a facility whose hub is down backs off on its own while the others keep
 * their interval, and a hidden view costs no request to any of them. Pollers come and go with the sessions.
 */
export class FacilityPollers {
  private readonly pollers = new Map<string, VisibilityPoller>();
  private readonly subscription: { dispose(): unknown };

  constructor(
    private readonly connections: PolledConnections,
    private readonly options: Omit<PollerOptions, 'refresh'>,
  ) {
    this.subscription = connections.onDidChange(() => this.sync());
    this.sync();
  }

  /** The facilities being polled, for tests and the log. */
  names(): string[] {
    return [...this.pollers.keys()];
  }

  /** The wait before a facility's next refresh, or undefined when it is not polled. */
  delayMs(name: string): number | undefined {
    return this.pollers.get(name)?.delayMs();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const poller of this.pollers.values()) poller.dispose();
    this.pollers.clear();
  }

  private sync(): void {
    const names = new Set(this.connections.sessions().map((session) => session.profile.name));
    for (const [name, poller] of this.pollers) {
      if (names.has(name)) continue;
      poller.dispose();
      this.pollers.delete(name);
    }
    for (const name of names) {
      if (this.pollers.has(name)) continue;
      const refresh = async () => {
        await this.connections.refresh(name);
        // A refresh counts as failed when the hub did not answer, the service the Sessions view is mostly about.
        const session = this.connections.sessions().find((s) => s.profile.name === name);
        return session?.snapshot?.hub.ok !== false;
      };
      this.pollers.set(name, new VisibilityPoller({ ...this.options, refresh }));
    }
  }
}

/** The quick interval while something the user watches is running, and the cap it backs off to after failures. */
export const FOLLOW_UP_SECONDS = 5;
const FOLLOW_UP_MAX_SECONDS = 60;

/**
 * Refreshes a view again soon while it shows something still running (a ServiceX transform), instead of waiting for
 * the facility poller: every few seconds, doubling after a failed listing, and never while the view is hidden. Each
 * listing reports what it saw with `note`; one refresh at most is pending at a time.
 */
export class FollowUpRefresh {
  private timer: unknown;
  private failures = 0;
  private disposed = false;

  constructor(
    private readonly view: VisibleView,
    private readonly refresh: () => void,
    private readonly clock: PollerClock = systemClock,
  ) {}

  /** What the latest listing saw: something running, nothing running, or a failure. */
  note(seen: 'running' | 'idle' | 'failed'): void {
    if (this.disposed) return;
    if (seen === 'idle') {
      this.failures = 0;
      return;
    }
    this.failures = seen === 'failed' ? this.failures + 1 : 0;
    if (seen === 'failed' && this.failures > 4) return;
    if (this.timer !== undefined || !this.view.visible) return;
    const delay = Math.min(FOLLOW_UP_MAX_SECONDS, FOLLOW_UP_SECONDS * 2 ** this.failures) * 1000;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.disposed && this.view.visible) this.refresh();
    }, delay);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
