import type { Connections } from './connections';

// The scheduling is kept free of the `vscode` module at run time, so that unit tests drive it with a fake clock and a
// fake view; the extension hands it the real TreeView, whose shape is all it needs.

/** The part of a `vscode.TreeView` the poller watches. */
export interface VisibleView {
  readonly visible: boolean;
  onDidChangeVisibility(listener: (event: { readonly visible: boolean }) => unknown): { dispose(): unknown };
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

/**
 * A refresh of every connected facility for the poller; it counts as failed when a hub did not answer, the service the
 * Sessions view is mostly about.
 */
export function refreshSessions(connections: Connections): () => Promise<boolean> {
  return async () => {
    await connections.refresh();
    return connections.sessions().every((session) => session.snapshot?.hub.ok !== false);
  };
}
