import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FacilityHttp } from '../../client/src/facility/http';
import {
  attachSnippet,
  dashboardBase,
  describeLabClusters,
  LabDask,
  parseLabCluster,
  parseLabClusters,
  parseScale,
} from '../../client/src/remote/daskClusters';
import { startLoopbackHttp, type LoopbackHttp } from '../support/loopbackHttp';

describe('dask-labextension cluster model', () => {
  test('reads every field of the model, including adapt', () => {
    const parsed = parseLabClusters([
      {
        id: 'a1b2',
        name: 'Coffea Casa Adaptive Cluster',
        scheduler_address: 'tls://localhost:8786',
        dashboard_link: '/user/alice/proxy/8785/status',
        workers: 3,
        cores: 6,
        memory: '12.00 GiB',
        adapt: { minimum: 1, maximum: 50 },
      },
    ]);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, [
      {
        id: 'a1b2',
        name: 'Coffea Casa Adaptive Cluster',
        schedulerAddress: 'tls://localhost:8786',
        dashboardLink: '/user/alice/proxy/8785/status',
        workers: 3,
        cores: 6,
        memory: '12.00 GiB',
        adapt: { minimum: 1, maximum: 50 },
      },
    ]);
  });

  test('a cluster without adapt has no adapt range', () => {
    const parsed = parseLabCluster({ id: 'x', scheduler_address: 'tcp://127.0.0.1:1', workers: 2 });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.adapt, undefined);
    assert.equal(parsed.value.name, 'x');
    assert.equal(parsed.value.workers, 2);
  });

  test('malformed JSON gives a clear message naming what is missing', () => {
    const notList = parseLabClusters({ clusters: [] });
    assert.ok(!notList.ok);
    assert.match(notList.error.message, /list of Dask clusters/);
    const noAddress = parseLabClusters([{ id: 'c7' }]);
    assert.ok(!noAddress.ok);
    assert.equal(noAddress.error.kind, 'badResponse');
    assert.match(noAddress.error.message, /c7.*scheduler_address/);
    const notObject = parseLabCluster('oops');
    assert.ok(!notObject.ok);
    assert.match(notObject.error.message, /not a JSON object/);
  });
});

describe('attach snippet', () => {
  test('plain tcp address: Client only, no Security', () => {
    const code = attachSnippet('tcp://127.0.0.1:8786');
    assert.match(code, /^from dask\.distributed import Client$/m);
    assert.match(code, /^client = Client\("tcp:\/\/127\.0\.0\.1:8786"\)$/m);
    assert.doesNotMatch(code, /Security/);
  });

  test('tls address: Security built from the coffea-casa certificates', () => {
    const code = attachSnippet('tls://localhost:8786');
    assert.match(code, /tls_ca_file="\/etc\/cmsaf-secrets\/ca\.pem"/);
    assert.match(code, /tls_client_cert="\/etc\/cmsaf-secrets\/hostcert\.pem"/);
    assert.match(code, /require_encryption=True/);
    assert.match(code, /^client = Client\("tls:\/\/localhost:8786", security=security\)$/m);
  });

  test('quotes in an address cannot break out of the Python string', () => {
    const code = attachSnippet('tcp://h"ost:1');
    assert.match(code, /Client\("tcp:\/\/h\\"ost:1"\)/);
  });
});

describe("listing a server's clusters over HTTP", () => {
  let loopback: LoopbackHttp;
  let base: string;
  let http: FacilityHttp;
  const seenAuth: string[] = [];
  const signal = new AbortController().signal;

  before(async () => {
    // `/with/` answers like dask-labextension; `/without/` like a server that lacks it (Jupyter's 404).
    loopback = await startLoopbackHttp((req, res) => {
      seenAuth.push(req.headers.authorization ?? '');
      if (req.url === '/with/dask/clusters') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify([{ id: 'k', name: 'K', scheduler_address: 'tcp://127.0.0.1:9', workers: 1 }]));
      } else {
        res.statusCode = 404;
        res.end('{"message": "Not Found"}');
      }
    }, 2000);
    ({ base, http } = loopback);
  });

  after(() => loopback.close());

  test('lists the clusters, sending the token as a header', async () => {
    const listed = await new LabDask(http, `${base}/with/`, 'secret-tok').list(signal);
    assert.ok(listed.ok);
    assert.equal(listed.value.kind, 'clusters');
    assert.deepEqual(listed.value.kind === 'clusters' ? listed.value.clusters.map((c) => c.id) : [], ['k']);
    assert.equal(seenAuth.at(-1), 'token secret-tok');
  });

  test('404 means no dask-labextension: a message, not an error', async () => {
    const listed = await new LabDask(http, `${base}/without/`, 'secret-tok').list(signal);
    assert.ok(listed.ok);
    assert.deepEqual(listed.value, { kind: 'unsupported', message: 'No dask-labextension on this server.' });
  });
});

