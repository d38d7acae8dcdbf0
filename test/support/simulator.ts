import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault, FaultSpec, ProcessList, ServiceName, SimulatorInfo } from '../../sim/src/info';

export type { Fault, FaultSpec, ProcessList, ServiceName, SimulatorInfo };

/** A running simulator: what it printed, and the calls tests make on its control API. */
export interface Simulator extends SimulatorInfo {
  /** False when the simulator belongs to the test runner (COFFEA_CASA_SIM_INFO); then `stop()` only clears faults. */
  readonly owned: boolean;
  /** Stops an owned simulator by its PID and waits until it has exited; safe to call twice. */
  stop(): Promise<void>;
  /** Adds a fault and returns its id. */
  fault(spec: FaultSpec): Promise<string>;
  clearFaults(): Promise<void>;
  /** Requests seen per route key of `service` since the simulator started. */
  requestCounts(service: ServiceName): Promise<Record<string, number>>;
  /** The simulator's PID, its children and all their descendants. */
  processes(): Promise<ProcessList>;
  /** Any call of the control API (sim/src/control.ts); a non-2xx answer throws with the simulator's message. */
  callControl(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** What to start: the real hub and Dask are on unless turned off; `own` ignores a shared simulator. */
export interface SimulatorOptions {
  readonly hub?: boolean;
  readonly dask?: boolean;
  /** Start a private simulator even when the runner shares one, for tests of the simulator's own lifecycle. */
  readonly own?: boolean;
}

/** The compiled simulator, beside this helper's compiled form under out/. */
export const SIMULATOR_MAIN = join(__dirname, '..', '..', 'sim', 'src', 'main.js');

const START_DEADLINE_MS = 120_000;
const STDERR_TAIL_CHARS = 4000;

/** Starts the simulator (or joins the runner's shared one) and resolves once it has printed its ready line. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const shared = process.env.COFFEA_CASA_SIM_INFO;
  if (shared && !options.own) {
    const info = JSON.parse(readFileSync(shared, 'utf8')) as SimulatorInfo;
    const sim: Simulator = withControl(info, false, () => sim.clearFaults());
    return sim;
  }
  const args = [SIMULATOR_MAIN];
  if (options.hub === false) args.push('--no-hub');
  if (options.dask === false) args.push('--no-dask');
  // stdin stays an open pipe: if this process dies, the simulator sees it end and stops its children.
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const info = await new Promise<SimulatorInfo>((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`The simulator ${why}. Its stderr ends with:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed nothing within ${START_DEADLINE_MS / 1000} s`), START_DEADLINE_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(stdout.slice(0, end)) as SimulatorInfo);
      } catch (error) {
        fail(`printed a line that is not JSON (${String(error)})`);
      }
    });
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before it was ready (${signal ?? `code ${code}`})`);
    child.once('exit', onExit);
  });
  let stopping: Promise<void> | undefined;
  return withControl(info, true, () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(info.pid, 'SIGTERM');
      await exited;
    })();
    return stopping;
  });
}

function withControl(info: SimulatorInfo, owned: boolean, stop: () => Promise<void>): Simulator {
  const control = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${info.control}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Simulator control ${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  return {
    ...info,
    owned,
    stop,
    fault: async (spec) => (await control('POST', '/faults', spec)).id as string,
    clearFaults: async () => {
      await control('DELETE', '/faults');
    },
    requestCounts: async (service) =>
      (await control('GET', `/requests?service=${service}`))[service] as Record<string, number>,
    processes: async () => (await control('GET', '/processes')) as unknown as ProcessList,
    callControl: control,
  };
}
