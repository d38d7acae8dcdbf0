import type { FacilityHttp, RequestOptions } from './http';
import { isFinalEvent, SpawnProgressParser, type SpawnProgressEvent } from './hubProgress';
import {
  readCreatedToken,
  readTokenList,
  tokenRequestBody,
  type CreatedHubToken,
  type HubTokenModel,
  type TokenRequest,
} from './hubTokens';
import { fail, ok, type Result } from './result';
import { isRecord, optionalString, ShapeError, shapeError, type Json } from './shape';
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

/** What the hub said to a start request: 201 means running, 202 means the spawn goes on in the background. */
export type StartOutcome = 'started' | 'pending';

/** What the hub said to a stop request: 204 means stopped, 202 means the stop goes on in the background. */
export type StopOutcome = 'stopped' | 'stopping';

/** The longest server name JupyterHub 6 accepts. */
const MAX_SERVER_NAME = 30;

/**
 * Why `name` is not a server name the hub accepts, or undefined when it is. The empty name is the default server.
 * This is JupyterHub 6's rule (lowercase letters, digits and hyphens, starting with a letter); older hubs accept more,
 * but a name that passes here works on every version.
 */
export function serverNameProblem(name: string): string | undefined {
  if (name === '') return undefined;
  if (name.length > MAX_SERVER_NAME) return `A server name has at most ${MAX_SERVER_NAME} characters.`;
  if (!/^[a-z]/.test(name)) return 'A server name starts with a lowercase letter.';
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return 'A server name has only lowercase letters, digits and hyphens.';
  return undefined;
}

/** "alice's default server" or "alice's server "gpu"", for messages. */
export function serverLabel(user: string, server: string): string {
  return server === '' ? `${user}'s default server` : `${user}'s server "${server}"`;
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

  /**
   * `GET /hub/api/user`: who the token belongs to, with the user's servers. Hub 1.x answers it with `"servers": null`
   * and lists the servers only under `GET /users/{name}`, which is then asked as well; a hub without that route keeps
   * the default server rebuilt from `server` and `pending`.
   */
  async currentUser(signal: AbortSignal): Promise<Result<HubIdentity>> {
    const self = await this.http.json(this.api('/user'), this.options(signal), readSelf);
    if (!self.ok || self.value.serversListed || self.value.identity.kind !== 'user') {
      return self.ok ? ok(self.value.identity) : self;
    }
    const user = await this.http.json(
      this.api(`/users/${encodeURIComponent(self.value.identity.name)}`),
      this.options(signal),
      readIdentity,
    );
    if (!user.ok && user.error.kind === 'notFound') return ok(self.value.identity);
    return user;
  }

  /** Starts the default server (`server` = "") or a named one; `userOptions` go to the spawner (KubeSpawner profiles). */
  async startServer(
    user: string,
    server: string,
    signal: AbortSignal,
    userOptions?: Record<string, unknown>,
  ): Promise<Result<StartOutcome>> {
    const answer = await this.http.send(this.serverPath(user, server), this.options(signal, 'POST', userOptions));
    if (!answer.ok) return answer;
    return ok(answer.value.status === 202 ? 'pending' : 'started');
  }

  /** Stops a server and keeps its state, so that starting it again brings back the same server. */
  async stopServer(user: string, server: string, signal: AbortSignal): Promise<Result<StopOutcome>> {
    const answer = await this.http.send(this.serverPath(user, server), this.options(signal, 'DELETE'));
    if (!answer.ok) return answer;
    return ok(answer.value.status === 202 ? 'stopping' : 'stopped');
  }

  /** Stops a named server and deletes it with its state; the default server cannot be removed. */
  async removeServer(user: string, server: string, signal: AbortSignal): Promise<Result<StopOutcome>> {
    if (server === '') return fail('http', 'The default server cannot be removed, only stopped.');
    const answer = await this.http.send(
      this.serverPath(user, server),
      this.options(signal, 'DELETE', { remove: true }),
    );
    if (!answer.ok) return answer;
    return ok(answer.value.status === 202 ? 'stopping' : 'stopped');
  }

  /**
   * The spawn progress of a server, event by event, ending after the `ready` or `failed` event. A failure (the server
   * is not starting, the stream broke or sent something unreadable) is the last value, never an exception.
   */
  async *progress(
    user: string,
    server: string,
    signal: AbortSignal,
  ): AsyncGenerator<Result<SpawnProgressEvent>, void, undefined> {
    const parser = new SpawnProgressParser();
    for await (const chunk of this.http.stream(`${this.serverPath(user, server)}/progress`, this.options(signal))) {
      if (!chunk.ok) {
        yield chunk;
        return;
      }
      for (const event of parser.push(chunk.value)) {
        yield event;
        if (!event.ok || isFinalEvent(event.value)) return;
        // Events that came in the same chunk are not news to a caller who has stopped listening.
        if (signal.aborted) {
          yield fail('cancelled', 'JupyterHub: cancelled.');
          return;
        }
      }
    }
    parser.end();
    yield fail('badResponse', `JupyterHub ended the progress of ${serverLabel(user, server)} before it was ready.`);
  }

  /** `POST /users/{name}/tokens`: a new token of `user`, whose secret the hub sends only in this answer. */
  async createToken(user: string, request: TokenRequest, signal: AbortSignal): Promise<Result<CreatedHubToken>> {
    return this.http.json(
      this.tokensPath(user),
      this.options(signal, 'POST', tokenRequestBody(request)),
      readCreatedToken,
    );
  }

  /** `GET /users/{name}/tokens`: the user's API tokens, without their secrets. */
  async listTokens(user: string, signal: AbortSignal): Promise<Result<HubTokenModel[]>> {
    return this.http.json(this.tokensPath(user), this.options(signal), readTokenList);
  }

  /** `DELETE /users/{name}/tokens/{id}`: revokes one token. */
  async deleteToken(user: string, id: string, signal: AbortSignal): Promise<Result<void>> {
    const answer = await this.http.send(
      `${this.tokensPath(user)}/${encodeURIComponent(id)}`,
      this.options(signal, 'DELETE'),
    );
    return answer.ok ? ok(undefined) : answer;
  }

  private tokensPath(user: string): string {
    return this.api(`/users/${encodeURIComponent(user)}/tokens`);
  }

  private serverPath(user: string, server: string): string {
    const base = `/users/${encodeURIComponent(user)}`;
    return this.api(server === '' ? `${base}/server` : `${base}/servers/${encodeURIComponent(server)}`);
  }

  private options(signal: AbortSignal, method?: RequestOptions['method'], body?: unknown): RequestOptions {
    return { service: 'JupyterHub', signal, method, body, headers: { authorization: `token ${this.token}` } };
  }
}

function readSelf(body: unknown): { identity: HubIdentity; serversListed: boolean } | ShapeError {
  const identity = readIdentity(body);
  if (identity instanceof ShapeError) return identity;
  return { identity, serversListed: isRecord(body) && isRecord(body.servers) };
}

function readIdentity(body: unknown): HubIdentity | ShapeError {
  if (!isRecord(body) || typeof body.name !== 'string') return shapeError('the user model has no "name"');
  const kind = body.kind === 'service' ? 'service' : 'user';
  return { kind, name: body.name, admin: body.admin === true, servers: readServers(body) };
}

/**
 * Hub 3+ lists every active server under `servers`; a user model without them (hub 1.x's `GET /user`) gives only
 * `server` (the default server's URL) and `pending`, so the default server is rebuilt from those.
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
