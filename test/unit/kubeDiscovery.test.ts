import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubeConfigSource } from '../../client/src/facility/kubeConfig';
import type { V1Pod, V1Service } from '../../client/src/facility/kubeConfig';
import { classifyGpu, gpuCount } from '../../client/src/facility/kubeDiscovery';
import { watchBackoff } from '../../client/src/facility/kubeWatch';

const pod = (name: string, image: string, labels: Record<string, string>, gpus?: string, phase = 'Running'): V1Pod => ({
  metadata: { name, labels },
  spec: {
    nodeName: 'gpu-node-07',
    containers: [
      {
        name: 'main',
        image,
        ports: [{ name: 'http', containerPort: 8000 }],
        resources: gpus === undefined ? {} : { requests: { 'nvidia.com/gpu': gpus } },
      },
    ],
  },
  status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] },
});

describe('GPU discovery from pods and services', () => {
  test('a Triton pod is found by its image even without labels, and counts its requested GPUs', () => {
    const found = classifyGpu('ns', [pod('infer-0', 'nvcr.io/nvidia/tritonserver:25.06-py3', {}, '2')], []);
    assert.deepEqual(
      found.triton.map((t) => [t.kind, t.name, t.http, t.metrics, t.ready]),
      [['pod', 'infer-0', { pod: 'infer-0', port: 8000 }, undefined, true]],
    );
    assert.deepEqual(found.gpuPods, [
      {
        name: 'infer-0',
        namespace: 'ns',
        role: 'triton',
        phase: 'Running',
        ready: true,
        nodeName: 'gpu-node-07',
        gpus: 2,
      },
    ]);
  });

  test('a service resolves a named target port through the pod it selects; a stopped pod gives no port', () => {
    const service = {
      metadata: { name: 'models', labels: {} },
      spec: { selector: { app: 'inference' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    } as V1Service;
    const running = classifyGpu('ns', [pod('t', 'tritonserver', { app: 'inference' })], [service]);
    assert.deepEqual(running.triton[0].http, { pod: 't', port: 8000 });
    assert.equal(running.triton[0].clusterHttpUrl, 'http://models.ns.svc:80');
    const pending = classifyGpu(
      'ns',
      [pod('t', 'tritonserver', { app: 'inference' }, undefined, 'Pending')],
      [service],
    );
    assert.equal(pending.triton[0].http, undefined);
    assert.equal(pending.triton[0].ready, false);
  });

  test('pods without GPUs and with malformed quantities count zero', () => {
    assert.equal(gpuCount(pod('a', 'x', {})), 0);
    assert.equal(gpuCount(pod('b', 'x', {}, 'lots')), 0);
    assert.deepEqual(classifyGpu('ns', [pod('c', 'python', {})], []).gpuPods, []);
  });
});

describe('watch reconnect backoff', () => {
  test('doubles from the initial wait and stops at the maximum', () => {
    const policy = { initialMs: 500, maxMs: 30_000 };
    const middle = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 7, 8, 50].map((attempt) => watchBackoff(attempt, policy, middle)),
      [500, 1000, 2000, 30_000, 30_000, 30_000],
    );
    assert.equal(
      watchBackoff(1, policy, () => 0),
      400,
    );
    assert.equal(
      watchBackoff(60, policy, () => 1),
      30_000,
    );
  });
});

describe('where the Kubernetes configuration comes from', () => {
  const environment = (env: NodeJS.ProcessEnv) => ({ env, home: '/home/u', serviceAccountPrefix: '' });
  test('a given path wins, then $KUBECONFIG, then ~/.kube/config, then the in-cluster service account', () => {
    const inPod = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBECONFIG: '/a:/b' };
    assert.deepEqual(
      kubeConfigSource({ kubeconfig: '/given' }, environment(inPod), () => true),
      {
        kind: 'files',
        files: ['/given'],
      },
    );
    assert.deepEqual(
      kubeConfigSource({}, environment(inPod), () => true),
      { kind: 'files', files: ['/a', '/b'] },
    );
    assert.deepEqual(
      kubeConfigSource({}, environment({}), (p) => p === '/home/u/.kube/config'),
      {
        kind: 'files',
        files: ['/home/u/.kube/config'],
      },
    );
    assert.deepEqual(
      kubeConfigSource({}, environment({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }), () => false),
      {
        kind: 'inCluster',
      },
    );
    assert.deepEqual(
      kubeConfigSource({}, environment({}), () => false),
      { kind: 'none' },
    );
  });
});
