import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import { closeServer, Router, type Reply, type SimRequest } from './http';
import type { FaultStore } from './faults';
import type { Hub1Info } from './info';
import {
  API,
  DEFAULT_LAYOUT,
  expired,
  hubError,
  INVALID,
  isObject,
  isoformat,
  logName,
  parseBody,
  readLayout,
  serverModel,
  tokenModel,
  USER,
  type ApiToken,
  type Hub1Layout,
  type Spawner,
} from './hub1Models';

// A stand-in for JupyterHub 1.5.0, the line the coffea-casa Helm chart pins (servicex-facts.md §8, version caveat),
// written after that release's jupyterhub/apihandlers/{base,users,hub}.py. What sets 1.x apart from the real 3.0 hub
// the simulator also runs: no scopes, a token body of `expires_in` and `note` only, tokens created with 200, every
// refusal a 403, no `stopped`, `full_url` or `roles`, and `GET /user` with `"servers": null` (only
// `GET /users/{name}` lists the servers). It behaves as a hub configured with `slow_spawn_timeout = 0`: a start
// answers 202 at once and the spawn runs on, so its progress can be followed.

const VERSION = '1.5.0';
// jupyterhub/handlers/base.py: `^(?:token|bearer)\s+([^\s]+)$`, case-insensitive.
const AUTH_HEADER = /^(?:token|bearer)\s+(\S+)$/i;

/** How the stand-in misbehaves; changed through the control API (`PATCH /hub1`). */
export interface Hub1Settings {
  /**
   * `refuse`: the port is closed, so connections are refused. `unavailable`: every request gets 503 with the body
   * configurable-http-proxy sends when the hub behind it is down. Null: up.
   */
  readonly down: 'refuse' | 'unavailable' | null;
  /** Route keys whose 2xx JSON answers are sent cut in the middle (complete HTTP, broken JSON). */
  readonly malformed: readonly string[];
  /** Named servers whose spawns fail, with the reason the spawner raises. */
  readonly spawnFailures: Readonly<Record<string, string>>;
  /** How long a spawn stays pending. */
  readonly spawnMs: number;
}

/** The servers `POST /hub1/reset` sets up. */

const DEFAULT_SETTINGS: Hub1Settings = { down: null, malformed: [], spawnFailures: {}, spawnMs: 50 };

/** The JupyterHub 1.5 stand-in: alice, her servers and tokens, on its own loopback port. */
export class Hub1 {
  readonly router: Router;
  private settings: Hub1Settings = DEFAULT_SETTINGS;
  private namedServersEnabled = true;
  private readonly spawners = new Map<string, Spawner>();
  private readonly tokens = new Map<string, ApiToken>();
  private readonly created = new Date();
  private nextTokenId = 1;
  /** The bodies of `POST /users/{name}/tokens`, so that tests can see what a client sent. */
  private tokenRequests: unknown[] = [];
  /** The token of the ready line; it survives resets. */
  readonly token: string;
  private server?: Server;
  private port = 0;

  constructor(faults: FaultStore) {
    this.token = this.addToken('coffea-casa simulator', null);
    this.layOut(DEFAULT_LAYOUT);
    this.router = new Router({
      service: 'hub1',
      faults,
      errorReply: hubError,
      // configurable-http-proxy's default answer when its target is down: the bare status text, no content type.
      authorize: () => (this.settings.down === 'unavailable' ? { status: 503, text: STATUS_CODES[503] } : undefined),
    });
    this.addRoutes();
  }

  /** Starts listening on a free loopback port. */
  async listen(): Promise<{ server: Server; url: string; info: Hub1Info }> {
    const { server, url } = await this.router.listen();
    this.server = server;
    this.port = Number(new URL(url).port);
    return { server, url, info: { url, user: USER, token: this.token } };
  }

  /** Adds the control routes (`GET`/`PATCH /hub1`, `POST /hub1/reset`) to the control server's router. */
  addControlRoutes(control: Router): void {
    control
      .add('GET', '/hub1', () => ({ status: 200, json: this.state() }))
      .add('PATCH', '/hub1', async (request) => {
        const body = parseBody(request);
        const problem = body === INVALID ? 'The body must be JSON.' : this.checkSettings(body);
        if (problem) return { status: 400, json: { message: problem } };
        const next = { ...this.settings, ...(body as Partial<Hub1Settings>) };
        await this.setDown(next.down);
        this.settings = next;
        return { status: 200, json: this.state() };
      })
      .add('POST', '/hub1/reset', async (request) => {
        const body = parseBody(request);
        const layout = body === INVALID ? 'The body must be JSON.' : readLayout(body);
        if (typeof layout === 'string') return { status: 400, json: { message: layout } };
        await this.setDown(null);
        this.settings = DEFAULT_SETTINGS;
        this.tokenRequests = [];
        for (const secret of [...this.tokens.keys()]) if (secret !== this.token) this.tokens.delete(secret);
        this.layOut(layout);
        return { status: 200, json: this.state() };
      });
  }

