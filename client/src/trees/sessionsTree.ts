import type { Connections, FacilitySession } from '../connection/connections';
import type { DaskCluster } from '../facility/dask';
import type { HubStatus } from '../facility/facility';
import type { HubServer } from '../facility/hub';
import type { Result } from '../facility/result';
import { redact, serverBaseUrl } from '../facility/urls';
import type { LabClusterOverview, LabClusterStatus } from '../remote/daskClusters';
import type { JupyterKernel, JupyterTerminal, ServerActivity } from '../remote/serverActivity';
import { formatAge, formatBytes, plural } from './format';
import { failureNode, groupNode, leafNode, messageNode, type TreeNode } from './node';

/** Where a server is in its life, as the menus see it: pending covers both a spawn and a stop under way. */
export type HubServerState = 'running' | 'pending' | 'stopped';

/**
 * A server node; its kind `hubServer.<state>.<default|named>` lets menus offer stop on running servers and remove on
 * named ones only, and it carries what the server commands need.
 */
export interface HubServerNode extends TreeNode {
  readonly kind: `hubServer.${HubServerState}.${'default' | 'named'}`;
  readonly facility: string;
  readonly user: string;
  readonly server: HubServer;
}

/** True for the nodes of the user's hub servers, which the server commands receive from menus. */
export function isHubServerNode(value: unknown): value is HubServerNode {
  const node = value as Partial<HubServerNode> | undefined;
  return typeof node?.kind === 'string' && node.kind.startsWith('hubServer.') && typeof node.facility === 'string';
}

/** What a running server holds: kernels and terminals, and the Dask clusters its dask-labextension manages. */
export interface ServerContents extends ServerActivity {
  readonly clusters?: Result<LabClusterOverview>;
}

/** Asks a running server what it holds; undefined when the facility is no longer connected. */
export type ServerActivityLoader = (
  facility: string,
  hubUrl: string,
  serverUrl: string,
) => Promise<ServerContents | undefined>;

/** The loader the Sessions view uses: read-only calls with the session's token, the Jupyter client loaded on use. */
export function serverActivityLoader(connections: Connections): ServerActivityLoader {
  return (facility, hubUrl, serverUrl) =>
    connections.read(facility, async (session, signal) => {
      // The Jupyter client library is loaded on first expansion, so that activation stays fast.
      const { serverSettings } = await import('../remote/jupyterConnection.js');
      const { listServerActivity } = await import('../remote/serverActivity.js');
      const { describeLabClusters } = await import('../remote/daskClusters.js');
      const settings = serverSettings(hubUrl, serverUrl, session.hubToken(), session.profile);
      const [activity, clusters] = await Promise.all([
        listServerActivity(settings, signal),
        describeLabClusters(session.http, serverBaseUrl(hubUrl, serverUrl), session.hubToken(), signal),
      ]);
      return { ...activity, clusters };
    });
}

/**
 * The Sessions view: the user's hub servers and the Dask cluster of the facility. With a loader, a running server
 * expands to its kernels and terminals, fetched on expansion rather than during the facility probe.
 */
export function sessionsContent(session: FacilitySession, loadActivity?: ServerActivityLoader): TreeNode[] {
  const snapshot = session.snapshot;
  if (!snapshot) return session.problem ? [messageNode(session.problem, 'warning')] : [];
  const activity = loadActivity && ((server: HubServer) => activityNodes(loadActivity, session, server));
  const nodes = snapshot.hub.ok
    ? hubNodes(session.profile.name, snapshot.hub.value, activity)
    : [failureNode('JupyterHub', snapshot.hub.error)];
  if (snapshot.dask)
    nodes.push(
      snapshot.dask.ok
        ? daskNode(session.profile.name, session.profile.daskDashboardUrl, snapshot.dask.value)
        : failureNode('Dask', snapshot.dask.error),
    );
  return nodes;
}

function hubNodes(facility: string, hub: HubStatus, activity?: (server: HubServer) => Promise<TreeNode[]>): TreeNode[] {
  const { identity } = hub;
  if (identity.kind === 'service')
    return [messageNode(`Signed in as the service "${identity.name}", which has no servers`)];
  if (identity.servers.length === 0) return [messageNode(`No running servers for ${identity.name}`, 'server')];
  return identity.servers.map((server) => serverNode(facility, identity.name, server, activity));
}

