// The Coffea-Casa facility simulator: one process serving ServiceX, Triton, Triton metrics and a Kubernetes API on
// loopback ports, plus a real JupyterHub and a real Dask cluster when Debian's packages are installed.
// Usage: node out/sim/src/main.js [--no-hub] [--no-dask] [--state-dir DIR]
// It prints one JSON line (SimulatorInfo, sim/src/info.ts) on stdout when everything answers; logs go to stderr.
import { randomBytes } from 'node:crypto';
import { fstatSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { controlRouter } from './control';
import { startDask } from './dask';
import { FaultStore } from './faults';
import { closeServer, type Router } from './http';
import { startHub } from './hub';
import { Hub1 } from './hub1';
import type { ServiceName, SimulatorInfo } from './info';
import { kubernetesRouter, writeKubeconfig } from './kubernetes';
import { KubeState } from './kubeState';
import { log, messageOf } from './log';
import { seedPods } from './pods';
import { ProcessTable } from './processes';
import { ServicexAuth, servicexRouter } from './servicex';
import { ServicexState } from './servicexState';
import { tritonMetricsRouter, tritonRouter } from './triton';
import { TritonState } from './tritonModels';

const NAMESPACE = 'alice';
// The worker goes before its scheduler (feasibility.md Q3), and the hub last: it stops its own proxy and servers.
const STOP_ORDER = ['dask-worker', 'dask-scheduler', 'jupyterhub'];

interface Options {
  readonly hub: boolean;
  readonly dask: boolean;
  readonly stateDir?: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: { 'no-hub': { type: 'boolean' }, 'no-dask': { type: 'boolean' }, 'state-dir': { type: 'string' } },
  });
  return { hub: !values['no-hub'], dask: !values['no-dask'], stateDir: values['state-dir'] };
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = readOptions();
  } catch (error) {
    log(`${messageOf(error)}\nusage: node out/sim/src/main.js [--no-hub] [--no-dask] [--state-dir DIR]`);
    process.exit(2);
  }
  const stateDir = options.stateDir ? resolve(options.stateDir) : await mkdtemp(join(tmpdir(), 'coffea-casa-sim-'));
  await mkdir(stateDir, { recursive: true });
  const processes = new ProcessTable();
  const servers: Server[] = [];
  const shutdown = new AbortController();
  let stopping: Promise<void> | undefined;
  const stop = (why: string, code = 0) => {
    stopping ??= (async () => {
      log(`stopping: ${why}`);
      shutdown.abort(new Error(`the simulator is stopping (${why})`));
      await processes.closeAll(STOP_ORDER);
      await Promise.all(servers.map(closeServer));
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
      log('stopped');
      process.exit(code);
    })();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('uncaughtException', (error) => {
    log(`internal error: ${error.stack ?? error.message}`);
    stop('internal error', 1);
  });
  watchParent(() => stop('stdin closed: the parent has gone'));

  try {
    await serve(options, stateDir, processes, servers, shutdown.signal);
  } catch (error) {
    log(`could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    stop('could not start', 1);
  }
}

/** Starts the services and the real components, then prints the ready line. */
async function serve(
  options: Options,
  stateDir: string,
  processes: ProcessTable,
  servers: Server[],
  signal: AbortSignal,
): Promise<void> {
  const faults = new FaultStore();
  const servicexAuth = new ServicexAuth();
  const servicexState = new ServicexState();
  const kubeToken = randomBytes(32).toString('hex');
  const triton = new TritonState();
  const kube = new KubeState(NAMESPACE, seedPods(NAMESPACE, new Date()), new Date());
  const services = new Map<ServiceName, Router>([
    ['servicex', servicexRouter(servicexAuth, faults, servicexState)],
    ['servicexStore', servicexState.objectStore(faults)],
    ['triton', tritonRouter(faults, triton)],
    ['tritonMetrics', tritonMetricsRouter(faults, triton)],
    ['kubernetes', kubernetesRouter(kubeToken, kube, faults)],
  ]);
  const urls = new Map<ServiceName | 'control', string>();
  const listen = async (name: ServiceName | 'control', router: Router) => {
    const { server, url } = await router.listen();
    servers.push(server);
    urls.set(name, url);
    return url;
  };
  for (const [name, router] of services) await listen(name, router);
  kube.forwardTriton(urls.get('triton') as string, urls.get('tritonMetrics') as string);
  const hub1 = new Hub1(faults);
  services.set('hub1', hub1.router);
  const hub1Listening = await hub1.listen();
  servers.push(hub1Listening.server);
  const control = await listen(
    'control',
    controlRouter({ faults, services, servicexAuth, processes, servicexState, triton, hub1, kube }),
  );
  const kubeconfig = join(stateDir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, urls.get('kubernetes') as string, kubeToken, NAMESPACE);

  const [hub, dask] = await Promise.all([
    options.hub ? startHub(stateDir, processes, signal) : { unavailable: 'JupyterHub was turned off with --no-hub' },
    options.dask ? startDask(stateDir, processes, signal) : { unavailable: 'Dask was turned off with --no-dask' },
  ]);
  if (signal.aborted) return;
  if ('unavailable' in hub) log(`hub unavailable: ${hub.unavailable}`);
  if ('unavailable' in dask) log(`dask unavailable: ${dask.unavailable}`);
  const info: SimulatorInfo = {
    pid: process.pid,
    stateDir,
    servicex: urls.get('servicex') as string,
    servicexRefreshToken: servicexAuth.refreshToken,
    triton: urls.get('triton') as string,
    tritonMetrics: `${urls.get('tritonMetrics')}/metrics`,
    kubernetes: urls.get('kubernetes') as string,
    kubeconfig,
    kubeNamespace: NAMESPACE,
    control,
    hub,
    hub1: hub1Listening.info,
    dask,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  log(`ready: control API at ${control}, state in ${stateDir}`);
}

/**
 * Stops the simulator when its stdin pipe ends, which is how a parent's death shows when it cannot send a signal.
 * Only a pipe or socket counts: a terminal never ends, and /dev/null ends at once.
 */
function watchParent(onGone: () => void): void {
  let stdin;
  try {
    stdin = fstatSync(0);
  } catch {
    return;
  }
  if (!stdin.isFIFO() && !stdin.isSocket()) return;
  process.stdin.on('end', onGone);
  process.stdin.on('error', onGone);
  process.stdin.resume();
}

void main();