  private state(): unknown {
    const servers = Object.fromEntries(
      [...this.spawners.values()].map((s) => [s.name, { ready: s.ready, pending: s.pending, failure: s.failure }]),
    );
    return {
      settings: this.settings,
      namedServersEnabled: this.namedServersEnabled,
      servers,
      tokenRequests: this.tokenRequests,
    };
  }

  private checkSettings(body: unknown): string | undefined {
    if (!isObject(body)) return 'The body must be a JSON object.';
    const known = Object.keys(DEFAULT_SETTINGS);
    const unknown = Object.keys(body).filter((key) => !known.includes(key));
    if (unknown.length > 0) return `Unknown field(s): ${unknown.join(', ')}. Known fields: ${known.join(', ')}.`;
    if (body.down !== undefined && body.down !== null && body.down !== 'refuse' && body.down !== 'unavailable') {
      return '"down" is "refuse", "unavailable" or null.';
    }
    const routes = this.router.routeKeys();
    if (body.malformed !== undefined) {
      if (!Array.isArray(body.malformed) || !body.malformed.every((r) => typeof r === 'string' && routes.includes(r))) {
        return `"malformed" is a list of route keys: ${routes.map((r) => `"${r}"`).join(', ')}.`;
      }
    }
    if (body.spawnFailures !== undefined) {
      const failures = body.spawnFailures;
      if (!isObject(failures) || !Object.values(failures).every((r) => typeof r === 'string' && r !== '')) {
        return '"spawnFailures" maps server names to a non-empty reason.';
      }
    }
    if (body.spawnMs !== undefined && !(Number.isInteger(body.spawnMs) && (body.spawnMs as number) >= 0)) {
      return '"spawnMs" must be a whole number ≥ 0.';
    }
    return undefined;
  }

