import { createHash, randomUUID } from 'node:crypto';

// Seed pods for one user's namespace, shaped as the Kubernetes API returns core/v1 Pod objects
// (Kubernetes API reference, "Pod v1 core"). The mix is what the extension discovers by label:
// a Triton server with a GPU, two Dask workers (one with a GPU) and the user's notebook pod.

type Quantities = Record<string, string>;

interface ContainerSeed {
  readonly name: string;
  readonly image: string;
  readonly args: string[];
  readonly ports: { name: string; containerPort: number }[];
  readonly requests: Quantities;
  readonly limits: Quantities;
}

interface PodSeed {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly podIP: string;
  readonly container: ContainerSeed;
  readonly ownerKind?: string;
  readonly ownerName?: string;
}

/** A pod object as JSON, kept loose because the simulator only reads its labels and namespace. */
export interface Pod {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly resourceVersion: string;
    readonly labels: Record<string, string>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** The seed pods of `namespace` (whose user has the same name), created `startedAt`. */
export function seedPods(namespace: string, startedAt: Date): Pod[] {
  const user = namespace;
  const seeds: PodSeed[] = [
    {
      name: 'triton-inference-server-7c9d8f6b5d-x2k9p',
      labels: { app: 'triton', 'pod-template-hash': '7c9d8f6b5d' },
      nodeName: 'gpu-node-01',
      hostIP: '10.0.12.31',
      podIP: '10.244.3.17',
      ownerKind: 'ReplicaSet',
      ownerName: 'triton-inference-server-7c9d8f6b5d',
      container: {
        name: 'triton',
        image: 'nvcr.io/nvidia/tritonserver:25.06-py3',
        args: ['tritonserver', '--model-repository=s3://triton-models', '--model-control-mode=explicit'],
        ports: [
          { name: 'http', containerPort: 8000 },
          { name: 'grpc', containerPort: 8001 },
          { name: 'metrics', containerPort: 8002 },
        ],
        requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
        limits: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
      },
    },
    daskWorker(user, 0, 'cpu-node-03', '10.0.12.23', '10.244.1.40', false),
    daskWorker(user, 1, 'gpu-node-01', '10.0.12.31', '10.244.3.18', true),
    {
      name: `jupyter-${user}`,
      labels: {
        app: 'jupyterhub',
        component: 'singleuser-server',
        heritage: 'jupyterhub',
        release: 'coffea-casa',
        'hub.jupyter.org/network-access-hub': 'true',
        'hub.jupyter.org/servername': '',
        'hub.jupyter.org/username': user,
      },
      nodeName: 'cpu-node-02',
      hostIP: '10.0.12.22',
      podIP: '10.244.2.9',
      container: {
        name: 'notebook',
        image: 'coffeateam/coffea-casa:2025.1.0',
        args: ['jupyterhub-singleuser'],
        ports: [{ name: 'notebook-port', containerPort: 8888 }],
        requests: { cpu: '1', memory: '4Gi' },
        limits: { cpu: '8', memory: '16Gi' },
      },
    },
  ];
  return seeds.map((seed, index) => podObject(seed, namespace, String(4100 + index), startedAt));
}

/** The phases a pod can be put in through the control API (Kubernetes API reference, PodStatus v1 core). */
export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed'] as const;
export type PodPhase = (typeof POD_PHASES)[number];

/** A pod the control API adds: one container, optionally requesting GPUs. */
export interface PodRequest {
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly image?: string;
  readonly gpus?: number;
  readonly nodeName?: string;
}

/** A running pod built from a control-API request. */
export function customPod(namespace: string, request: PodRequest, resourceVersion: string, startedAt: Date): Pod {
  const gpus: Quantities = request.gpus ? { 'nvidia.com/gpu': String(request.gpus) } : {};
  const resources = { cpu: '1', memory: '2Gi', ...gpus };
  return podObject(
    {
      name: request.name,
      labels: request.labels ?? {},
      nodeName: request.nodeName ?? (request.gpus ? 'gpu-node-02' : 'cpu-node-04'),
      hostIP: '10.0.12.40',
      podIP: `10.244.4.${10 + (createHash('sha256').update(request.name).digest()[0] % 200)}`,
      container: {
        name: 'main',
        image: request.image ?? 'coffeateam/coffea-casa-analysis:2025.1.0',
        args: [],
        ports: [],
        requests: resources,
        limits: resources,
      },
    },
    namespace,
    resourceVersion,
    startedAt,
  );
}

/**
 * `pod` moved to `phase`: the conditions and container state change as the kubelet reports them (a waiting
 * container while Pending, a terminated one after Succeeded or Failed).
 */
export function withPhase(pod: Pod, phase: PodPhase, resourceVersion: string, at: Date): Pod {
  const time = at.toISOString().replace(/\.\d+Z$/, 'Z');
  const status = pod.status as { conditions: { type: string }[]; containerStatuses: Record<string, unknown>[] };
  const running = phase === 'Running';
  const state =
    phase === 'Pending'
      ? { waiting: { reason: 'ContainerCreating' } }
      : running
        ? { running: { startedAt: time } }
        : {
            terminated: {
              exitCode: phase === 'Succeeded' ? 0 : 1,
              reason: phase === 'Succeeded' ? 'Completed' : 'Error',
              startedAt: time,
              finishedAt: time,
            },
          };
  return {
    ...pod,
    metadata: { ...pod.metadata, resourceVersion },
    status: {
      ...status,
      phase,
      conditions: status.conditions.map((c) =>
        c.type === 'Ready' || c.type === 'ContainersReady'
          ? { ...c, status: running ? 'True' : 'False', lastTransitionTime: time }
          : c,
      ),
      containerStatuses: status.containerStatuses.map((c) => ({ ...c, state, ready: running, started: running })),
    },
  };
}

function daskWorker(
  user: string,
  index: number,
  nodeName: string,
  hostIP: string,
  podIP: string,
  gpu: boolean,
): PodSeed {
  const gpuQuantity: Quantities = gpu ? { 'nvidia.com/gpu': '1' } : {};
  return {
    name: `dask-worker-${user}-${index}`,
    labels: { 'app.kubernetes.io/name': 'dask-worker', 'app.kubernetes.io/instance': `dask-${user}` },
    nodeName,
    hostIP,
    podIP,
    container: {
      name: 'dask-worker',
      image: 'coffeateam/coffea-casa-analysis:2025.1.0',
      args: ['dask', 'worker', `tls://dask-${user}:8786`, '--nthreads', '2', '--memory-limit', '4GiB'],
      ports: [{ name: 'http-dashboard', containerPort: 8788 }],
      requests: { cpu: '2', memory: '4Gi', ...gpuQuantity },
      limits: { cpu: '2', memory: '4Gi', ...gpuQuantity },
    },
  };
}

function podObject(seed: PodSeed, namespace: string, resourceVersion: string, startedAt: Date): Pod {
  const time = startedAt.toISOString().replace(/\.\d+Z$/, 'Z');
  const { container } = seed;
  const guaranteed = JSON.stringify(container.requests) === JSON.stringify(container.limits);
  const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: time });
  return {
    metadata: {
      name: seed.name,
      namespace,
      uid: randomUUID(),
      resourceVersion,
      creationTimestamp: time,
      labels: seed.labels,
      ...(seed.ownerKind && {
        generateName: `${seed.ownerName}-`,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: seed.ownerKind, name: seed.ownerName, uid: randomUUID(), controller: true },
        ],
      }),
    },
    spec: {
      containers: [
        {
          name: container.name,
          image: container.image,
          args: container.args,
          ports: container.ports.map((port) => ({ ...port, protocol: 'TCP' })),
          resources: { limits: container.limits, requests: container.requests },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      nodeName: seed.nodeName,
      securityContext: {},
      schedulerName: 'default-scheduler',
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase: 'Running',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        condition,
      ),
      hostIP: seed.hostIP,
      hostIPs: [{ ip: seed.hostIP }],
      podIP: seed.podIP,
      podIPs: [{ ip: seed.podIP }],
      startTime: time,
      containerStatuses: [
        {
          name: container.name,
          state: { running: { startedAt: time } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: container.image,
          imageID: `${container.image.split(':')[0]}@sha256:${createHash('sha256').update(container.image).digest('hex')}`,
          containerID: `containerd://${randomUUID().replace(/-/g, '')}`,
          started: true,
        },
      ],
      qosClass: guaranteed ? 'Guaranteed' : 'Burstable',
    },
  };
}
