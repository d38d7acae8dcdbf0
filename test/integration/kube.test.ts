import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { discoverGpu } from '../../client/src/facility/kubeDiscovery';
import { streamPodLogs } from '../../client/src/facility/kubeLogs';
import { PortForwards } from '../../client/src/facility/kubePortForward';
import { openKubeWatch, type WatchState, type WatchUpdate } from '../../client/src/facility/kubeWatch';
import type { KubeTarget } from '../../client/src/facility/kubeConfig';
import { startSimulator, type Simulator } from '../support/simulator';

// The facility's Kubernetes layer through the real @kubernetes/client-node against the simulated API server.
describe('Kubernetes through @kubernetes/client-node', () => {
  let sim: Simulator;
  let kube: KubeTarget;
  let token: string;
  const signal = new AbortController().signal;
  const triton = 'triton-inference-server-7c9d8f6b5d-x2k9p';

  const control = (method: string, path: string, body?: unknown) => sim.callControl(method, path, body);

  /** Resolves once `check` holds for something pushed to `items`. */
  const waitFor = <T>(items: T[], check: (item: T) => boolean, listen: (wake: () => void) => void) =>
    new Promise<T>((resolve) => {
      const look = () => {
        const found = items.find(check);
        if (found !== undefined) resolve(found);
      };
      listen(look);
      look();
    });

  before(async () => {
    sim = await startSimulator({ hub: false, dask: false });
    kube = { kubeconfig: sim.kubeconfig };
    token = /token: (\S+)/.exec(readFileSync(sim.kubeconfig, 'utf8'))?.[1] ?? '';
  });
  afterEach(() => sim.clearFaults());
  after(() => sim.stop());

  test('discovery finds the Triton service with its pod ports and the pods that use GPUs', async () => {
    const found = await discoverGpu(kube, signal);
    assert.ok(found.ok, found.ok ? '' : found.error.message);
    const service = found.value.triton.find((t) => t.kind === 'service');
    assert.deepEqual(service && { ...service }, {
      kind: 'service',
      name: 'triton',
      namespace: 'alice',
      clusterHttpUrl: 'http://triton.alice.svc:8000',
      clusterMetricsUrl: 'http://triton.alice.svc:8002',
      http: { pod: triton, port: 8000 },
      metrics: { pod: triton, port: 8002 },
      grpc: { pod: triton, port: 8001 },
      pods: [triton],
      ready: true,
    });
    assert.deepEqual(
      found.value.gpuPods.map((p) => [p.name, p.role, p.nodeName, p.gpus]),
      [
        [triton, 'triton', 'gpu-node-01', 1],
        ['dask-worker-alice-1', 'dask-worker', 'gpu-node-01', 1],
      ],
    );
  });

  test('a forwarded port carries HTTP to the simulated Triton, and closing it frees the port', async () => {
    const forwards = new PortForwards(kube);
    const forward = await forwards.forward({ pod: triton, port: 8000 });
    assert.ok(forward.ok, forward.ok ? '' : forward.error.message);
    const ready = await fetch(`${forward.value.localUrl}/v2/health/ready`);
    assert.equal(ready.status, 200);
    const metadata = (await (await fetch(`${forward.value.localUrl}/v2`)).json()) as { name: string };
    assert.equal(metadata.name, 'triton');
    assert.equal(((await control('GET', '/kubernetes')).forwards as number) > 0, true);
    await forwards.dispose();
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(forward.value.localPort, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
    // The simulator's side sees its websockets and target connections close.
    for (;;) {
      const summary = await control('GET', '/kubernetes');
      if (summary.forwards === 0 && summary.forwardConnections === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  });

  test('a port nobody listens on is reported from the error channel', async () => {
    const problems: string[] = [];
    const wake: (() => void)[] = [];
    const forwards = new PortForwards(kube, (message) => {
      problems.push(message);
      wake.forEach((w) => w());
    });
    const forward = await forwards.forward({ pod: triton, port: 8001 });
    assert.ok(forward.ok);
    await fetch(`${forward.value.localUrl}/`).catch(() => undefined);
    const problem = await waitFor(
      problems,
      (p) => p.includes('connection refused'),
      (w) => wake.push(w),
    );
    assert.match(problem, /could not forward to port 8001 of pod/);
    await forwards.dispose();
  });

  test('forwarding to a missing pod is a clear NotFound failure', async () => {
    const forwards = new PortForwards(kube);
    const forward = await forwards.forward({ pod: 'no-such-pod', port: 8000 });
    assert.ok(!forward.ok);
    assert.equal(forward.error.kind, 'notFound');
    assert.match(
      forward.error.message,
      /refused to read pod "no-such-pod" in "alice" \(404\).*pods "no-such-pod" not found/,
    );
    await forwards.dispose();
  });

  test('a watch sees a pod change, and reconnects after the connection drops', async () => {
    const updates: WatchUpdate<{ metadata?: { name?: string }; status?: { phase?: string } }>[] = [];
    const states: WatchState[] = [];
    const wake: (() => void)[] = [];
    const stop = new AbortController();
    await control('POST', '/kubernetes/pods', { name: 'watched-gpu-job', labels: { job: 'watched' }, gpus: 2 });
    const watch = await openKubeWatch(
      kube,
      {
        resource: 'pods',
        labelSelector: 'job=watched',
        backoff: { initialMs: 10, maxMs: 100 },
        onUpdate: (u) => {
          updates.push(u);
          wake.forEach((w) => w());
        },
        onState: (s) => {
          states.push(s);
          wake.forEach((w) => w());
        },
      },
      stop.signal,
    );
    assert.ok(watch.ok, watch.ok ? '' : watch.error.message);
    try {
      const sync = updates[0];
      assert.equal(sync.type, 'SYNC');
      assert.deepEqual(sync.type === 'SYNC' && sync.objects.map((o) => o.metadata?.name), ['watched-gpu-job']);
      await waitFor(
        states,
        (s) => s.state === 'watching',
        (w) => wake.push(w),
      );
      await control('PATCH', '/kubernetes/pods/watched-gpu-job', { phase: 'Failed' });
      await waitFor(
        updates,
        (u) => u.type === 'MODIFIED' && u.object.status?.phase === 'Failed',
        (w) => wake.push(w),
      );
      await control('POST', '/kubernetes/drop-streams');
      await waitFor(
        states,
        (s) => s.state === 'retrying',
        (w) => wake.push(w),
      );
      await control('DELETE', '/kubernetes/pods/watched-gpu-job');
      const deleted = await waitFor(
        updates,
        (u) => u.type === 'DELETED',
        (w) => wake.push(w),
      );
      assert.equal(deleted.type === 'DELETED' && deleted.object.metadata?.name, 'watched-gpu-job');
      const retry = states.find((s) => s.state === 'retrying');
      assert.ok(retry?.state === 'retrying' && retry.delayMs <= 100 && !retry.reason.includes(token));
    } finally {
      await watch.value.dispose();
    }
  });

  test('following a log receives lines as the container prints them, until cancelled', async () => {
    const lines: string[] = [];
    const wake: (() => void)[] = [];
    const stop = new AbortController();
    const streaming = streamPodLogs(
      kube,
      'dask-worker-alice-0',
      (line) => {
        lines.push(line);
        wake.forEach((w) => w());
      },
      stop.signal,
      { tailLines: 1 },
    );
    await waitFor(
      lines,
      (l) => l.includes('Registered to'),
      (w) => wake.push(w),
    );
    await control('POST', '/kubernetes/pods/dask-worker-alice-0/log', { lines: ['marker line from the test'] });
    await waitFor(
      lines,
      (l) => l === 'marker line from the test',
      (w) => wake.push(w),
    );
    await waitFor(
      lines,
      (l) => l.includes('Worker process memory'),
      (w) => wake.push(w),
    );
    stop.abort();
    const ended = await streaming;
    assert.deepEqual(ended, { ok: true, value: 'cancelled' });
  });

  test('a followed log ends when its pod is deleted, and a dropped connection is a failure', async () => {
    await control('POST', '/kubernetes/pods', { name: 'short-lived' });
    let first!: () => void;
    const printed = new Promise<void>((resolve) => (first = resolve));
    const ending = streamPodLogs(kube, 'short-lived', () => first(), signal);
    await printed;
    await control('DELETE', '/kubernetes/pods/short-lived');
    assert.deepEqual(await ending, { ok: true, value: 'ended' });

    let again!: () => void;
    const printedAgain = new Promise<void>((resolve) => (again = resolve));
    const dropping = streamPodLogs(kube, 'dask-worker-alice-1', () => again(), signal);
    await printedAgain;
    await control('POST', '/kubernetes/drop-streams');
    const dropped = await dropping;
    assert.ok(!dropped.ok);
    assert.match(dropped.error.message, /stopped sending the log of pod "dask-worker-alice-1": the connection dropped/);
  });

  test('the log of a missing pod and an unknown container are clear failures', async () => {
    const missing = await streamPodLogs(kube, 'gone-pod', () => undefined, signal);
    assert.ok(!missing.ok);
    assert.equal(missing.error.kind, 'notFound');
    const container = await streamPodLogs(kube, triton, () => undefined, signal, { container: 'nope' });
    assert.ok(!container.ok);
    assert.match(container.error.message, /has no container "nope"; it has triton/);
  });

  test('Status bodies of errors become messages without the token', async () => {
    await sim.fault({ service: 'kubernetes', route: 'GET /api/v1/namespaces/{ns}/services', status: 503 });
    const unavailable = await discoverGpu(kube, signal);
    assert.ok(!unavailable.ok);
    assert.match(
      unavailable.error.message,
      /refused to list services in "alice" \(503\): the API server is unavailable/,
    );
    await sim.clearFaults();
    await sim.fault({ service: 'kubernetes', route: 'GET /api/v1/namespaces/{ns}/pods', status: 401 });
    const refused = await discoverGpu(kube, signal);
    assert.ok(!refused.ok);
    assert.equal(refused.error.kind, 'unauthorized');
    assert.ok(!refused.error.message.includes(token));
    await sim.fault({
      service: 'kubernetes',
      route: 'GET /api/v1/namespaces/{ns}/pods/{name}/portforward',
      status: 403,
    });
    const forwards = new PortForwards(kube);
    const missingConfig = await new PortForwards({ kubeconfig: '/nonexistent/kubeconfig' }).forward({
      pod: triton,
      port: 8000,
    });
    assert.ok(!missingConfig.ok);
    assert.match(missingConfig.error.message, /configuration could not be read/);
    await forwards.dispose();
  });
});
