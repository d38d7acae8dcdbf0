import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

// The Python client guards `db.json` with `filelock.FileLock(<cache>/.servicex/db.lock)` (servicex-facts.md §1.10).
// On Windows that lock is a file that exists only while held; where filelock falls back to its soft lock, likewise.
// On Linux and macOS it is an flock on a file that stays behind, empty, after release; Node cannot take or test an
// flock, so an empty lock file there is left alone and writing relies on the atomic rename alone. Our own lock is
// an exclusively created `db.lock` holding a marker, removed when released.

const MARKER = 'coffea-casa-vscode';

/** How long to wait for someone else's lock before giving up. */
export interface LockOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly platform?: NodeJS.Platform;
  /** Called each time the lock is found held by someone else, before waiting (to tell the user why nothing moves). */
  readonly onWait?: (holder: string) => void;
}

/** Runs `work` while holding the cache lock; the lock file is removed afterwards whatever happens. */
export async function withCacheLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const release = await acquire(lockPath, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const platform = options.platform ?? process.platform;
  const marker = `${MARKER} ${process.pid}@${hostname()} ${Math.random().toString(36).slice(2)}\n`;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(marker);
      } finally {
        await handle.close();
      }
      return async () => {
        // Remove only our own file: if it was taken over as stale, it now belongs to someone else.
        const now = await readFile(lockPath, 'utf8').catch(() => '');
        if (now === marker) await unlink(lockPath).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (holder === undefined) continue; // Released between our two calls: try again at once.
    if (holder === '' && platform !== 'win32') return () => Promise.resolve();
    if (isStale(holder)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() - started > timeoutMs)
      throw new CacheLockedError(
        `The ServiceX cache is busy: ${lockPath} has been held for more than ${Math.round(timeoutMs / 1000)} s. Try again when the other delivery finishes, or delete the file if nothing is running.`,
      );
    options.onWait?.(holder);
    // Back off from 10 ms to 200 ms: a cache write holds the lock for milliseconds.
    await delay(Math.min(200, 10 * 2 ** Math.min(attempt, 5)), undefined, { signal: options.signal });
  }
}

/** A marker of ours from a process on this machine that no longer runs. */
function isStale(holder: string): boolean {
  const match = new RegExp(`^${MARKER} (\\d+)@(\\S+) `).exec(holder);
  if (!match || match[2] !== hostname()) return false;
  try {
    process.kill(Number(match[1]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The lock stayed held past the timeout. */
export class CacheLockedError extends Error {}
