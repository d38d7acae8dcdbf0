import type { ClusterForwards } from '../connection/clusterForwards';
import type { Connections, FacilitySession } from '../connection/connections';
import type { PodSummary } from '../facility/kubernetes';
import { fail, type Result } from '../facility/result';
import type { TritonEndpoint } from '../facility/kubeDiscovery';
import type { TritonServer } from '../facility/triton';
import type { TritonMetrics } from '../facility/tritonMetrics';
import type { TritonModelDetails, TritonModelEntry } from '../facility/tritonModels';
import { averages } from '../facility/tritonStats';
import { hostOf } from '../facility/urls';
import type { GpuSummary } from '../gpu/gpuSummary';
import { formatBytes, plural } from './format';
import { failureNode, groupNode, leafNode, messageNode, type TreeNode } from './node';

/** Where a Triton server is: what the model commands need to reach it again. */
export interface TritonPlace {
  readonly facility: string;
  readonly url: string;
  readonly extensions: readonly string[];
}

/** A model node, which the model commands receive from menus; `kind` says whether it is loaded. */
export interface TritonModelNode extends TreeNode, TritonPlace {
  readonly kind: 'tritonModel.ready' | 'tritonModel.unloaded';
  readonly model: string;
}

export function isTritonModelNode(value: unknown): value is TritonModelNode {
  const node = value as Partial<TritonModelNode> | undefined;
  return (
    typeof node?.kind === 'string' &&
    node.kind.startsWith('tritonModel.') &&
    typeof node.facility === 'string' &&
    typeof node.url === 'string' &&
    typeof node.model === 'string'
  );
}

/** The Triton server node, which carries its metrics URL for "Open Metrics". */
export interface TritonServerNode extends TreeNode, TritonPlace {
  readonly kind: 'tritonServer';
  readonly metricsUrl?: string;
}

export function isTritonServerNode(value: unknown): value is TritonServerNode {
  const node = value as Partial<TritonServerNode> | undefined;
  return node?.kind === 'tritonServer' && typeof node.facility === 'string' && typeof node.url === 'string';
}

/** A pod that uses GPUs, which "Show Logs" receives from its menu. */
export interface GpuPodNode extends TreeNode {
  readonly kind: 'gpuPod';
  readonly facility: string;
  readonly pod: string;
}

export function isGpuPodNode(value: unknown): value is GpuPodNode {
  const node = value as Partial<GpuPodNode> | undefined;
  return node?.kind === 'gpuPod' && typeof node.facility === 'string' && typeof node.pod === 'string';
}

/** What the GPU view asks a facility for when a node is expanded; undefined when it is no longer connected. */
export interface GpuLoaders {
  /** Triton servers found in the facility's Kubernetes namespace. */
  discover(facility: string): Promise<Result<TritonEndpoint[]> | undefined>;
  /** A discovered server reached through a port-forward: its local URLs and what it says about itself. */
  forwarded(
    facility: string,
    endpoint: TritonEndpoint,
  ): Promise<Result<{ url: string; metricsUrl?: string; server: TritonServer }> | undefined>;
  models(place: TritonPlace): Promise<Result<TritonModelEntry[]> | undefined>;
  details(place: TritonPlace, model: string): Promise<Result<TritonModelDetails> | undefined>;
  metrics(facility: string, metricsUrl: string): Promise<Result<TritonMetrics> | undefined>;
}

