import { openKube, type KubeTarget, type V1Pod, type V1Service } from './kubeConfig';
import { kubeFailure } from './kubeErrors';
import { abortable } from './kubernetes';
import { ok, type Result } from './result';

/** Triton's ports (servicex-facts.md §7): HTTP, gRPC and Prometheus metrics. */
const TRITON_PORTS = { http: 8000, grpc: 8001, metrics: 8002 } as const;
type TritonPortName = keyof typeof TRITON_PORTS;

/** A pod port, by container port number. */
export interface PodPort {
  readonly pod: string;
  readonly port: number;
}

/** A Triton server found in the namespace: a service in front of Triton pods, or a Triton pod with no service. */
export interface TritonEndpoint {
  readonly kind: 'service' | 'pod';
  readonly name: string;
  readonly namespace: string;
  /** The in-cluster URLs, usable only from inside the cluster; elsewhere forward a port (kubePortForward.ts). */
  readonly clusterHttpUrl?: string;
  readonly clusterMetricsUrl?: string;
  /** The ready pod ports a forward would use, when some pod behind it is running. */
  readonly http?: PodPort;
  readonly metrics?: PodPort;
  readonly grpc?: PodPort;
  readonly pods: string[];
  readonly ready: boolean;
}

/** A pod that requests GPUs: Triton, a Dask worker, a notebook or anything else. */
export interface GpuPod {
  readonly name: string;
  readonly namespace: string;
  readonly role: 'triton' | 'dask-worker' | 'notebook' | 'other';
  readonly phase: string;
  readonly ready: boolean;
  readonly nodeName?: string;
  readonly gpus: number;
}

export interface GpuDiscovery {
  readonly namespace: string;
  readonly triton: TritonEndpoint[];
  readonly gpuPods: GpuPod[];
}

/** Lists the pods and services of the target namespace and finds Triton servers and pods that use GPUs. */
export async function discoverGpu(target: KubeTarget, signal: AbortSignal): Promise<Result<GpuDiscovery>> {
  const session = await openKube(target);
  if (!session.ok) return session;
  const { k8s, config, namespace } = session.value;
  const api = config.makeApiClient(k8s.CoreV1Api);
  let what = `list pods in "${namespace}"`;
  try {
    const pods = await abortable(api.listNamespacedPod({ namespace }), signal);
    what = `list services in "${namespace}"`;
    const services = await abortable(api.listNamespacedService({ namespace }), signal);
    return ok(classifyGpu(namespace, pods.items, services.items));
  } catch (error) {
    return kubeFailure(k8s, error, what, signal);
  }
}

/** The GPU view of a namespace's pods and services; pure, so it is tested on plain objects. */
export function classifyGpu(namespace: string, pods: V1Pod[], services: V1Service[]): GpuDiscovery {
  const tritonPods = pods.filter(isTritonPod);
  const triton: TritonEndpoint[] = [];
  const served = new Set<string>();
  for (const service of services) {
    const selected = selectedPods(service, pods);
    const isTriton =
      mentionsTriton(service.metadata?.labels) ||
      (service.metadata?.name ?? '').includes('triton') ||
      (selected.length > 0 && selected.some(isTritonPod));
    if (!isTriton) continue;
    const name = service.metadata?.name ?? '(unnamed)';
    for (const pod of selected) served.add(pod.metadata?.name ?? '');
    const running = selected.find(isReady) ?? selected.find(isRunning);
    const ports = (portName: TritonPortName) => servicePort(service, portName, running);
    const clusterUrl = (portName: TritonPortName) => {
      const port = (service.spec?.ports ?? []).find((p) => matchesPortName(p.name, p.port, portName));
      return port ? `http://${name}.${namespace}.svc:${port.port}` : undefined;
    };
    triton.push({
      kind: 'service',
      name,
      namespace,
      clusterHttpUrl: clusterUrl('http'),
      clusterMetricsUrl: clusterUrl('metrics'),
      http: ports('http'),
      metrics: ports('metrics'),
      grpc: ports('grpc'),
      pods: selected.map((pod) => pod.metadata?.name ?? '(unnamed)'),
      ready: selected.some(isReady),
    });
  }
  for (const pod of tritonPods) {
    const name = pod.metadata?.name ?? '(unnamed)';
    if (served.has(name)) continue;
    const port = (portName: TritonPortName) => {
      const number = containerPort(pod, portName);
      return number !== undefined && isRunning(pod) ? { pod: name, port: number } : undefined;
    };
    triton.push({
      kind: 'pod',
      name,
      namespace,
      http: port('http'),
      metrics: port('metrics'),
      grpc: port('grpc'),
      pods: [name],
      ready: isReady(pod),
    });
  }
  const gpuPods = pods
    .map((pod) => ({ pod, gpus: gpuCount(pod) }))
    .filter(({ gpus }) => gpus > 0)
    .map(({ pod, gpus }) => ({
      name: pod.metadata?.name ?? '(unnamed)',
      namespace,
      role: roleOf(pod),
      phase: pod.status?.phase ?? 'Unknown',
      ready: isReady(pod),
      nodeName: pod.spec?.nodeName,
      gpus,
    }));
  return { namespace, triton, gpuPods };
}

