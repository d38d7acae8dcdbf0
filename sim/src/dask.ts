import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DaskInfo, Unavailable } from './info';
import { messageOf } from './log';
import { freePorts } from './ports';
import { exitSignal, type Child, type ProcessTable } from './processes';
import { fetchOk, waitFor } from './wait';

// A real Dask scheduler and one worker from Debian's python3-distributed, started as in feasibility.md Q3.

const DASK = '/usr/bin/dask';
const READY_DEADLINE_MS = 60_000;

/** Starts a scheduler and one worker under `<stateDir>/dask` and waits until the worker has registered. */
export async function startDask(
  stateDir: string,
  processes: ProcessTable,
  signal: AbortSignal,
): Promise<DaskInfo | Unavailable> {
  if (!existsSync(DASK)) {
    return { unavailable: "Debian's python3-distributed is not installed (apt-get install python3-distributed)" };
  }
  const dir = join(stateDir, 'dask');
  const started: Child[] = [];
  try {
    await mkdir(join(dir, 'worker-space'), { recursive: true });
    const [port, dashboardPort] = await freePorts(2);
    const scheduler = `tcp://127.0.0.1:${port}`;
    const dashboard = `http://127.0.0.1:${dashboardPort}`;
    // Dask falls back to the system temporary folder for scratch files; keeping them in the state folder keeps /tmp clean.
    const env = { ...process.env, DASK_TEMPORARY_DIRECTORY: dir };
    const schedulerArgs = [
      'scheduler',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--dashboard-address',
      `127.0.0.1:${dashboardPort}`,
    ];
    started.push(
      processes.start('dask-scheduler', DASK, schedulerArgs, { cwd: dir, env, logFile: join(dir, 'scheduler.log') }),
    );
    const schedulerAlive = AbortSignal.any([signal, exitSignal(started[0])]);
    // servicex-facts.md §9.1 and feasibility.md Q3: /health answers "ok" once the dashboard server is up.
    await waitFor('the Dask scheduler answering /health', () => fetchOk(`${dashboard}/health`, schedulerAlive), {
      signal: schedulerAlive,
      deadlineMs: READY_DEADLINE_MS,
      intervalMs: 100,
    });
    const workerArgs = [
      'worker',
      scheduler,
      '--host',
      '127.0.0.1',
      '--nthreads',
      '2',
      '--memory-limit',
      '2GiB',
      '--name',
      'sim-worker-1',
      '--no-dashboard',
      '--local-directory',
      join(dir, 'worker-space'),
    ];
    started.push(processes.start('dask-worker', DASK, workerArgs, { cwd: dir, env, logFile: join(dir, 'worker.log') }));
    const bothAlive = AbortSignal.any([schedulerAlive, exitSignal(started[1])]);
    // feasibility.md Q3: /json/counts.json counts the registered workers.
    await waitFor(
      'the Dask worker registering with the scheduler',
      async () => {
        const counts = (await (await fetchOk(`${dashboard}/json/counts.json`, bothAlive))?.json()) as {
          workers?: number;
        };
        return (counts?.workers ?? 0) >= 1 ? true : undefined;
      },
      { signal: bothAlive, deadlineMs: READY_DEADLINE_MS, intervalMs: 200 },
    );
    return { scheduler, dashboard };
  } catch (error) {
    // The worker goes first: a scheduler stopped before its worker makes the nanny wait and then kill (Q3).
    // When the simulator is stopping, it stops them itself, in the same order.
    if (!signal.aborted) for (const child of started.reverse()) await processes.stop(child);
    return { unavailable: `Dask did not become ready: ${messageOf(error)} (logs: ${dir})` };
  }
}
