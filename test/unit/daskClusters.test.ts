import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FacilityHttp } from '../../client/src/facility/http';
import {
  attachSnippet,
  listLabClusters,
  parseLabCluster,
  parseLabClusters,
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
    const listed = await listLabClusters(http, `${base}/with/`, 'secret-tok', signal);
    assert.ok(listed.ok);
    assert.equal(listed.value.kind, 'clusters');
    assert.deepEqual(listed.value.kind === 'clusters' ? listed.value.clusters.map((c) => c.id) : [], ['k']);
    assert.equal(seenAuth.at(-1), 'token secret-tok');
  });

  test('404 means no dask-labextension: a message, not an error', async () => {
    const listed = await listLabClusters(http, `${base}/without/`, 'secret-tok', signal);
    assert.ok(listed.ok);
    assert.deepEqual(listed.value, { kind: 'unsupported', message: 'No dask-labextension on this server.' });
  });
});
