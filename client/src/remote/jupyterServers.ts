import type { HubServer } from '../facility/hub';

// Plain TypeScript: which of the user's hub servers are offered to notebooks as Jupyter servers, through the Jupyter
// extension's server-collection API (see jupyterExtension.ts for the thin adapter). Only running servers of connected
// facilities are offered; their ids stay the same across refreshes so that a notebook keeps its kernel choice.

/** A connected facility as this module needs it: its hub, the signed-in user and the user's servers. */
export interface FacilityServers {
  readonly facility: string;
  readonly hubUrl: string;
  readonly user: string;
  readonly servers: readonly HubServer[];
}

/** A server offered to notebooks. */
export interface OfferedServer {
  /** Stable across refreshes: the facility and the server name, and nothing that changes (no token, no URL). */
  readonly id: string;
  /** "<facility> · <server>", the server being "default server" or its name. */
  readonly label: string;
  readonly facility: string;
  readonly serverName: string;
  /** The server's absolute URL, ending in a slash. */
  readonly baseUrl: string;
}

/** What the Jupyter extension needs to connect: the token goes in a header, never in the URL. */
export interface ConnectionInformation {
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
}

/** A "start a server" entry offered when a connected facility has no running server. */
export interface StartCommand {
  readonly label: string;
  readonly facility: string;
}

const ID_PREFIX = 'coffea-casa';

/** The id of a facility's server; names are encoded so that no facility or server name can forge another's id. */
export function serverId(facility: string, serverName: string): string {
  return `${ID_PREFIX}:${encodeURIComponent(facility)}:${encodeURIComponent(serverName)}`;
}

/** The running servers of the given facilities, in a stable order (facility, then default server first, then name). */
export function offeredServers(facilities: readonly FacilityServers[]): OfferedServer[] {
  const offered: OfferedServer[] = [];
  for (const { facility, hubUrl, servers } of facilities) {
    for (const server of servers) {
      // A server that is spawning or stopping cannot take a kernel yet; one without a URL cannot be reached.
      if (!server.ready || server.pending || !server.url) continue;
      const path = server.url.endsWith('/') ? server.url : `${server.url}/`;
      let baseUrl: string;
      try {
        baseUrl = new URL(path, hubUrl).toString();
      } catch {
        continue;
      }
      offered.push({
        id: serverId(facility, server.name),
        label: `${facility} · ${server.name === '' ? 'default server' : server.name}`,
        facility,
        serverName: server.name,
        baseUrl,
      });
    }
  }
  return offered.sort(
    (a, b) =>
      a.facility.localeCompare(b.facility) ||
      Number(a.serverName !== '') - Number(b.serverName !== '') ||
      a.serverName.localeCompare(b.serverName),
  );
}

/** Connected facilities whose user has no running server, each offered one "Start a server" command. */
export function startCommands(facilities: readonly FacilityServers[]): StartCommand[] {
  const offered = new Set(offeredServers(facilities).map((s) => s.facility));
  return facilities
    .filter((f) => !offered.has(f.facility))
    .map((f) => ({ label: `Start a server on ${f.facility}…`, facility: f.facility }));
}

/**
 * The servers on offer and when they change. The extension asks again on every facility change; listeners hear only
 * when the set of ids or labels (or where a server lives) changed, so that the kernel picker does not flicker.
 */
export class ServerCatalog {
  private current: OfferedServer[] = [];
  private readonly listeners = new Set<() => void>();

  /** Takes the facilities as they now are; resolves true (and tells the listeners) when the offer changed. */
  update(facilities: readonly FacilityServers[]): boolean {
    const next = offeredServers(facilities);
    const key = (servers: OfferedServer[]) => JSON.stringify(servers.map((s) => [s.id, s.label, s.baseUrl]));
    if (key(next) === key(this.current)) return false;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  servers(): readonly OfferedServer[] {
    return this.current;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Fresh connection information for a server, with the token the facility holds now (it may have been renewed since
   * the server was listed); undefined when the server is no longer running or its facility no longer connected.
   */
  resolve(id: string, tokenFor: (facility: string) => string | undefined): ConnectionInformation | undefined {
    const server = this.current.find((s) => s.id === id);
    if (!server) return undefined;
    const token = tokenFor(server.facility);
    if (!token) return undefined;
    return { baseUrl: server.baseUrl, headers: { Authorization: `token ${token}` } };
  }
}