function serverNode(
  facility: string,
  user: string,
  server: HubServer,
  activity?: (server: HubServer) => Promise<TreeNode[]>,
): HubServerNode {
  const label = server.name === '' ? 'Default server' : server.name;
  const state = server.pending ? `pending ${server.pending}` : server.ready ? 'running' : 'stopped';
  const menuState: HubServerState = server.pending ? 'pending' : server.ready ? 'running' : 'stopped';
  const started = formatAge(server.started);
  const active = formatAge(server.lastActivity);
  const description = [state, started && `started ${started}`].filter(Boolean).join(' · ');
  const tooltip = [
    `${label}: ${state}`,
    server.url,
    started && `Started ${started}`,
    active && `Last activity ${active}`,
  ]
    .filter(Boolean)
    .join('\n');
  const kind = `hubServer.${menuState}.${server.name === '' ? 'default' : 'named'}` as const;
  const icon = server.pending ? 'loading~spin' : server.ready ? 'vm-running' : 'vm-outline';
  const running = server.ready && !server.pending;
  const node =
    running && activity
      ? groupNode(kind, label, () => activity(server), { description, tooltip, icon })
      : leafNode(kind, label, { description, tooltip, icon });
  return { ...node, kind, facility, user, server };
}

async function activityNodes(
  load: ServerActivityLoader,
  session: FacilitySession,
  server: HubServer,
): Promise<TreeNode[]> {
  if (!server.url) return [messageNode('The hub gives no address for this server', 'warning')];
  let activity: ServerContents | undefined;
  try {
    activity = await load(session.profile.name, session.profile.hubUrl, server.url);
  } catch (error) {
    // A rejected load is a programming error or a broken bundle; the view still says so rather than staying empty.
    const message = redact(error instanceof Error ? error.message : String(error));
    return [failureNode('Jupyter server', { kind: 'badResponse', message })];
  }
  if (!activity) return [messageNode(`${session.profile.name} is not connected`)];
  const place = placeOf(session, server.url);
  return [
    listGroup('jupyterKernels', 'Kernels', activity.kernels, kernelNode(place), 'No kernels running', 'symbol-event'),
    listGroup(
      'jupyterTerminals',
      'Terminals',
      activity.terminals,
      terminalNode(place),
      'No terminals open',
      'terminal',
    ),
    ...(activity.clusters ? [labClustersGroup(place, activity.clusters)] : []),
  ];
}

function listGroup<T>(
  kind: string,
  label: string,
  items: Result<T[]>,
  render: (item: T) => TreeNode,
  empty: string,
  icon: string,
): TreeNode {
  const children = items.ok
    ? items.value.length > 0
      ? items.value.map(render)
      : [messageNode(empty)]
    : [failureNode(label, items.error)];
  const description = items.ok ? String(items.value.length) : 'failed';
  return groupNode(kind, label, () => children, { description, icon, expanded: true });
}

/** Where a kernel or terminal lives: what its commands need to reach it again. */
export interface JupyterPlace {
  readonly facility: string;
  readonly hubUrl: string;
  readonly serverUrl: string;
}

/** A kernel node, which the kernel commands receive from menus. */
export interface KernelNode extends TreeNode, JupyterPlace {
  readonly kind: 'jupyterKernel';
  readonly kernelId: string;
  readonly kernelName: string;
}

/** A terminal node, which the terminal commands receive from menus. */
export interface TerminalNode extends TreeNode, JupyterPlace {
  readonly kind: 'jupyterTerminal';
  readonly terminalName: string;
}

function isPlace(node: Partial<JupyterPlace> | undefined): boolean {
  return typeof node?.facility === 'string' && typeof node.hubUrl === 'string' && typeof node.serverUrl === 'string';
}

export function isKernelNode(value: unknown): value is KernelNode {
  const node = value as Partial<KernelNode> | undefined;
  return node?.kind === 'jupyterKernel' && isPlace(node) && typeof node.kernelId === 'string';
}

export function isTerminalNode(value: unknown): value is TerminalNode {
  const node = value as Partial<TerminalNode> | undefined;
  return node?.kind === 'jupyterTerminal' && isPlace(node) && typeof node.terminalName === 'string';
}

function placeOf(session: FacilitySession, serverUrl: string): JupyterPlace {
  return { facility: session.profile.name, hubUrl: session.profile.hubUrl, serverUrl };
}

function kernelNode(place: JupyterPlace) {
  return (kernel: JupyterKernel): KernelNode => {
    const active = formatAge(kernel.lastActivity);
    const description = [kernel.executionState, active && `active ${active}`].filter(Boolean).join(' · ');
    const tooltip = [
      `Kernel ${kernel.name} (${kernel.id})`,
      `State: ${kernel.executionState}`,
      active && `Last activity ${active}`,
    ]
      .filter(Boolean)
      .join('\n');
    const icon = kernel.executionState === 'busy' ? 'circle-filled' : 'circle-outline';
    const node = leafNode('jupyterKernel', kernel.name, { description, tooltip, icon });
    return { ...node, kind: 'jupyterKernel', ...place, kernelId: kernel.id, kernelName: kernel.name };
  };
}

function terminalNode(place: JupyterPlace) {
  return (terminal: JupyterTerminal): TerminalNode => {
    const active = formatAge(terminal.lastActivity);
    const node = leafNode('jupyterTerminal', `Terminal ${terminal.name}`, {
      description: active && `active ${active}`,
      icon: 'terminal',
    });
    return { ...node, kind: 'jupyterTerminal', ...place, terminalName: terminal.name };
  };
}

