// The streaming half of the simulated Kubernetes API server: watches and followed logs are long chunked responses,
// and port-forward is a websocket upgrade (kubePortForward.ts). The shared Router answers whole replies only, so the
// KubeRouter takes these requests before the Router sees them and applies the same token check, faults and counts.
import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultStore } from './faults';
import { Router, type Reply } from './http';
import { authorize, isTrue, kubeStatus, parseLabelSelector, writeRawReply, type LabelTest } from './kubeApi';
import { formatLine, readLogQuery, selectLines } from './kubeLogs';
import { upgradePortForward } from './kubePortForward';
import type { Change, KubeObject, KubeState, Resource } from './kubeState';
import { log, messageOf } from './log';

/** Route keys of the streaming requests, as faults name them. */
export const STREAM_ROUTES = {
  watchPods: 'GET /api/v1/namespaces/{ns}/pods?watch=true',
  watchServices: 'GET /api/v1/namespaces/{ns}/services?watch=true',
  followLog: 'GET /api/v1/namespaces/{ns}/pods/{name}/log?follow=true',
  portForward: 'GET /api/v1/namespaces/{ns}/pods/{name}/portforward',
} as const;

type StreamRoute = (typeof STREAM_ROUTES)[keyof typeof STREAM_ROUTES];

const WATCH_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)$/;
const LOG_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;
const FORWARD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;

/** The Kubernetes API's Router, plus watches, followed logs and port-forward. */
export class KubeRouter extends Router {
  private readonly streamCounts = new Map<string, number>();

  constructor(
    private readonly token: string,
    private readonly state: KubeState,
    private readonly faults: FaultStore,
  ) {
    super({ service: 'kubernetes', faults, errorReply: kubeStatus, authorize: (request) => authorize(request, token) });
  }

  override routeKeys(): string[] {
    return [...super.routeKeys(), ...Object.values(STREAM_ROUTES)];
  }

  override requestCounts(): Record<string, number> {
    return { ...super.requestCounts(), ...Object.fromEntries(this.streamCounts) };
  }

  override resetCounts(): void {
    super.resetCounts();
    this.streamCounts.clear();
  }

  override async listen(): Promise<{ server: Server; url: string }> {
    const listening = await super.listen();
    const { server } = listening;
    const [routed] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.stream(req, res)) routed.call(server, req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    // Upgraded sockets and long responses would hold the server open; shutdown ends them first.
    const closeAll = server.closeAllConnections.bind(server);
    server.closeAllConnections = () => {
      this.state.closeAll();
      closeAll();
    };
    return listening;
  }

  /** Takes a watch or a followed log; false leaves the request to the Router. */
  private stream(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET') return false;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const watch = WATCH_PATH.exec(url.pathname);
    const followed = LOG_PATH.exec(url.pathname);
    let run: (() => void) | undefined;
    let route: StreamRoute | undefined;
    if (watch && isTrue(url.searchParams.get('watch'))) {
      const resource = watch[2] as Resource;
      route = resource === 'pods' ? STREAM_ROUTES.watchPods : STREAM_ROUTES.watchServices;
      run = () => this.watch(res, resource, decodeURIComponent(watch[1]), url.searchParams);
    } else if (followed && isTrue(url.searchParams.get('follow'))) {
      route = STREAM_ROUTES.followLog;
      run = () => this.followLog(res, decodeURIComponent(followed[1]), decodeURIComponent(followed[2]), url);
    }
    if (!route || !run) return false;
    const start = run;
    req.resume();
    this.guarded(route, req, res.socket, (reply) => writeReply(res, reply))
      .then((proceed) => {
        if (!proceed) return;
        start();
        // A truncated stream is cut right after what it sent at once, without the closing chunk: a dropped watch.
        if (proceed === 'truncate') res.socket?.end();
      })
      .catch((error: unknown) => {
        log(`${url.pathname} failed: ${messageOf(error)}`);
        res.destroy();
      });
    return true;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const forward = FORWARD_PATH.exec(url.pathname);
    const refuse = (reply: Reply) => writeRawReply(socket, reply);
    if (!forward || req.method !== 'GET') {
      const refused = authorize(req, this.token);
      refuse(refused ?? kubeStatus(404));
      return;
    }
    const [ns, name] = [decodeURIComponent(forward[1]), decodeURIComponent(forward[2])];
    this.guarded(STREAM_ROUTES.portForward, req, socket, refuse)
      // A truncated forward is cut before the upgrade, like a dropped one.
      .then((proceed) => {
        if (proceed === 'truncate') socket.destroy();
        else if (proceed) upgradePortForward(this.state, req, socket, head, ns, name, url.searchParams);
      })
      .catch((error: unknown) => {
        log(`${url.pathname} failed: ${messageOf(error)}`);
        socket.destroy();
      });
  }