/** The loaders the view uses: read-only calls through the facility's connection pool. */
export function gpuLoaders(connections: Connections, forwards: ClusterForwards): GpuLoaders {
  return {
    discover: (name) =>
      connections.read(name, async (facility, signal) => {
        const { discoverGpu } = await import('../facility/kubeDiscovery.js');
        const { profile } = facility;
        const target = {
          kubeconfig: profile.kubeconfig,
          context: profile.kubeContext,
          namespace: profile.kubeNamespace,
        };
        const found = await discoverGpu(target, signal);
        return found.ok ? { ok: true as const, value: found.value.triton } : found;
      }),
    forwarded: (name, endpoint) =>
      connections.read(name, async (facility, signal) => {
        if (!endpoint.http) return fail('unreachable', `No running pod serves ${endpoint.name}'s HTTP port.`);
        const http = await forwards.forward(facility.profile, endpoint.http);
        if (!http.ok) return http;
        const metrics = endpoint.metrics ? await forwards.forward(facility.profile, endpoint.metrics) : undefined;
        const { TritonApi } = await import('../facility/triton.js');
        const server = await new TritonApi(facility.http, http.value.localUrl).server(signal);
        if (!server.ok) return server;
        const metricsUrl = metrics?.ok ? `${metrics.value.localUrl}/metrics` : undefined;
        return {
          ok: true as const,
          value: { url: http.value.localUrl, server: server.value, ...(metricsUrl ? { metricsUrl } : {}) },
        };
      }),
    models: (place) =>
      connections.read(place.facility, async (facility, signal) => {
        const { TritonModelsApi } = await import('../facility/tritonModels.js');
        return new TritonModelsApi(facility.http, place.url, place.extensions).index(signal);
      }),
    details: (place, model) =>
      connections.read(place.facility, async (facility, signal) => {
        const { TritonModelsApi } = await import('../facility/tritonModels.js');
        return new TritonModelsApi(facility.http, place.url, place.extensions).details(model, signal);
      }),
    metrics: (name, metricsUrl) =>
      connections.read(name, async (facility, signal) => {
        const { TritonMetricsApi } = await import('../facility/tritonMetrics.js');
        return new TritonMetricsApi(facility.http, metricsUrl).read(signal);
      }),
  };
}

/** Recent utilisation of each GPU (by facility and uuid), for the sparkline; the view keeps it while it lives. */
const history = new Map<string, number[]>();
const HISTORY_LENGTH = 12;
const BLOCKS = '▁▂▃▄▅▆▇█';

/** A text sparkline of values in 0–1, oldest first. */
export function sparkline(values: readonly number[]): string {
  return values
    .map((v) => BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, Math.round(v * (BLOCKS.length - 1))))])
    .join('');
}

/** The GPU Servers view: Triton inference servers with their models and GPUs, and the pods that use GPUs. */
export function gpuServersContent(session: FacilitySession, loaders?: GpuLoaders): TreeNode[] {
  const snapshot = session.snapshot;
  if (!snapshot) return [];
  const nodes: TreeNode[] = [];
  const { profile } = session;
  if (snapshot.triton) {
    nodes.push(
      snapshot.triton.ok
        ? tritonNode(
            { facility: profile.name, url: profile.tritonHttpUrl ?? '', extensions: snapshot.triton.value.extensions },
            snapshot.triton.value,
            profile.tritonMetricsUrl,
            loaders,
          )
        : failureNode('Triton', snapshot.triton.error),
    );
  }
  const kube = profile.kubeconfig || profile.kubeContext || profile.kubeNamespace;
  if (!profile.tritonHttpUrl && kube && loaders) nodes.push(discoveryNode(profile.name, loaders));
  if (snapshot.pods)
    nodes.push(
      snapshot.pods.ok
        ? gpuPodsNode(profile.name, snapshot.pods.value)
        : failureNode('Kubernetes', snapshot.pods.error),
    );
  if (nodes.length === 0) {
    nodes.push(messageNode('No Triton server or Kubernetes context in this facility profile (set "tritonHttpUrl")'));
  }
  return nodes;
}

