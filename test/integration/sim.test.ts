// The facility simulator speaks each service's documented API and injects faults on request.
// It starts a private simulator because some tests change its state (a rotated refresh token) that a shared one must keep.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, afterEach, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../support/simulator';

let sim: Simulator;

before(async () => {
  sim = await startSimulator({ hub: false, dask: false, own: true });
});

after(async () => {
  await sim?.stop();
});

function decodeJwt(token: string): Record<string, unknown> {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function refresh(token?: string): Promise<Response> {
  return fetch(`${sim.servicex}/token/refresh`, {
    method: 'POST',
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

function kubeToken(): string {
  return /token: (\S+)/.exec(readFileSync(sim.kubeconfig, 'utf8'))?.[1] ?? '';
}

function pods(query = '', token = kubeToken()): Promise<Response> {
  return fetch(`${sim.kubernetes}/api/v1/namespaces/alice/pods${query}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}

async function podNames(labelSelector: string): Promise<string[]> {
  const res = await pods(`?labelSelector=${encodeURIComponent(labelSelector)}`);
  assert.equal(res.status, 200);
  const list = (await res.json()) as { items: { metadata: { name: string } }[] };
  return list.items.map((pod) => pod.metadata.name).sort();
}

describe('ServiceX', () => {
  test('GET /servicex describes the server without a token', async () => {
    const res = await fetch(`${sim.servicex}/servicex`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), {
      'app-version': '1.5.6',
      'code-gen-image': {
        'uproot-raw': 'sslhep/servicex_code_gen_raw_uproot:v1.5.6',
        uproot: 'sslhep/servicex_code_gen_func_adl_uproot:v1.5.6',
        python: 'sslhep/servicex_code_gen_python:v1.5.6',
        atlasr22: 'sslhep/servicex_code_gen_func_adl_xaod:v1.5.6',
      },
      capabilities: ['poll_local_transformation_results', 'long_sample_titles_10240', 'generate_file_urls'],
    });
  });

  test('the refresh token buys a six-hour access token', async () => {
    const res = await refresh(sim.servicexRefreshToken);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { access_token: string };
    assert.deepEqual(Object.keys(body), ['access_token']);
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.type, 'access');
    assert.equal(claims.sub, 'alice');
    assert.equal(typeof claims.jti, 'string');
    assert.equal((claims.exp as number) - (claims.iat as number), 21600);
    assert.equal(decodeJwt(sim.servicexRefreshToken).type, 'refresh');
  });

  test('the access token lifetime can be shortened for expiry tests', async () => {
    const control = (seconds: number) =>
      fetch(`${sim.control}/servicex/access-token-seconds`, { method: 'POST', body: JSON.stringify({ seconds }) });
    assert.deepEqual(await (await control(5)).json(), { seconds: 5 });
    const { access_token } = (await (await refresh(sim.servicexRefreshToken)).json()) as { access_token: string };
    const claims = decodeJwt(access_token);
    assert.equal((claims.exp as number) - (claims.iat as number), 5);
    assert.equal((await control(21600)).status, 200);
    assert.equal((await control(-1)).status, 400);
  });

  test('a request without Authorization gets flask-jwt-extended’s 401', async () => {
    const res = await refresh();
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { msg: 'Missing Authorization Header' });
  });

  test('a token with a forged signature is refused as undecodable', async () => {
    const [header, payload] = sim.servicexRefreshToken.split('.');
    const res = await refresh(`${header}.${payload}.${Buffer.from('forged').toString('base64url')}`);
    assert.equal(res.status, 422);
    assert.deepEqual(await res.json(), { msg: 'Signature verification failed' });
  });

  test('a rotated refresh token is outdated and its successor works', async () => {
    const old = sim.servicexRefreshToken;
    const rotated = await fetch(`${sim.control}/servicex/rotate-refresh-token`, { method: 'POST' });
    const { refreshToken } = (await rotated.json()) as { refreshToken: string };
    assert.notEqual(refreshToken, old);
    const refused = await refresh(old);
    assert.equal(refused.status, 401);
    assert.deepEqual(await refused.json(), { message: 'Invalid or outdated refresh token' });
    assert.equal((await refresh(refreshToken)).status, 200);
  });

  test('unknown paths and methods answer like Flask-RESTful', async () => {
    const missing = await fetch(`${sim.servicex}/servicex/nothing-here`);
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /not found on the server/);
    const wrongMethod = await fetch(`${sim.servicex}/servicex`, { method: 'POST' });
    assert.equal(wrongMethod.status, 405);
    assert.deepEqual(await wrongMethod.json(), { message: 'The method is not allowed for the requested URL.' });
  });
});

describe('Triton', () => {
  test('health routes answer 200 with an empty body', async () => {
    for (const path of ['/v2/health/ready', '/v2/health/live']) {
      const res = await fetch(`${sim.triton}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), '', path);
    }
  });

  test('GET /v2 gives the server metadata with its extensions', async () => {
    const body = (await (await fetch(`${sim.triton}/v2`)).json()) as {
      name: string;
      version: string;
      extensions: string[];
    };
    assert.deepEqual(Object.keys(body), ['name', 'version', 'extensions']);
    assert.equal(body.name, 'triton');
    assert.equal(body.version, '2.59.0');
    for (const extension of [
      'model_repository',
      'model_repository(unload_dependents)',
      'statistics',
      'model_configuration',
    ]) {
      assert.ok(body.extensions.includes(extension), extension);
    }
  });

  test('unknown paths answer with Triton’s error shape', async () => {
    const res = await fetch(`${sim.triton}/v2/nothing`);
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys((await res.json()) as object), ['error']);
  });

  test('the metrics endpoint has per-GPU series labelled gpu_uuid', async () => {
    const res = await fetch(sim.tritonMetrics);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^# TYPE nv_gpu_utilization gauge$/m);
    const utilization = [...text.matchAll(/^nv_gpu_utilization\{gpu_uuid="(GPU-[0-9a-f-]+)"\} (\S+)$/gm)];
    assert.equal(utilization.length, 2);
    for (const [, , value] of utilization) assert.ok(Number(value) >= 0 && Number(value) <= 1);
    for (const name of ['nv_gpu_memory_total_bytes', 'nv_gpu_memory_used_bytes', 'nv_gpu_power_usage']) {
      assert.match(text, new RegExp(`^${name}\\{gpu_uuid="GPU-[0-9a-f-]+"\\} \\d`, 'm'), name);
    }
  });
});

