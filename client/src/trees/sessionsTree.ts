import type { FacilitySession } from '../connection/connections';
import type { DaskCluster } from '../facility/dask';
import type { HubStatus } from '../facility/facility';
import type { HubServer } from '../facility/hub';
import { formatAge, formatBytes, plural } from './format';
import { failureNode, leafNode, messageNode, type TreeNode } from './node';

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

/** The Sessions view: the user's hub servers and the Dask cluster of the facility. */
export function sessionsContent(session: FacilitySession): TreeNode[] {
  const snapshot = session.snapshot;
  if (!snapshot) return session.problem ? [messageNode(session.problem, 'warning')] : [];
  const nodes = snapshot.hub.ok
    ? hubNodes(session.profile.name, snapshot.hub.value)
    : [failureNode('JupyterHub', snapshot.hub.error)];
  if (snapshot.dask)
    nodes.push(snapshot.dask.ok ? daskNode(snapshot.dask.value) : failureNode('Dask', snapshot.dask.error));
  return nodes;
}

function hubNodes(facility: string, hub: HubStatus): TreeNode[] {
  const { identity } = hub;
  if (identity.kind === 'service')
    return [messageNode(`Signed in as the service "${identity.name}", which has no servers`)];
  if (identity.servers.length === 0) return [messageNode(`No running servers for ${identity.name}`, 'server')];
  return identity.servers.map((server) => serverNode(facility, identity.name, server));
}

function serverNode(facility: string, user: string, server: HubServer): HubServerNode {
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
  return { ...leafNode(kind, label, { description, tooltip, icon }), kind, facility, user, server };
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
