// The simulator's real JupyterHub and Dask, and its promise to leave nothing behind when it stops.
// It starts a private simulator because the tests stop it and check what it leaves.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SIMULATOR_MAIN, startSimulator, type Simulator, type SimulatorInfo } from '../support/simulator';

let sim: Simulator;

before(async () => {
  sim = await startSimulator({ own: true });
});

after(async () => {
  await sim?.stop();
});

/** True while `pid` is a live process; a zombie waiting to be reaped counts as gone. */
function isRunning(pid: number): boolean {
  if (existsSync('/proc')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('real JupyterHub', () => {
  test('alice’s token identifies her and her default server is ready', async (t) => {
    if (!existsSync('/usr/bin/jupyterhub')) return t.skip("Debian's jupyterhub is not installed");
    assert.ok('url' in sim.hub, `hub unavailable: ${JSON.stringify(sim.hub)}`);
    const hub = sim.hub;
    const me = await fetch(`${hub.url}/hub/api/user`, { headers: { Authorization: `token ${hub.userToken}` } });
    assert.equal(me.status, 200);
    const user = (await me.json()) as { name: string; kind: string };
    assert.deepEqual([user.name, user.kind], ['alice', 'user']);
    const admin = await fetch(`${hub.url}/hub/api/users/alice`, {
      headers: { Authorization: `token ${hub.adminToken}` },
    });
    const servers = ((await admin.json()) as { servers: Record<string, { ready: boolean; url: string }> }).servers;
    assert.equal(servers[''].ready, true);
    assert.equal(servers[''].url, '/user/alice/');
  });
});

describe('real Dask', () => {
  test('the scheduler knows one worker with two threads', async (t) => {
    if (!existsSync('/usr/bin/dask')) return t.skip("Debian's python3-distributed is not installed");
    assert.ok('dashboard' in sim.dask, `dask unavailable: ${JSON.stringify(sim.dask)}`);
    const identity = (await (await fetch(`${sim.dask.dashboard}/json/identity.json`)).json()) as {
      type: string;
      address: string;
      workers: Record<string, { name: string; nthreads: number; memory_limit: number }>;
    };
    assert.equal(identity.type, 'Scheduler');
    assert.equal(identity.address, sim.dask.scheduler);
    const workers = Object.values(identity.workers);
    assert.equal(workers.length, 1);
    assert.deepEqual(
      [workers[0].name, workers[0].nthreads, workers[0].memory_limit],
      ['sim-worker-1', 2, 2 * 1024 ** 3],
    );
  });
});

describe('lifecycle', () => {
  test('stop() leaves no process and no state folder behind', async () => {
    const list = await sim.processes();
    assert.equal(list.pid, sim.pid);
    const names = list.children.map((child) => child.name).sort();
    const expected = [
      ...(existsSync('/usr/bin/dask') ? ['dask-scheduler', 'dask-worker'] : []),
      ...(existsSync('/usr/bin/jupyterhub') ? ['jupyterhub'] : []),
    ];
    assert.deepEqual(names, expected);
    // The hub's proxy and alice's server, and the Dask nanny's worker, are descendants too.
    assert.ok(list.descendants.length > names.length, `descendants: ${list.descendants.join(' ')}`);
    const pids = [sim.pid, ...list.descendants];
    await sim.stop();
    assert.deepEqual(
      pids.filter((pid) => isRunning(pid)),
      [],
    );
    assert.equal(existsSync(sim.stateDir), false);
  });

  test('the simulator stops by itself when its stdin ends, keeping a given state folder', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'coffea-casa-sim-test-'));
    try {
      const child = spawn(process.execPath, [SIMULATOR_MAIN, '--no-hub', '--no-dask', '--state-dir', stateDir], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
        });
        void exited.then((code) => reject(new Error(`exited early with code ${code}`)));
      });
      const info = JSON.parse(line) as SimulatorInfo;
      assert.deepEqual(info.hub, { unavailable: 'JupyterHub was turned off with --no-hub' });
      assert.deepEqual(info.dask, { unavailable: 'Dask was turned off with --no-dask' });
      assert.equal(info.stateDir, stateDir);
      child.stdin.end();
      assert.equal(await exited, 0);
      assert.equal(isRunning(info.pid), false);
      assert.ok(existsSync(join(stateDir, 'kubeconfig')));
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
