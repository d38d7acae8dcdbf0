import type { FacilityHttp } from './http';
import type { Result } from './result';
import { isRecord, optionalString, shapeError, type Json, type ShapeError } from './shape';
import { joinUrl } from './urls';

/** One of the user's Jupyter servers, as the hub's server model describes it (servicex-facts.md §8). */
export interface HubServer {
  /** "" is the default server. */
  readonly name: string;
  readonly ready: boolean;
  readonly pending?: string;
  readonly url?: string;
  readonly started?: string;
  readonly lastActivity?: string;
}

/** The signed-in identity: a user with servers, or a service token (which has none). */
export interface HubIdentity {
  readonly kind: 'user' | 'service';
  readonly name: string;
  readonly admin: boolean;
  readonly servers: HubServer[];
}

/** The JupyterHub REST API at `<hub>/hub/api`, with a token on every call. */
export class HubApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly hubUrl: string,
    private readonly token: string,
  ) {}

  private api(path: string): string {
    return joinUrl(joinUrl(this.hubUrl, 'hub/api'), path);
  }

  /** `GET /hub/api/` needs no token and tells the hub version, which decides what else is available. */
  async version(signal: AbortSignal): Promise<Result<string>> {
    return this.http.json(this.api('/'), { service: 'JupyterHub', signal }, (body) =>
      isRecord(body) && typeof body.version === 'string' ? body.version : shapeError('no "version" field'),
    );
  }

  /** `GET /hub/api/user`: who the token belongs to, with the user's servers. */
  async currentUser(signal: AbortSignal): Promise<Result<HubIdentity>> {
    return this.http.json(
      this.api('/user'),
      { service: 'JupyterHub', signal, headers: { authorization: `token ${this.token}` } },
      readIdentity,
    );
  }
}

function readIdentity(body: unknown): HubIdentity | ShapeError {
  if (!isRecord(body) || typeof body.name !== 'string') return shapeError('the user model has no "name"');
  const kind = body.kind === 'service' ? 'service' : 'user';
  return { kind, name: body.name, admin: body.admin === true, servers: readServers(body) };
}

/**
 * Hub 3+ lists every active server under `servers`; hub 1.x without named servers gives only `server` (the default
 * server's URL) and `pending`, so the default server is rebuilt from those.
 */
function readServers(user: Json): HubServer[] {
  if (isRecord(user.servers)) {
    return Object.entries(user.servers)
      .filter((entry): entry is [string, Json] => isRecord(entry[1]))
      .map(([name, server]) => ({
        name,
        ready: server.ready === true,
        pending: optionalString(server, 'pending'),
        url: optionalString(server, 'url'),
        started: optionalString(server, 'started'),
        lastActivity: optionalString(server, 'last_activity'),
      }));
  }
  const url = optionalString(user, 'server');
  const pending = optionalString(user, 'pending');
  if (!url && !pending) return [];
  return [{ name: '', ready: Boolean(url) && !pending, pending, url }];
}