/**
 * A Dask cluster node, which the Dask commands receive from menus: the facility's own cluster (`daskCluster`, from
 * the profile's dashboard URL) or one a server's dask-labextension manages (`labDaskCluster`, which can also be scaled
 * and shut down through it).
 */
export interface DaskClusterNode extends TreeNode {
  readonly kind: 'daskCluster' | 'labDaskCluster';
  readonly facility: string;
  readonly clusterName: string;
  readonly schedulerAddress: string;
  /** The dashboard's base URL, when known. */
  readonly dashboard?: string;
  /** For clusters of a server: where the server is and the cluster's id there. */
  readonly lab?: JupyterPlace & { readonly clusterId: string; readonly adapt?: { minimum: number; maximum: number } };
}

export function isDaskClusterNode(value: unknown): value is DaskClusterNode {
  const node = value as Partial<DaskClusterNode> | undefined;
  return (
    (node?.kind === 'daskCluster' || node?.kind === 'labDaskCluster') &&
    typeof node.facility === 'string' &&
    typeof node.schedulerAddress === 'string'
  );
}

/** The "Dask clusters" group under a server, which carries the server's place for "New Dask Cluster". */
export interface DaskClustersNode extends TreeNode, JupyterPlace {
  readonly kind: 'daskClusters';
}

export function isDaskClustersNode(value: unknown): value is DaskClustersNode {
  const node = value as Partial<DaskClustersNode> | undefined;
  return node?.kind === 'daskClusters' && isPlace(node);
}

function daskDescription(cluster: DaskCluster): string {
  return [
    plural(cluster.workers, 'worker'),
    plural(cluster.threads, 'thread'),
    formatBytes(cluster.memoryLimitBytes),
    plural(cluster.tasks, 'task'),
  ].join(' · ');
}

function daskNode(facility: string, dashboard: string | undefined, cluster: DaskCluster): DaskClusterNode {
  const label = `Dask ${cluster.schedulerAddress}`;
  const tooltip = [label, dashboard && `Dashboard: ${dashboard}`].filter(Boolean).join('\n');
  const node = leafNode('daskCluster', label, {
    description: daskDescription(cluster),
    tooltip,
    icon: 'server-process',
  });
  return {
    ...node,
    kind: 'daskCluster',
    facility,
    clusterName: label,
    schedulerAddress: cluster.schedulerAddress,
    ...(dashboard ? { dashboard } : {}),
  };
}

function labClustersGroup(place: JupyterPlace, overview: Result<LabClusterOverview>): DaskClustersNode {
  const children = !overview.ok
    ? [failureNode('Dask clusters', overview.error)]
    : overview.value.kind === 'unsupported'
      ? [messageNode(overview.value.message)]
      : overview.value.clusters.length > 0
        ? overview.value.clusters.map((status) => labClusterNode(place, status))
        : [messageNode('No Dask clusters')];
  const description = !overview.ok
    ? 'failed'
    : overview.value.kind === 'clusters'
      ? String(overview.value.clusters.length)
      : undefined;
  const node = groupNode('daskClusters', 'Dask clusters', () => children, {
    description,
    icon: 'server-process',
    expanded: true,
  });
  return { ...node, kind: 'daskClusters', ...place };
}

function labClusterNode(place: JupyterPlace, status: LabClusterStatus): DaskClusterNode {
  const { cluster, live } = status;
  // The dashboard's numbers are live; the manager's own counts are the fallback when the dashboard cannot be read.
  const description = live?.ok
    ? daskDescription(live.value)
    : [plural(cluster.workers, 'worker'), plural(cluster.cores, 'core'), cluster.memory].filter(Boolean).join(' · ');
  const adapt = cluster.adapt && `adaptive ${cluster.adapt.minimum}–${cluster.adapt.maximum} workers`;
  const tooltip = [
    cluster.name,
    `Scheduler: ${cluster.schedulerAddress}`,
    adapt,
    status.dashboard && `Dashboard: ${status.dashboard}`,
    live && !live.ok && `Dashboard unreadable: ${live.error.message}`,
  ]
    .filter(Boolean)
    .join('\n');
  const node = leafNode('labDaskCluster', cluster.name, {
    description: adapt ? `${description} · ${adapt}` : description,
    tooltip,
    icon: live && !live.ok ? 'warning' : 'server-process',
  });
  return {
    ...node,
    kind: 'labDaskCluster',
    facility: place.facility,
    clusterName: cluster.name,
    schedulerAddress: cluster.schedulerAddress,
    ...(status.dashboard ? { dashboard: status.dashboard } : {}),
    lab: { ...place, clusterId: cluster.id, ...(cluster.adapt ? { adapt: cluster.adapt } : {}) },
  };
}