/** GPUs a pod asks for: per container the limit (required for extended resources), else the request. */
export function gpuCount(pod: V1Pod): number {
  return (pod.spec?.containers ?? []).reduce((sum, container) => {
    const quantity =
      container.resources?.limits?.['nvidia.com/gpu'] ?? container.resources?.requests?.['nvidia.com/gpu'];
    const count = Number(quantity ?? 0);
    return sum + (Number.isFinite(count) ? count : 0);
  }, 0);
}

function isTritonPod(pod: V1Pod): boolean {
  return (
    mentionsTriton(pod.metadata?.labels) ||
    (pod.spec?.containers ?? []).some((container) => (container.image ?? '').includes('tritonserver'))
  );
}

function mentionsTriton(labels: Record<string, string> | undefined): boolean {
  return ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component'].some((key) =>
    (labels?.[key] ?? '').includes('triton'),
  );
}

function roleOf(pod: V1Pod): GpuPod['role'] {
  const labels = pod.metadata?.labels ?? {};
  if (isTritonPod(pod)) return 'triton';
  if ((labels['app.kubernetes.io/name'] ?? labels['component'] ?? '').includes('dask-worker')) return 'dask-worker';
  if (labels['component'] === 'singleuser-server') return 'notebook';
  return 'other';
}

function isRunning(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running';
}

function isReady(pod: V1Pod): boolean {
  return isRunning(pod) && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pods a service's selector picks (a service without a selector picks none). */
function selectedPods(service: V1Service, pods: V1Pod[]): V1Pod[] {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return pods.filter((pod) => Object.entries(selector).every(([k, v]) => pod.metadata?.labels?.[k] === v));
}

function matchesPortName(name: string | undefined, port: number | undefined, portName: TritonPortName): boolean {
  return name !== undefined && name !== '' ? name.includes(portName) : port === TRITON_PORTS[portName];
}

/** The pod port behind a service port: its targetPort, by number or by the container port's name. */
function servicePort(service: V1Service, portName: TritonPortName, pod: V1Pod | undefined): PodPort | undefined {
  if (!pod) return undefined;
  const port = (service.spec?.ports ?? []).find((p) => matchesPortName(p.name, p.port, portName));
  if (!port) return undefined;
  const target = port.targetPort ?? port.port;
  const number =
    typeof target === 'number'
      ? target
      : /^\d+$/.test(target)
        ? Number(target)
        : (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
  return number === undefined ? undefined : { pod: pod.metadata?.name ?? '', port: number };
}

function containerPort(pod: V1Pod, portName: TritonPortName): number | undefined {
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  return (
    ports.find((p) => p.name !== undefined && p.name.includes(portName))?.containerPort ??
    ports.find((p) => p.containerPort === TRITON_PORTS[portName])?.containerPort
  );
}