describe('Kubernetes API', () => {
  test('the kubeconfig names the sim context and is private', () => {
    const text = readFileSync(sim.kubeconfig, 'utf8');
    assert.match(text, new RegExp(`server: ${sim.kubernetes}$`, 'm'));
    assert.match(text, /^current-context: sim$/m);
    assert.match(text, /namespace: alice$/m);
    assert.equal(statSync(sim.kubeconfig).mode & 0o777, 0o600);
  });

  test('a request without the token gets the 401 Status object', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const res = await fetch(`${sim.kubernetes}/api/v1/namespaces/alice/pods`, { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  test('listing pods gives a PodList of running pods, the Triton one with a GPU', async () => {
    const res = await pods();
    assert.equal(res.status, 200);
    const list = (await res.json()) as {
      kind: string;
      apiVersion: string;
      metadata: { resourceVersion: string };
      items: {
        metadata: { name: string; namespace: string; uid: string; labels: Record<string, string> };
        spec: { nodeName: string; containers: { resources: { limits: Record<string, string> } }[] };
        status: { phase: string; podIP: string; containerStatuses: { ready: boolean }[] };
      }[];
    };
    assert.equal(list.kind, 'PodList');
    assert.equal(list.apiVersion, 'v1');
    assert.match(list.metadata.resourceVersion, /^\d+$/);
    assert.equal(list.items.length, 4);
    for (const pod of list.items) {
      assert.equal(pod.metadata.namespace, 'alice');
      assert.equal(pod.status.phase, 'Running');
      assert.ok(pod.status.podIP && pod.spec.nodeName && pod.metadata.uid);
      assert.equal(pod.status.containerStatuses[0].ready, true);
    }
    const triton = list.items.find((pod) => pod.metadata.labels.app === 'triton');
    assert.equal(triton?.spec.containers[0].resources.limits['nvidia.com/gpu'], '1');
    assert.ok(list.items.some((pod) => pod.metadata.name === 'jupyter-alice'));
  });

  test('labelSelector filters by equality, inequality, existence and sets', async () => {
    assert.equal((await podNames('app=triton')).length, 1);
    assert.deepEqual(await podNames('app.kubernetes.io/name=dask-worker'), [
      'dask-worker-alice-0',
      'dask-worker-alice-1',
    ]);
    assert.equal((await podNames('app!=triton')).length, 3);
    assert.equal((await podNames('app.kubernetes.io/name')).length, 2);
    assert.equal((await podNames('!app')).length, 2);
    assert.deepEqual(await podNames('app=triton,pod-template-hash'), ['triton-inference-server-7c9d8f6b5d-x2k9p']);
    assert.equal((await podNames('app in (triton,jupyterhub)')).length, 2);
    const bad = await pods('?labelSelector=%3Dx');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { reason: string }).reason, 'BadRequest');
  });

  test('other namespaces are empty and unknown paths are a NotFound Status', async () => {
    const other = await fetch(`${sim.kubernetes}/api/v1/namespaces/bob/pods`, {
      headers: { Authorization: `Bearer ${kubeToken()}` },
    });
    assert.deepEqual(((await other.json()) as { items: unknown[] }).items, []);
    const missing = await fetch(`${sim.kubernetes}/apis/nothing`, {
      headers: { Authorization: `Bearer ${kubeToken()}` },
    });
    assert.equal(missing.status, 404);
    const status = (await missing.json()) as { kind: string; reason: string; code: number };
    assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'NotFound', 404]);
  });

  test('@kubernetes/client-node lists pods through the written kubeconfig', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(sim.kubeconfig);
    const api = kc.makeApiClient(k8s.CoreV1Api);
    const all = await api.listNamespacedPod({ namespace: sim.kubeNamespace });
    assert.equal(all.items.length, 4);
    const gpu = await api.listNamespacedPod({ namespace: sim.kubeNamespace, labelSelector: 'app=triton' });
    assert.equal(gpu.items[0].spec?.containers[0].resources?.limits?.['nvidia.com/gpu'], '1');
    assert.equal(gpu.items[0].status?.phase, 'Running');
  });
});

