import type { FacilitySession } from '../connection/connections';
import type { DaskCluster } from '../facility/dask';
import type { HubStatus } from '../facility/facility';
import type { HubServer } from '../facility/hub';
import { formatAge, formatBytes, plural } from './format';
import { failureNode, leafNode, messageNode, type TreeNode } from './node';

/** The Sessions view: the user's hub servers and the Dask cluster of the facility. */
export function sessionsContent(session: FacilitySession): TreeNode[] {
  const snapshot = session.snapshot;
  if (!snapshot) return session.problem ? [messageNode(session.problem, 'warning')] : [];
  const nodes = snapshot.hub.ok ? hubNodes(snapshot.hub.value) : [failureNode('JupyterHub', snapshot.hub.error)];
  if (snapshot.dask)
    nodes.push(snapshot.dask.ok ? daskNode(snapshot.dask.value) : failureNode('Dask', snapshot.dask.error));
  return nodes;
}

function hubNodes(hub: HubStatus): TreeNode[] {
  const { identity } = hub;
  if (identity.kind === 'service')
    return [messageNode(`Signed in as the service "${identity.name}", which has no servers`)];
  if (identity.servers.length === 0) return [messageNode(`No running servers for ${identity.name}`, 'server')];
  return identity.servers.map(serverNode);
}

function serverNode(server: HubServer): TreeNode {
  const label = server.name === '' ? 'Default server' : server.name;
  const state = server.pending ? `pending ${server.pending}` : server.ready ? 'running' : 'stopped';
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
  return leafNode('hubServer', label, { description, tooltip, icon: server.ready ? 'vm-running' : 'vm-outline' });
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