function tritonNode(
  place: TritonPlace,
  server: TritonServer,
  metricsUrl: string | undefined,
  loaders: GpuLoaders | undefined,
): TritonServerNode {
  const state = [server.live ? 'live' : 'not live', server.ready ? 'ready' : 'not ready', server.version];
  const children = (): TreeNode[] => {
    if (!loaders) return server.extensions.map((e) => leafNode('tritonExtension', e, { icon: 'extensions' }));
    return [
      groupNode('tritonModels', 'Models', () => modelNodes(place, loaders), { icon: 'symbol-class', expanded: true }),
      ...(metricsUrl
        ? [
            groupNode('tritonGpus', 'GPUs', () => gpuNodes(place.facility, metricsUrl, loaders), {
              icon: 'pulse',
              expanded: true,
            }),
          ]
        : [messageNode('No metrics URL in the profile ("tritonMetricsUrl"), so no GPU figures')]),
    ];
  };
  const node = groupNode('tritonServer', `Triton ${hostOf(place.url)}`, children, {
    description: state.join(' · '),
    icon: server.ready ? 'circuit-board' : 'warning',
    tooltip: `${server.name} ${server.version} at ${place.url}\nExtensions: ${server.extensions.join(', ') || 'none'}`,
    expanded: true,
  });
  return { ...node, kind: 'tritonServer', ...place, ...(metricsUrl ? { metricsUrl } : {}) };
}

/** Triton servers of the facility's namespace, each reached through a port-forward opened when it is expanded. */
function discoveryNode(facility: string, loaders: GpuLoaders): TreeNode {
  return groupNode(
    'tritonDiscovery',
    'Triton in the cluster',
    async () => {
      const found = await loaders.discover(facility);
      if (!found) return [messageNode(`${facility} is not connected`)];
      if (!found.ok) return [failureNode('Kubernetes', found.error)];
      if (found.value.length === 0) return [messageNode('No Triton server in this namespace')];
      return found.value.map((endpoint) =>
        groupNode(
          'tritonDiscovered',
          `${endpoint.name} (${endpoint.kind})`,
          async () => {
            const reached = await loaders.forwarded(facility, endpoint);
            if (!reached) return [messageNode(`${facility} is not connected`)];
            if (!reached.ok) return [failureNode('Port-forward', reached.error)];
            const { url, metricsUrl, server } = reached.value;
            return [tritonNode({ facility, url, extensions: server.extensions }, server, metricsUrl, loaders)];
          },
          {
            description: [endpoint.ready ? 'ready' : 'not ready', 'port-forwarded when expanded'].join(' · '),
            tooltip: [endpoint.clusterHttpUrl, `Pods: ${endpoint.pods.join(', ')}`].filter(Boolean).join('\n'),
            icon: 'cloud',
          },
        ),
      );
    },
    { icon: 'search', expanded: true },
  );
}

async function modelNodes(place: TritonPlace, loaders: GpuLoaders): Promise<TreeNode[]> {
  const models = await loaders.models(place);
  if (!models) return [messageNode(`${place.facility} is not connected`)];
  if (!models.ok) return [failureNode('Models', models.error)];
  if (models.value.length === 0) return [messageNode('The model repository is empty')];
  return models.value.map((entry) => modelNode(place, entry, loaders));
}

function modelNode(place: TritonPlace, entry: TritonModelEntry, loaders: GpuLoaders): TritonModelNode {
  const ready = entry.state === 'READY';
  const kind = ready ? 'tritonModel.ready' : 'tritonModel.unloaded';
  const description = [entry.version && `v${entry.version}`, entry.state || 'not loaded'].filter(Boolean).join(' · ');
  const node = groupNode(kind, entry.name, () => modelDetails(place, entry.name, loaders), {
    description,
    tooltip: [`${entry.name}: ${entry.state || 'not loaded'}`, entry.reason].filter(Boolean).join('\n'),
    icon: ready ? 'pass' : entry.reason && entry.state !== '' ? 'warning' : 'circle-outline',
  });
  return { ...node, kind, ...place, model: entry.name };
}