describe('dashboard addresses', () => {
  test("coffea-casa's relative link resolves against the server's origin, without the status page", () => {
    const server = 'https://hub.example.org/user/alice/';
    assert.equal(
      dashboardBase('/user/alice/proxy/8785/status', server),
      'https://hub.example.org/user/alice/proxy/8785/',
    );
    assert.equal(dashboardBase('http://10.0.0.5:8787/status', server), 'http://10.0.0.5:8787/');
    assert.equal(dashboardBase('http://10.0.0.5:8787/status?x=1#y', server), 'http://10.0.0.5:8787/');
  });

  test('empty and non-web links give no dashboard', () => {
    assert.equal(dashboardBase('', 'https://hub/user/a/'), undefined);
    assert.equal(dashboardBase('javascript:alert(1)', 'https://hub/user/a/'), undefined);
    assert.equal(dashboardBase('file:///etc/passwd', 'https://hub/user/a/'), undefined);
  });
});

describe('the Scale answer', () => {
  test('a number is a fixed size, a range is adaptive', () => {
    assert.deepEqual(parseScale(' 4 '), { workers: 4 });
    assert.deepEqual(parseScale('0'), { workers: 0 });
    assert.deepEqual(parseScale('1-10'), { adapt: { minimum: 1, maximum: 10 } });
    assert.deepEqual(parseScale('2..5'), { adapt: { minimum: 2, maximum: 5 } });
    assert.deepEqual(parseScale('3 to 3'), { adapt: { minimum: 3, maximum: 3 } });
  });

  test('anything else is a sentence saying what is wrong', () => {
    assert.match(parseScale('') as string, /number of workers/);
    assert.match(parseScale('-3') as string, /number of workers/);
    assert.match(parseScale('2.5') as string, /number of workers/);
    assert.match(parseScale('10-2') as string, /minimum \(10\) is above the maximum \(2\)/);
    assert.match(parseScale('5000') as string, /At most 1000/);
    assert.match(parseScale('1-5000') as string, /At most 1000/);
  });
});

describe('live numbers of clusters whose dashboard is elsewhere', () => {
  let server: LoopbackHttp;
  let dashboard: LoopbackHttp;
  const dashboardAuth: string[] = [];
  const signal = new AbortController().signal;

  before(async () => {
    dashboard = await startLoopbackHttp((req, res) => {
      dashboardAuth.push(req.headers.authorization ?? '');
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/json/identity.json') {
        const worker = { nthreads: 2, memory_limit: 1024 };
        res.end(JSON.stringify({ address: 'tcp://10.1.2.3:8786', workers: { a: worker, b: worker } }));
      } else res.end(JSON.stringify({ tasks: 7, processing: 1 }));
    }, 2000);
    server = await startLoopbackHttp((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      const link = `${dashboard.base}/status`;
      res.end(JSON.stringify([{ id: 'x', scheduler_address: 'tcp://10.1.2.3:8786', dashboard_link: link }]));
    }, 2000);
  });

  after(async () => {
    await server.close();
    await dashboard.close();
  });

  test("reads the dashboard's numbers without sending it the hub token", async () => {
    const overview = await describeLabClusters(server.http, `${server.base}/user/a/`, 'secret-tok', signal);
    assert.ok(overview.ok && overview.value.kind === 'clusters');
    const [status] = overview.value.clusters;
    assert.equal(status.dashboard, `${dashboard.base}/`);
    assert.ok(status.live?.ok);
    assert.deepEqual(
      { workers: status.live.value.workers, threads: status.live.value.threads, tasks: status.live.value.tasks },
      { workers: 2, threads: 4, tasks: 7 },
    );
    assert.equal(status.live.value.memoryLimitBytes, 2048);
    assert.deepEqual(dashboardAuth, ['', '']);
  });
});
