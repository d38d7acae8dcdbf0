import { createServer, STATUS_CODES, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceName } from './info';
import type { FaultStore } from './faults';
import { log, messageOf } from './log';

/** A request as handlers see it: the body is read in full before the handler runs. */
export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A response: `json` is serialised as application/json, `text` is sent as is, neither means an empty body. */
export interface Reply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly contentType?: string;
}

/** Handles one matched route. */
export type Handler = (request: SimRequest) => Reply | Promise<Reply>;

/** How one service words its errors and guards its routes. */
export interface RouterOptions {
  /** Set for the facility services, whose routes take faults and whose requests are counted. */
  readonly service?: ServiceName;
  readonly faults?: FaultStore;
  /** The body of an error in the service's own shape; `message` defaults to the service's text for `status`. */
  readonly errorReply: (status: number, message?: string) => Reply;
  /** Runs before every handler and before "not found", as an API server authenticates before routing. */
  readonly authorize?: (request: SimRequest) => Reply | undefined;
}

interface Route {
  readonly key: string;
  readonly method: string;
  readonly segments: string[];
  readonly handler: Handler;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Routes requests by method and path pattern (`{name}` matches one segment) and applies injected faults. */
export class Router {
  private readonly routes: Route[] = [];
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: RouterOptions) {}

  /** Registers `handler` for `method` and `pattern`; the route key is `"<method> <pattern>"`. */
  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ key: `${method} ${pattern}`, method, segments: pattern.split('/'), handler });
    return this;
  }

  /** The route keys faults can name, in registration order. */
  routeKeys(): string[] {
    return this.routes.map((route) => route.key);
  }

  /** Requests seen per route key since start or the last reset. */
  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Forgets the request counts. */
  resetCounts(): void {
    this.counts.clear();
  }

  /** Starts a server for this router on a free loopback port and returns it with its base URL. */
  async listen(): Promise<{ server: Server; url: string }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const request = {
          method: req.method ?? 'GET',
          url,
          params: {},
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        if (size > MAX_BODY_BYTES) return send(res, this.options.errorReply(413));
        this.handle(request, res).catch((error: unknown) => {
          log(`${request.method} ${url.pathname} failed: ${messageOf(error)}`);
          if (!res.headersSent) send(res, this.options.errorReply(500));
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  private async handle(request: SimRequest, res: ServerResponse): Promise<void> {
    const { route, params, pathKnown } = this.match(request.method, request.url.pathname);
    const fault =
      route && this.options.service ? this.options.faults?.take(this.options.service, route.key) : undefined;
    if (route && this.options.service) this.counts.set(route.key, (this.counts.get(route.key) ?? 0) + 1);
    if (fault?.latencyMs) await delay(fault.latencyMs);
    if (fault?.drop) {
      res.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      const reply = this.options.errorReply(fault.status);
      return send(res, fault.body === undefined ? reply : { status: fault.status, json: fault.body });
    }
    const withParams = { ...request, params };
    const refused = this.options.authorize?.(withParams);
    if (refused) return send(res, refused, fault?.truncate);
    if (!route) return send(res, this.options.errorReply(pathKnown ? 405 : 404));
    send(res, await route.handler(withParams), fault?.truncate);
  }

  private match(
    method: string,
    pathname: string,
  ): { route?: Route; params: Record<string, string>; pathKnown: boolean } {
    const segments = pathname.split('/');
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { route, params, pathKnown: true };
      pathKnown = true;
    }
    return { params: {}, pathKnown };
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    if (part.startsWith('{') && part.endsWith('}') && actual[i] !== '') {
      params[part.slice(1, -1)] = decodeURIComponent(actual[i]);
    } else if (part !== actual[i]) {
      return undefined;
    }
  }
  return params;
}

/** Sends `reply`; with `truncate`, announces the full length but sends half the body and then cuts the connection. */
function send(res: ServerResponse, reply: Reply, truncate?: boolean): void {
  const body = Buffer.from(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ''), 'utf8');
  const headers: Record<string, string | number> = { 'Content-Length': body.length };
  const contentType = reply.contentType ?? (reply.json !== undefined ? 'application/json' : undefined);
  if (contentType) headers['Content-Type'] = contentType;
  res.writeHead(reply.status, STATUS_CODES[reply.status] ?? 'Unknown', headers);
  if (!truncate) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}

/** Stops accepting connections and ends the open ones, so no keep-alive socket holds the process. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
