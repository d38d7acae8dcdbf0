import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Facility } from '../../client/src/facility/facility';
import { serverBaseUrl } from '../../client/src/facility/urls';
import { describeLabClusters } from '../../client/src/remote/daskClusters';
import { serverSettings } from '../../client/src/remote/jupyterConnection';
import { listServerActivity } from '../../client/src/remote/serverActivity';
import { idleRequestsPerMinute } from './idle';
import type { Row } from './report';

const SERVERS = 20;
const CLUSTERS = 3;
const MINUTES = 10;
const TOKEN = 'bench-token';

/**
 * Requests per minute the Sessions view makes while idle, visible and hidden, with SERVERS running servers and
 * CLUSTERS Dask clusters, all expanded. The extension's own code runs: one poller per facility (`FacilityPollers`),
 * the facility probe, and on each refresh, as VS Code asks an expanded tree for its children again, every server's
 * kernels, terminals and clusters and every cluster's dashboard. Time is virtual (MINUTES of it), the requests real:
 * a loopback facility answers with the documented shapes (servicex-facts.md §8, §9) and counts what it receives.
 */
export async function idleRequestRates(): Promise<Row[]> {
  const facility = await startFacility();
  try {
    const visible = await requestsPerMinute(facility, true);
    const hidden = await requestsPerMinute(facility, false);
    return [
      { what: `idle requests/min, view visible (${SERVERS} servers, ${CLUSTERS} clusters)`, ours: visible, unit: '' },
      { what: 'idle requests/min, view hidden (must be 0)', ours: hidden, unit: '' },
    ];
  } finally {
    await facility.close();
  }
}

interface BenchFacility {
  readonly base: string;
  requests(): number;
  close(): Promise<void>;
}

async function requestsPerMinute(fixture: BenchFacility, shown: boolean): Promise<number> {
  const opened = await Facility.open({ name: 'bench', hubUrl: fixture.base, allowHttp: true }, TOKEN, 10_000);
  if (!opened.ok) throw new Error(opened.error.message);
  const facility = opened.value;
  try {
    return await idleRequestsPerMinute({
      facility,
      visible: shown,
      minutes: MINUTES,
      count: () => Promise.resolve(fixture.requests()),
      // VS Code asks the expanded nodes for their children again after a refresh: every running server's contents.
      render: async (snapshot, signal) => {
        if (!snapshot.hub.ok || snapshot.hub.value.identity.kind !== 'user') return;
        await Promise.all(
          snapshot.hub.value.identity.servers.map(async (server) => {
            const url = server.url ?? '';
            await listServerActivity(serverSettings(fixture.base, url, TOKEN), signal);
            await describeLabClusters(facility.http, serverBaseUrl(fixture.base, url), TOKEN, signal);
          }),
        );
      },
    });
  } finally {
    await facility.dispose();
  }
}

/** A loopback hub with SERVERS running named servers; the first server runs CLUSTERS dask-labextension clusters. */
async function startFacility(): Promise<BenchFacility> {
  let count = 0;
  const user = 'alice';
  const serverNames = Array.from({ length: SERVERS }, (_, i) => `s${i}`);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    count++;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (body: unknown) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (path === '/hub/api/') return json({ version: '3.0.0' });
    if (path === '/hub/api/user') {
      const servers = Object.fromEntries(
        serverNames.map((name) => [name, { name, ready: true, pending: null, url: `/user/${user}/${name}/` }]),
      );
      return json({ kind: 'user', name: user, admin: false, servers });
    }
    const match = /^\/user\/alice\/(s\d+)\/(.*)$/.exec(path);
    if (!match) {
      res.statusCode = 404;
      return json({ status: 404, message: 'Not Found' });
    }
    const [, name, rest] = match;
    if (rest === 'api/kernels') return json([{ id: `k-${name}`, name: 'python3', execution_state: 'idle' }]);
    if (rest === 'api/terminals') return json([{ name: '1' }]);
    if (rest === 'dask/clusters') {
      const clusters = name === 's0' ? Array.from({ length: CLUSTERS }, (_, i) => i) : [];
      return json(
        clusters.map((i) => ({
          id: `c${i}`,
          name: `LocalCluster ${i + 1}`,
          scheduler_address: `tcp://127.0.0.1:${8786 + i}`,
          dashboard_link: `/user/${user}/${name}/proxy/${8787 + i}/status`,
          workers: 2,
          memory: '4.00 GiB',
          cores: 4,
        })),
      );
    }
    if (/^proxy\/\d+\/json\/identity\.json$/.test(rest)) {
      const worker = { nthreads: 2, memory_limit: 2 ** 31 };
      return json({ type: 'Scheduler', address: 'tcp://127.0.0.1:8786', workers: { a: worker, b: worker } });
    }
    if (/^proxy\/\d+\/json\/counts\.json$/.test(rest)) return json({ tasks: 0, processing: 0, workers: 2 });
    res.statusCode = 404;
    json({ message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