  /** Closes the port to refuse connections, or opens it again on the same port number. */
  private async setDown(down: Hub1Settings['down']): Promise<void> {
    const server = this.server;
    if (!server) return;
    if (down === 'refuse' && server.listening) await closeServer(server);
    if (down !== 'refuse' && !server.listening) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    }
  }

  private layOut(layout: Hub1Layout): void {
    this.spawners.clear();
    this.namedServersEnabled = layout.namedServersEnabled;
    const now = new Date();
    const spawner = (name: string, running: boolean): Spawner => ({
      name,
      ready: running,
      pending: null,
      started: running ? now : null,
      lastActivity: running ? now : null,
      userOptions: {},
      failure: null,
    });
    this.spawners.set('', spawner('', layout.defaultRunning));
    for (let i = 1; i <= layout.namedServers; i++) {
      const name = `server-${String(i).padStart(2, '0')}`;
      this.spawners.set(name, spawner(name, i <= layout.runningNamedServers));
    }
  }

  private addToken(note: string, expiresInSeconds: number | null): string {
    // jupyterhub/utils.py new_token: a uuid4's 32 hex digits.
    const secret = randomBytes(16).toString('hex');
    const created = new Date();
    const expiresAt = expiresInSeconds === null ? null : new Date(created.getTime() + expiresInSeconds * 1000);
    this.tokens.set(secret, { id: `a${this.nextTokenId++}`, note, created, expiresAt });
    return secret;
  }

  /** The token's user, or undefined for a missing, unknown or expired token (the hub then sees no user at all). */
  private userOf(request: SimRequest): string | undefined {
    const match = AUTH_HEADER.exec(String(request.headers.authorization ?? ''));
    const token = match ? this.tokens.get(match[1]) : undefined;
    if (!token || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) return undefined;
    return USER;
  }

  private addRoutes(): void {
    const r = this.router;
    // servicex-facts.md §8: `GET /hub/api/` tells the version and needs no token (apihandlers/hub.py RootAPIHandler).
    r.add('GET', `${API}/`, () => this.json(`GET ${API}/`, 200, { version: VERSION }));
    // servicex-facts.md §8: `GET /user` is the token owner's model; 1.5's SelfAPIHandler omits the servers.
    r.add('GET', `${API}/user`, (request) => {
      if (!this.userOf(request)) return hubError(403);
      return this.json(`GET ${API}/user`, 200, this.userModel(false));
    });
    // servicex-facts.md §8: `GET /users/{name}` lists the active servers, keyed by name ("" = default).
    r.add('GET', `${API}/users/{name}`, (request) =>
      this.asSelf(request, () => this.json(`GET ${API}/users/{name}`, 200, this.userModel(true))),
    );
    for (const [path, named] of [
      [`${API}/users/{name}/server`, false],
      [`${API}/users/{name}/servers/{server}`, true],
    ] as const) {
      r.add('POST', path, (request) => this.asSelf(request, () => this.start(request, named)));
      r.add('DELETE', path, (request) => this.asSelf(request, () => this.stop(request, named)));
      const progressRoute = `${path}/progress`;
      r.add('GET', progressRoute, (request) =>
        this.asSelf(request, () => this.progress(request, named, `GET ${progressRoute}`)),
      );
    }
    r.add('GET', `${API}/users/{name}/tokens`, (request) => this.asSelf(request, () => this.listTokens()));
    r.add('POST', `${API}/users/{name}/tokens`, (request) => this.createToken(request));
    r.add('DELETE', `${API}/users/{name}/tokens/{id}`, (request) =>
      this.asSelf(request, () => this.deleteToken(request)),
    );
  }

  /** users.py `admin_or_self`: no user or another user is 403, then an unknown user is 404. */
  private asSelf(request: SimRequest, handler: () => Reply | Promise<Reply>): Reply | Promise<Reply> {
    const user = this.userOf(request);
    if (!user || user !== request.params.name) return hubError(403);
    return handler();
  }

  /** A 2xx JSON answer, cut in the middle when its route is set to be malformed. */
  private json(route: string, status: number, body: unknown): Reply {
    if (!this.settings.malformed.includes(route)) return { status, json: body };
    const text = JSON.stringify(body);
    return { status, text: text.slice(0, Math.floor(text.length / 2)), contentType: 'application/json' };
  }

  /** apihandlers/base.py `user_model` for 1.5: `servers` only when asked for, and then only active servers. */
  private userModel(includeServers: boolean): Record<string, unknown> {
    const base = this.spawners.get('');
    const servers = includeServers
      ? Object.fromEntries(
          [...this.spawners.values()].filter((s) => s.ready || s.pending).map((s) => [s.name, serverModel(s)]),
        )
      : null;
    return {
      kind: 'user',
      name: USER,
      admin: false,
      groups: [],
      server: base?.ready ? `/user/${USER}/` : null,
      pending: base?.pending ?? null,
      created: isoformat(this.created),
      last_activity: isoformat(base?.lastActivity ?? null),
      servers,
    };
  }

  /** users.py `UserServerAPIHandler.post`. */
  private start(request: SimRequest, named: boolean): Reply {
    const name = named ? request.params.server : '';
    if (named && !this.namedServersEnabled) return hubError(400, 'Named servers are not enabled.');
    let spawner = this.spawners.get(name);
    if (!spawner) {
      // A start under a new name creates the named server, as 1.x has no separate create call.
      spawner = {
        name,
        ready: false,
        pending: null,
        started: null,
        lastActivity: null,
        userOptions: {},
        failure: null,
      };
      this.spawners.set(name, spawner);
    }
    if (spawner.pending === 'spawn') return { status: 202 };
    if (spawner.ready) return hubError(400, `${logName(name)} is already running`);
    const body = parseBody(request);
    if (body === INVALID) return hubError(400, 'Invalid JSON in body of request');
    this.spawn(spawner, body ?? {});
    return { status: 202 };
  }

  private spawn(spawner: Spawner, userOptions: unknown): void {
    spawner.pending = 'spawn';
    spawner.failure = null;
    spawner.userOptions = userOptions;
    spawner.spawned = new Promise((resolve) => {
      setTimeout(() => {
        const failure = this.settings.spawnFailures[spawner.name];
        spawner.pending = null;
        if (failure) {
          spawner.failure = failure;
        } else {
          spawner.ready = true;
          spawner.started = new Date();
          spawner.lastActivity = spawner.started;
        }
        resolve();
      }, this.settings.spawnMs).unref();
    });
  }

  /** users.py `UserServerAPIHandler.delete`: stops at once here, so 204; `{"remove": true}` deletes a named server. */
  private stop(request: SimRequest, named: boolean): Reply {
    const name = named ? request.params.server : '';
    const body = parseBody(request);
    if (body === INVALID) return hubError(400, 'Invalid JSON in body of request');
    const remove = isObject(body) && body.remove === true;
    if (named) {
      if (!this.namedServersEnabled) return hubError(400, 'Named servers are not enabled.');
      if (!this.spawners.has(name)) return hubError(404, `${USER} has no server named '${name}'`);
    } else if (remove) {
      return hubError(400, 'Cannot delete the default server');
    }
    const spawner = this.spawners.get(name) as Spawner;
    if (spawner.pending) return hubError(400, `${logName(name)} is pending ${spawner.pending}, please wait`);
    spawner.ready = false;
    spawner.started = null;
    if (remove) this.spawners.delete(name);
    return { status: 204, contentType: 'text/plain' };
  }

  /**
   * users.py `SpawnProgressAPIHandler` with the base Spawner's events (servicex-facts.md §8, progress): "Server
   * requested" at 0, "Spawning server..." at 50, then the ready or failed event. The simulator's router sends whole
   * bodies, so the stream goes out in one piece when the spawn ends; the events and their order are the hub's.
   */
  private async progress(request: SimRequest, named: boolean, route: string): Promise<Reply> {
    const name = named ? request.params.server : '';
    const spawner = this.spawners.get(name);
    if (!spawner) return hubError(404);
    const url = `/user/${USER}/${name === '' ? '' : `${name}/`}`;
    const ready = {
      progress: 100,
      ready: true,
      message: `Server ready at ${url}`,
      html_message: `Server ready at <a href="${url}">${url}</a>`,
      url,
    };
    const failed = (reason: string) => ({ progress: 100, failed: true, message: `Spawn failed: ${reason}` });
    if (spawner.ready) return this.events(route, [ready]);
    if (!spawner.pending) {
      if (spawner.failure) return this.events(route, [failed(spawner.failure)]);
      return hubError(400, `${logName(name)} is not starting...`);
    }
    await spawner.spawned;
    const steps = [
      { progress: 0, message: 'Server requested' },
      { progress: 50, message: 'Spawning server...' },
    ];
    return this.events(route, [...steps, spawner.ready ? ready : failed(spawner.failure ?? 'unknown reason')]);
  }

  /** An event stream body: `data: <json>` and a blank line per event; a malformed stream cuts its last event short. */
  private events(route: string, events: unknown[]): Reply {
    const lines = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
    if (this.settings.malformed.includes(route)) {
      const last = lines.pop() as string;
      lines.push(`${last.slice(0, Math.floor(last.length / 2))}\n\n`);
    }
    return { status: 200, text: lines.join(''), contentType: 'text/event-stream' };
  }

  /** users.py `UserTokenListAPIHandler.get`: `api_tokens` and `oauth_tokens`. */
  private listTokens(): Reply {
    const api_tokens = [...this.tokens.values()].filter((t) => !expired(t)).map(tokenModel);
    return this.json(`GET ${API}/users/{name}/tokens`, 200, { api_tokens, oauth_tokens: [] });
  }

  /** users.py `UserTokenListAPIHandler.post`: 1.x reads `note` and `expires_in` only, and answers 200. */
  private createToken(request: SimRequest): Reply {
    const body = parseBody(request);
    if (body === INVALID) return hubError(400, 'Invalid JSON in body of request');
    if (body !== undefined && !isObject(body)) return hubError(400, 'Body must be a JSON dict or empty');
    this.tokenRequests.push(body ?? {});
    const user = this.userOf(request);
    if (!user) return hubError(403);
    if (user !== request.params.name) return hubError(403, 'Only admins can request tokens for other users');
    const expiresIn = body?.expires_in ?? null;
    if (expiresIn !== null && typeof expiresIn !== 'number') return hubError(500);
    const note = typeof body?.note === 'string' && body.note ? body.note : 'Requested via api';
    const secret = this.addToken(note, expiresIn);
    const model = tokenModel(this.tokens.get(secret) as ApiToken);
    return this.json(`POST ${API}/users/{name}/tokens`, 200, { ...model, token: secret });
  }

  /** users.py `UserTokenAPIHandler.delete`: 204 with a text/plain content type and no body. */
  private deleteToken(request: SimRequest): Reply {
    const id = request.params.id;
    const entry = [...this.tokens.entries()].find(([, token]) => token.id === id);
    if (!entry) return hubError(404, `No such token ${id} for user ${USER}`);
    this.tokens.delete(entry[0]);
    return { status: 204, contentType: 'text/plain' };
  }
}