  /**
   * Counts the request and applies its fault and the token check: false when the request has been answered,
   * `truncate` when the stream is to be cut after what it sends at once.
   */
  private async guarded(
    route: StreamRoute,
    req: IncomingMessage,
    socket: Duplex | null,
    answer: (reply: Reply) => void,
  ): Promise<false | 'go' | 'truncate'> {
    this.streamCounts.set(route, (this.streamCounts.get(route) ?? 0) + 1);
    const fault = this.faults.take('kubernetes', route);
    if (fault?.latencyMs) await delay(fault.latencyMs);
    if (fault?.drop) {
      socket?.destroy();
      return false;
    }
    if (fault?.status !== undefined) {
      answer(fault.body === undefined ? kubeStatus(fault.status) : { status: fault.status, json: fault.body });
      return false;
    }
    const refused = authorize(req, this.token);
    if (refused) {
      answer(refused);
      return false;
    }
    return fault?.truncate ? 'truncate' : 'go';
  }

  /**
   * Kubernetes API concepts, "Efficient detection of changes": a 200 whose chunked body is one JSON watch event
   * per line. Without `resourceVersion` (or with "0") it starts with an ADDED event per existing object; with one,
   * it replays the changes after it, or sends a 410 Expired ERROR event when they are no longer kept.
   */
  private watch(res: ServerResponse, resource: Resource, ns: string, query: URLSearchParams): void {
    const selector = parseLabelSelector(query.get('labelSelector') ?? '');
    if (typeof selector === 'string')
      return writeReply(res, kubeStatus(400, `unable to parse requirement: ${selector}`));
    const versionText = query.get('resourceVersion') ?? '';
    if (versionText !== '' && !/^\d+$/.test(versionText)) {
      return writeReply(res, kubeStatus(400, `invalid resource version: ${versionText}`));
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    // The API server sends the headers at once, so a client knows the watch is open before any event.
    res.flushHeaders();
    const send = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);
    const sendChange = (change: Change) => {
      if (change.resource !== resource || change.after.metadata.namespace !== ns) return;
      const type = eventType(change, selector);
      if (type) send(type, change.after);
    };
    if (versionText === '' || versionText === '0') {
      for (const object of this.state.list(resource, ns)) if (selector(labelsOf(object))) send('ADDED', object);
    } else {
      const changes = this.state.changesSince(Number(versionText));
      if (changes === 'expired') {
        const status = kubeStatus(410, `too old resource version: ${versionText} (${this.state.currentVersion()})`);
        send('ERROR', status.json);
        res.end();
        return;
      }
      for (const change of changes) sendChange(change);
    }
    const unsubscribe = this.state.subscribe(sendChange);
    const entry = { destroy: () => res.destroy() };
    this.state.open.watches.add(entry);
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      unsubscribe();
      clearTimeout(timer);
      this.state.open.watches.delete(entry);
    });
  }

  /** Kubernetes API reference, Pod v1 core, "read log" with `follow=true`: the log so far, then lines as printed. */
  private followLog(res: ServerResponse, ns: string, name: string, url: URL): void {
    const query = readLogQuery(this.state.get('pods', ns, name), name, url.searchParams);
    if ('status' in query) return writeReply(res, query);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let budget = query.limitBytes ?? Infinity;
    const write = (text: string) => {
      const bytes = Buffer.from(text);
      res.write(bytes.subarray(0, Math.min(bytes.length, budget)));
      budget -= bytes.length;
      if (budget <= 0) res.end();
    };
    for (const line of selectLines(this.state.logLines(ns, name), query, new Date())) {
      if (!res.writableEnded) write(formatLine(line, query.timestamps));
    }
    if (res.writableEnded) return;
    const unfollow = this.state.follow(ns, name, {
      line: (line) => write(formatLine(line, query.timestamps)),
      end: () => res.end(),
    });
    const entry = { destroy: () => res.destroy() };
    this.state.open.follows.add(entry);
    res.on('close', () => {
      unfollow();
      this.state.open.follows.delete(entry);
    });
  }
}

/** The watch event a change makes for a selector: objects moving in or out of the selection are ADDED or DELETED. */
function eventType(change: Change, selector: LabelTest): string | undefined {
  const now = selector(labelsOf(change.after));
  if (change.type !== 'MODIFIED') return now ? change.type : undefined;
  const before = change.before !== undefined && selector(labelsOf(change.before));
  if (before && now) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

function labelsOf(object: KubeObject): Record<string, string> {
  return object.metadata.labels ?? {};
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.json ?? {});
  res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