async function modelDetails(place: TritonPlace, model: string, loaders: GpuLoaders): Promise<TreeNode[]> {
  const details = await loaders.details(place, model);
  if (!details) return [messageNode(`${place.facility} is not connected`)];
  if (!details.ok) return [failureNode(model, details.error)];
  const { metadata, statistics } = details.value;
  const tensor = (direction: string) => (t: { name: string; datatype: string; shape: number[] }) =>
    leafNode('tritonTensor', t.name, {
      description: `${direction} ${t.datatype} [${t.shape.join(', ')}]`,
      icon: direction === 'in' ? 'arrow-right' : 'arrow-left',
    });
  const nodes = [
    leafNode('tritonPlatform', metadata.platform || 'unknown platform', {
      description: `versions ${metadata.versions.join(', ') || 'none'}`,
      icon: 'package',
    }),
    ...metadata.inputs.map(tensor('in')),
    ...metadata.outputs.map(tensor('out')),
  ];
  if (!statistics.ok) nodes.push(failureNode('Statistics', statistics.error));
  else if (statistics.value) {
    const stats = statistics.value;
    const mean = averages(stats);
    const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)} ms`);
    nodes.push(
      leafNode('tritonStats', `${plural(stats.inferenceCount, 'inference')}`, {
        description: `${plural(stats.executionCount, 'execution')} · queue ${ms(mean.averageQueueMs)} · compute ${ms(mean.averageComputeMs)}`,
        tooltip: stats.lastInference
          ? `Last inference ${stats.lastInference.toISOString()}\n${plural(mean.failures, 'failed request')}`
          : 'No inference yet',
        icon: 'graph',
      }),
    );
  }
  return nodes;
}

async function gpuNodes(facility: string, metricsUrl: string, loaders: GpuLoaders): Promise<TreeNode[]> {
  const metrics = await loaders.metrics(facility, metricsUrl);
  if (!metrics) return [messageNode(`${facility} is not connected`)];
  if (!metrics.ok) return [failureNode('GPU metrics', metrics.error)];
  const nodes: TreeNode[] = metrics.value.gpus.map((gpu) => gpuNode(facility, gpu));
  if (nodes.length === 0) nodes.push(messageNode('The metrics page lists no GPU'));
  if (metrics.value.warning) nodes.push(messageNode(metrics.value.warning, 'warning'));
  return nodes;
}

function gpuNode(facility: string, gpu: GpuSummary): TreeNode {
  const key = `${facility}\u0000${gpu.uuid}`;
  const past = history.get(key) ?? [];
  if (gpu.utilization !== undefined) past.push(gpu.utilization);
  history.set(key, past.slice(-HISTORY_LENGTH));
  const percent = gpu.utilization === undefined ? undefined : `${Math.round(gpu.utilization * 100)}%`;
  const memory =
    gpu.memoryUsedBytes !== undefined && gpu.memoryTotalBytes !== undefined
      ? `${formatBytes(gpu.memoryUsedBytes)}/${formatBytes(gpu.memoryTotalBytes)}`
      : undefined;
  const power = gpu.powerWatts === undefined ? undefined : `${Math.round(gpu.powerWatts)} W`;
  const description = [percent && `${percent} ${sparkline(history.get(key) ?? [])}`, memory, power]
    .filter(Boolean)
    .join(' · ');
  return leafNode('tritonGpu', gpu.uuid, { description, icon: 'pulse' });
}

function gpuPodsNode(facility: string, pods: PodSummary[]): TreeNode {
  const gpuPods = pods.filter((p) => p.gpus > 0);
  return groupNode(
    'gpuPods',
    'GPU pods',
    () =>
      gpuPods.length === 0
        ? [messageNode('No pod in this namespace requests a GPU')]
        : gpuPods.map((p): GpuPodNode => {
            const node = leafNode('gpuPod', p.name, {
              description: [p.phase, p.nodeName && `on ${p.nodeName}`, plural(p.gpus, 'GPU')]
                .filter(Boolean)
                .join(' · '),
              icon: 'vm',
            });
            return { ...node, kind: 'gpuPod', facility, pod: p.name };
          }),
    { description: `${gpuPods.length} of ${plural(pods.length, 'pod')}`, icon: 'layers', expanded: true },
  );
}
