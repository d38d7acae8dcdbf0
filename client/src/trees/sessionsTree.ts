import type { Connections, FacilitySession } from '../connection/connections';
import type { DaskCluster } from '../facility/dask';
import type { HubStatus } from '../facility/facility';
import type { HubServer } from '../facility/hub';
import type { Result } from '../facility/result';
import { redact } from '../facility/urls';
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

/** Asks a running server for its kernels and terminals; undefined when the facility is no longer connected. */
export type ServerActivityLoader = (
  facility: string,
  hubUrl: string,
  serverUrl: string,
) => Promise<ServerActivity | undefined>;

/** The loader the Sessions view uses: a read-only call with the session's token, the Jupyter client loaded on use. */
export function serverActivityLoader(connections: Connections): ServerActivityLoader {
  return (facility, hubUrl, serverUrl) =>
    connections.read(facility, async (session, signal) => {
      // The Jupyter client library is loaded on first expansion, so that activation stays fast.
      const { serverSettings } = await import('../remote/jupyterConnection.js');
      const { listServerActivity } = await import('../remote/serverActivity.js');
      return listServerActivity(serverSettings(hubUrl, serverUrl, session.hubToken(), session.profile), signal);
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
    nodes.push(snapshot.dask.ok ? daskNode(snapshot.dask.value) : failureNode('Dask', snapshot.dask.error));
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
  let activity: ServerActivity | undefined;
  try {
    activity = await load(session.profile.name, session.profile.hubUrl, server.url);
  } catch (error) {
    // A rejected load is a programming error or a broken bundle; the view still says so rather than staying empty.
    const message = redact(error instanceof Error ? error.message : String(error));
    return [failureNode('Jupyter server', { kind: 'badResponse', message })];
  }
  if (!activity) return [messageNode(`${session.profile.name} is not connected`)];
  return [
    listGroup(
      'jupyterKernels',
      'Kernels',
      activity.kernels,
      kernelNode(placeOf(session, server.url)),
      'No kernels running',
      'symbol-event',
    ),
    listGroup(
      'jupyterTerminals',
      'Terminals',
      activity.terminals,
      terminalNode(placeOf(session, server.url)),
      'No terminals open',
      'terminal',
    ),
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

function daskNode(cluster: DaskCluster): TreeNode {
  const description = [
    plural(cluster.workers, 'worker'),
    plural(cluster.threads, 'thread'),
    formatBytes(cluster.memoryLimitBytes),
    plural(cluster.tasks, 'task'),
  ].join(' · ');
  return leafNode('daskCluster', `Dask ${cluster.schedulerAddress}`, { description, icon: 'server-process' });
}
