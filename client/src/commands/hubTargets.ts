import * as vscode from 'vscode';
import type { Connections, FacilitySession } from '../connection/connections';
import type { HubServer } from '../facility/hub';
import { isHubServerNode } from '../trees/sessionsTree';
import type { TreeNode } from '../trees/node';

// The server commands are run from three places: a tree node's menu, the command palette (no argument: ask), and
// programmatically with names (tests, other extensions). These helpers turn each into the same target.

/** A connected facility whose hub token belongs to a user, who can therefore own servers. */
export interface HubUser {
  readonly facility: string;
  readonly hubUrl: string;
  readonly user: string;
  readonly servers: readonly HubServer[];
}

/** One of that user's servers. */
export interface ServerTarget extends HubUser {
  readonly server: HubServer;
}

function hubUserOf(session: FacilitySession): HubUser | undefined {
  const hub = session.snapshot?.hub;
  if (!hub?.ok || hub.value.identity.kind !== 'user') return undefined;
  const { name, servers } = hub.value.identity;
  return { facility: session.profile.name, hubUrl: session.profile.hubUrl, user: name, servers };
}

/** The facility name a command argument names: a string, or the facility node whose label is the profile name. */
function facilityNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as Partial<TreeNode> | undefined;
  if (node?.kind !== 'facility' || typeof node.treeItem !== 'function') return undefined;
  const label = node.treeItem().label;
  return typeof label === 'string' ? label : label?.label;
}

/** The hub user of the facility an argument names, or of the one the user picks; shows why when there is none. */
export async function pickHubUser(connections: Connections, arg: unknown): Promise<HubUser | undefined> {
  const users = connections.sessions().flatMap((s) => hubUserOf(s) ?? []);
  const name = facilityNameOf(arg);
  if (name !== undefined) {
    const user = users.find((u) => u.facility === name);
    if (!user) void vscode.window.showErrorMessage(`${name} is not connected with a user's hub token.`);
    return user;
  }
  if (users.length <= 1) {
    if (users.length === 0) void vscode.window.showErrorMessage('No facility is connected with a user’s hub token.');
    return users[0];
  }
  const choice = await vscode.window.showQuickPick(
    users.map((user) => ({ label: user.facility, description: user.user, user })),
    { title: 'Choose a Facility' },
  );
  return choice?.user;
}

/**
 * The server an argument names: a server node, or a facility name followed by a server name ("" for the default
 * server). Without arguments the user picks among the servers that `fits` accepts.
 */
export async function pickServer(
  connections: Connections,
  args: unknown[],
  fits: (server: HubServer) => boolean,
): Promise<ServerTarget | undefined> {
  const [first, second] = args;
  const users = connections.sessions().flatMap((s) => hubUserOf(s) ?? []);
  if (isHubServerNode(first)) {
    const user = users.find((u) => u.facility === first.facility);
    return user && { ...user, server: first.server };
  }
  if (typeof first === 'string' && typeof second === 'string') {
    const user = users.find((u) => u.facility === first);
    const server = user?.servers.find((s) => s.name === second);
    if (!user || !server) {
      void vscode.window.showErrorMessage(`${first} has no active server named "${second}".`);
      return undefined;
    }
    return { ...user, server };
  }
  const targets = users.flatMap((user) => user.servers.filter(fits).map((server) => ({ ...user, server })));
  if (targets.length === 0) {
    void vscode.window.showInformationMessage('There is no server this applies to.');
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(
    targets.map((target) => ({
      label: target.server.name === '' ? 'Default server' : target.server.name,
      description: users.length > 1 ? target.facility : undefined,
      target,
    })),
    { title: 'Choose a Server' },
  );
  return choice?.target;
}

/** A server that is running, with the URL path the hub serves it under. */
export type RunningTarget = ServerTarget & { readonly server: HubServer & { readonly url: string } };

/** Like `pickServer`, for commands that need a running server: says so, and gives up, when it is not running. */
export async function pickRunningServer(connections: Connections, args: unknown[]): Promise<RunningTarget | undefined> {
  const target = await pickServer(connections, args, (s) => s.ready && !s.pending);
  if (!target) return undefined;
  const { server } = target;
  if (!server.ready || !server.url) {
    void vscode.window.showErrorMessage(`${serverTitle(server)} on ${target.facility} is not running.`);
    return undefined;
  }
  return { ...target, server: { ...server, url: server.url } };
}

/** "the default server" or "gpu", for messages about a server the user has in front of them. */
export function serverTitle(server: HubServer): string {
  return server.name === '' ? 'the default server' : `"${server.name}"`;
}