describe('faults', () => {
  afterEach(() => sim.clearFaults());

  test('latency delays only the faulty route', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2/health/ready', latencyMs: 400 });
    const finished: string[] = [];
    const started = performance.now();
    const slow = fetch(`${sim.triton}/v2/health/ready`).then((res) => {
      finished.push('ready');
      return [res.status, performance.now() - started];
    });
    const fast = fetch(`${sim.triton}/v2`).then(() => finished.push('metadata'));
    const [[status, elapsed]] = await Promise.all([slow, fast]);
    assert.equal(status, 200);
    assert.deepEqual(finished, ['metadata', 'ready']);
    assert.ok(elapsed >= 390, `answered after ${elapsed} ms`);
  });

  test('a status fault sends the given body, or the service’s own error shape', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2', status: 503, body: { error: 'overloaded' } });
    const given = await fetch(`${sim.triton}/v2`);
    assert.equal(given.status, 503);
    assert.deepEqual(await given.json(), { error: 'overloaded' });
    await sim.fault({ service: 'servicex', route: 'GET /servicex', status: 502 });
    const servicex = await fetch(`${sim.servicex}/servicex`);
    assert.equal(servicex.status, 502);
    assert.deepEqual(Object.keys((await servicex.json()) as object), ['message']);
    await sim.fault({ service: 'kubernetes', route: 'GET /api/v1/namespaces/{ns}/pods', status: 503 });
    const kube = (await (await pods()).json()) as { kind: string; reason: string; code: number };
    assert.deepEqual([kube.kind, kube.reason, kube.code], ['Status', 'ServiceUnavailable', 503]);
  });

  test('a dropped connection makes fetch reject', async () => {
    await sim.fault({ service: 'servicex', route: 'POST /token/refresh', drop: true });
    await assert.rejects(refresh(sim.servicexRefreshToken));
  });

  test('a truncated body cannot be parsed', async () => {
    await sim.fault({ service: 'servicex', route: 'GET /servicex', truncate: true });
    const res = await fetch(`${sim.servicex}/servicex`);
    assert.equal(res.status, 200);
    await assert.rejects(async () => JSON.parse(await res.text()) as unknown);
  });

  test('times: 1 applies once, then the route answers normally', async () => {
    const before = (await sim.requestCounts('triton'))['GET /v2/health/live'] ?? 0;
    await sim.fault({ service: 'triton', route: 'GET /v2/health/live', status: 500, times: 1 });
    assert.equal((await fetch(`${sim.triton}/v2/health/live`)).status, 500);
    assert.equal((await fetch(`${sim.triton}/v2/health/live`)).status, 200);
    const list = (await (await fetch(`${sim.control}/faults`)).json()) as { faults: unknown[] };
    assert.deepEqual(list.faults, []);
    assert.equal((await sim.requestCounts('triton'))['GET /v2/health/live'], before + 2);
  });

  test('faults on the metrics port and removal by id', async () => {
    const id = await sim.fault({ service: 'tritonMetrics', route: 'GET /metrics', status: 500 });
    assert.equal((await fetch(sim.tritonMetrics)).status, 500);
    assert.equal((await fetch(`${sim.control}/faults/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(sim.tritonMetrics)).status, 200);
    assert.equal((await fetch(`${sim.control}/faults/${id}`, { method: 'DELETE' })).status, 404);
  });

  test('bad fault requests get a 400 that says what is wrong', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${sim.control}/faults`, { method: 'POST', body: JSON.stringify(body) });
      return [res.status, ((await res.json()) as { message: string }).message] as const;
    };
    const [status, unknownService] = await post({ service: 'minio', route: 'GET /', status: 500 });
    assert.equal(status, 400);
    assert.match(unknownService, /Unknown service "minio"/);
    assert.match(
      (await post({ service: 'servicex', route: 'GET /nope', status: 500 }))[1],
      /Unknown route.*"GET \/servicex"/,
    );
    assert.match(
      (await post({ service: 'servicex', route: 'GET /servicex', latency: 5 }))[1],
      /Unknown fault field\(s\): latency/,
    );
    assert.match((await post({ service: 'servicex', route: 'GET /servicex' }))[1], /needs/);
  });
});
