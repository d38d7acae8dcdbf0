import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import type { Result } from '../../client/src/facility/result';
import {
  attachSnippet,
  describeLabClusters,
  LabDask,
  type LabClusterStatus,
} from '../../client/src/remote/daskClusters';
import { useRealHub } from '../support/realHub';

// Dask clusters under alice's default server on the simulator's real JupyterHub. The server runs the simulator's
// stand-in for dask-labextension (sim/python), which starts real LocalClusters from Debian's python3-distributed, and
// the dashboards are read through the server's proxy route, as on coffea-casa. The simulator may be shared, so every
// cluster the test starts is shut down again.
describe('Dask clusters of a hub server', { timeout: 120_000 }, () => {
  const hub = useRealHub();
  const signal = new AbortController().signal;
  let http: FacilityHttp;
  const serverUrl = () => `${hub.hubUrl}/user/${hub.user}/`;
  const dask = () => new LabDask(http, serverUrl(), hub.token);
  const started: string[] = [];

  before(async () => {
    const created = await FacilityHttp.create({ timeoutMs: 60_000 });
    assert.ok(created.ok);
    http = created.value;
  });
  after(async () => {
    for (const id of started) await dask().close(id, signal);
    await http?.close();
  });

  const value = <T>(result: Result<T>): T => {
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    return result.value;
  };

  /** Asks the server and the dashboards again until the cluster's live numbers satisfy `check`. */
  const clusterUntil = async (id: string, check: (status: LabClusterStatus) => boolean): Promise<LabClusterStatus> => {
    for (;;) {
      const overview = value(await describeLabClusters(http, serverUrl(), hub.token, signal));
      assert.equal(overview.kind, 'clusters');
      const status = overview.kind === 'clusters' ? overview.clusters.find((c) => c.cluster.id === id) : undefined;
      assert.ok(status, `cluster ${id} is no longer listed`);
      if (check(status)) return status;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  test('a new cluster shows its real workers, threads and memory through the proxied dashboard', async () => {
    const cluster = value(await dask().create(signal));
    started.push(cluster.id);
    assert.match(cluster.schedulerAddress, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    // coffea-casa's dashboard link: a path under the server, through its proxy route (servicex-facts.md §9.1).
    assert.match(cluster.dashboardLink, new RegExp(`^/user/${hub.user}/proxy/\\d+/status$`));

    const status = await clusterUntil(cluster.id, (s) => s.live?.ok === true);
    assert.equal(status.dashboard, `${hub.hubUrl}${cluster.dashboardLink.replace(/status$/, '')}`);
    const live = value(status.live!);
    assert.equal(live.schedulerAddress, cluster.schedulerAddress);
    assert.equal(live.workers, 1);
    assert.equal(live.threads, 1);
    // The stand-in gives each worker 512 MiB, which the scheduler reports in bytes.
    assert.equal(live.memoryLimitBytes, 512 * 1024 ** 2);
  });

  test('Scale to three workers, then adaptively, is what the scheduler reports', async () => {
    const cluster = value(await dask().create(signal));
    started.push(cluster.id);
    value(await dask().scale(cluster.id, 3, signal));
    const scaled = await clusterUntil(cluster.id, (s) => s.live?.ok === true && s.live.value.workers === 3);
    assert.equal(scaled.live?.ok && scaled.live.value.memoryLimitBytes, 3 * 512 * 1024 ** 2);
    assert.equal(scaled.cluster.adapt, undefined);

    const adapted = value(await dask().adapt(cluster.id, 1, 2, signal));
    assert.deepEqual(adapted.adapt, { minimum: 1, maximum: 2 });
    // With nothing to compute, adaptive scaling retires workers down towards the minimum.
    const settled = await clusterUntil(cluster.id, (s) => s.live?.ok === true && s.live.value.workers <= 2);
    assert.deepEqual(settled.cluster.adapt, { minimum: 1, maximum: 2 });
  });

  test('the generated Attach code connects a real client to the scheduler', async () => {
    const cluster = value(await dask().create(signal));
    started.push(cluster.id);
    const code = `${attachSnippet(cluster.schedulerAddress)}\nprint(len(client.scheduler_info()["workers"]))\nclient.close()\n`;
    const run = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').at(-1), '1');
  });

  test('a shut-down cluster leaves the list, and shutting it down again is a clear 404', async () => {
    const cluster = value(await dask().create(signal));
    value(await dask().close(cluster.id, signal));
    const listed = value(await dask().list(signal));
    assert.equal(listed.kind, 'clusters');
    assert.ok(listed.kind === 'clusters' && !listed.clusters.some((c) => c.id === cluster.id));

    const again = await dask().close(cluster.id, signal);
    assert.ok(!again.ok);
    assert.equal(again.error.kind, 'notFound');
    assert.match(again.error.message, /not found/);
  });

  test('a wrong token is refused without showing either token', async () => {
    const wrong = 'not-the-token-0123456789';
    const listed = await new LabDask(http, serverUrl(), wrong).list(signal);
    assert.ok(!listed.ok);
    assert.equal(listed.error.kind, 'unauthorized');
    assert.doesNotMatch(listed.error.message, new RegExp(`${wrong}|${hub.token}`));
  });
});
