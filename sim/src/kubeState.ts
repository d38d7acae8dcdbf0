// The simulated cluster's objects and what streams from them: pods and services with one resource-version counter
// (Kubernetes API concepts, "Resource versions"), the change history a watch resumes from, container logs that
// grow while someone follows them, and where each pod port forwards to.
import { runningLine, startupLines, type LogLine } from './kubeLogs';
import { seedServices } from './kubeServices';
import { customPod, withPhase, type Pod, type PodPhase, type PodRequest } from './pods';

/** A Kubernetes object as JSON: the simulator reads only its metadata. */
export type KubeObject = Pod;

/** The resource kinds the simulated API server lists and watches. */
export type Resource = 'pods' | 'services';

/** A watch event's type (Kubernetes API concepts, "Efficient detection of changes"). */
export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object, with the object before (absent for ADDED) and after it. */
export interface Change {
  readonly resource: Resource;
  readonly type: EventType;
  readonly version: number;
  readonly before?: KubeObject;
  readonly after: KubeObject;
}

/** Something open that the control API can cut and shutdown must end. */
export interface Closable {
  destroy(): void;
}

/** Receives a followed container's new lines, and `end` when the container or pod goes away. */
export interface LogFollower {
  line(line: LogLine): void;
  end(): void;
}

const HISTORY_LENGTH = 1000;
const LOG_LINES_KEPT = 5000;
/** How often a followed, running container prints a line. */
export const LOG_INTERVAL_MS = 200;

/** The objects of the simulated cluster and their streams. */
export class KubeState {
  private version: number;
  private readonly objects: Record<Resource, Map<string, KubeObject>> = { pods: new Map(), services: new Map() };
  private history: Change[] = [];
  /** Changes up to this version are forgotten: a watch from an older version gets 410 Expired. */
  private compactedThrough: number;
  private readonly watchers = new Set<(change: Change) => void>();
  private readonly logs = new Map<string, LogLine[]>();
  private readonly printed = new Map<string, number>();
  private readonly followers = new Map<string, Set<LogFollower>>();
  private ticker?: NodeJS.Timeout;
  private readonly portTargets = new Map<string, number>();
  /** Open watch responses, follow-log responses and port-forward websockets. */
  readonly open = { watches: new Set<Closable>(), follows: new Set<Closable>(), forwards: new Set<Closable>() };
  /** TCP connections port-forwards currently hold to their targets. */
  forwardConnections = 0;

  constructor(
    readonly namespace: string,
    pods: Pod[],
    startedAt: Date,
  ) {
    for (const pod of pods) this.objects.pods.set(key(pod.metadata.namespace, pod.metadata.name), pod);
    const podVersion = Math.max(0, ...pods.map((pod) => Number(pod.metadata.resourceVersion)));
    for (const service of seedServices(namespace, startedAt, podVersion + 1)) {
      this.objects.services.set(key(namespace, service.metadata.name), service);
    }
    this.version = Math.max(podVersion, ...[...this.objects.services.values()].map(versionOf));
    this.compactedThrough = this.version;
  }

  /** The newest resource version: a list is consistent as of it. */
  currentVersion(): number {
    return this.version;
  }

  /** The objects of `resource` in `namespace`. */
  list(resource: Resource, namespace: string): KubeObject[] {
    return [...this.objects[resource].values()].filter((o) => o.metadata.namespace === namespace);
  }

  get(resource: Resource, namespace: string, name: string): KubeObject | undefined {
    return this.objects[resource].get(key(namespace, name));
  }

  /** The changes after `version`, or `expired` when some of them are no longer kept. */
  changesSince(version: number): Change[] | 'expired' {
    if (version < this.compactedThrough) return 'expired';
    return this.history.filter((change) => change.version > version);
  }

  /** Calls `watcher` with every change from now on; returns the unsubscribe function. */
  subscribe(watcher: (change: Change) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /** Adds a running pod to the user's namespace; a message when the name is taken. */
  addPod(request: PodRequest): Pod | string {
    if (this.get('pods', this.namespace, request.name)) return `pods "${request.name}" already exists`;
    const pod = customPod(this.namespace, request, String(this.version + 1), new Date());
    this.record('pods', 'ADDED', undefined, pod);
    return pod;
  }

  /** Changes a pod's phase and/or labels; undefined when there is no such pod. */
  updatePod(name: string, change: { phase?: PodPhase; labels?: Record<string, string> }): Pod | undefined {
    const before = this.get('pods', this.namespace, name);
    if (!before) return undefined;
    const version = String(this.version + 1);
    let after = change.phase ? withPhase(before, change.phase, version, new Date()) : before;
    after = {
      ...after,
      metadata: { ...after.metadata, resourceVersion: version, labels: change.labels ?? after.metadata.labels },
    };
    this.record('pods', 'MODIFIED', before, after);
    if (change.phase && change.phase !== 'Running') this.endFollowers(name);
    return after;
  }

  /** Deletes a pod; false when there is no such pod. Its log followers see the stream end. */
  deletePod(name: string): boolean {
    const before = this.get('pods', this.namespace, name);
    if (!before) return false;
    const after = { ...before, metadata: { ...before.metadata, resourceVersion: String(this.version + 1) } };
    this.record('pods', 'DELETED', before, after);
    this.endFollowers(name);
    this.logs.delete(key(this.namespace, name));
    return true;
  }

  /** Forgets the change history, as etcd compaction does; older watches must list again. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.version;
  }

  /** The container log of a pod so far (startup lines first). */
  logLines(namespace: string, name: string): LogLine[] {
    const podKey = key(namespace, name);
    let lines = this.logs.get(podKey);
    if (!lines) {
      const pod = this.objects.pods.get(podKey);
      const stamp = pod?.metadata.creationTimestamp;
      const created = typeof stamp === 'string' ? new Date(stamp) : new Date();
      lines = pod ? startupLines(pod, created) : [];
      this.logs.set(podKey, lines);
    }
    return lines;
  }

  /** Appends lines to a pod's log and sends them to its followers; false when there is no such pod. */
  appendLog(name: string, texts: string[]): boolean {
    if (!this.get('pods', this.namespace, name)) return false;
    const now = new Date();
    for (const text of texts) this.print(this.namespace, name, { time: now, text });
    return true;
  }

  /** Sends the pod's new lines to `follower` until it unsubscribes or the pod goes away. */
  follow(namespace: string, name: string, follower: LogFollower): () => void {
    const podKey = key(namespace, name);
    const set = this.followers.get(podKey) ?? new Set();
    set.add(follower);
    this.followers.set(podKey, set);
    this.ticker ??= setInterval(() => this.tick(), LOG_INTERVAL_MS).unref();
    return () => {
      set.delete(follower);
      if (set.size === 0) this.followers.delete(podKey);
      if (this.followers.size === 0) this.stopTicker();
    };
  }

  /** Makes port `port` of pod `name` forward to `localPort` on 127.0.0.1. */
  setPortTarget(name: string, port: number, localPort: number): void {
    this.portTargets.set(`${name}:${port}`, localPort);
  }

  /** Makes the Triton pods' HTTP (8000) and metrics (8002) ports forward to the simulated Triton's servers. */
  forwardTriton(httpUrl: string, metricsUrl: string): void {
    for (const pod of this.list('pods', this.namespace).filter((p) => p.metadata.labels.app === 'triton')) {
      this.setPortTarget(pod.metadata.name, 8000, Number(new URL(httpUrl).port));
      this.setPortTarget(pod.metadata.name, 8002, Number(new URL(metricsUrl).port));
    }
  }

  /** Where port `port` of pod `name` forwards to, if anything listens there. */
  portTarget(name: string, port: number): number | undefined {
    return this.portTargets.get(`${name}:${port}`);
  }

  /** Cuts every open watch and follow-log connection, as a restarting API server does; returns how many. */
  dropStreams(): number {
    const open = [...this.open.watches, ...this.open.follows];
    for (const stream of open) stream.destroy();
    return open.length;
  }

  /** Ends every stream and forward, for shutdown. */
  closeAll(): void {
    this.dropStreams();
    for (const forward of this.open.forwards) forward.destroy();
    this.stopTicker();
  }

  private record(resource: Resource, type: EventType, before: KubeObject | undefined, after: KubeObject): void {
    this.version += 1;
    const objectKey = key(after.metadata.namespace, after.metadata.name);
    if (type === 'DELETED') this.objects[resource].delete(objectKey);
    else this.objects[resource].set(objectKey, after);
    const change: Change = { resource, type, version: this.version, before, after };
    this.history.push(change);
    if (this.history.length > HISTORY_LENGTH) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LENGTH);
      this.compactedThrough = dropped[dropped.length - 1].version;
    }
    for (const watcher of [...this.watchers]) watcher(change);
  }

  private tick(): void {
    const now = new Date();
    for (const podKey of this.followers.keys()) {
      const pod = this.objects.pods.get(podKey);
      if ((pod?.status as { phase?: string } | undefined)?.phase !== 'Running') continue;
      const n = (this.printed.get(podKey) ?? 0) + 1;
      this.printed.set(podKey, n);
      this.print(pod!.metadata.namespace, pod!.metadata.name, runningLine(pod!, n, now));
    }
  }

  private print(namespace: string, name: string, line: LogLine): void {
    const lines = this.logLines(namespace, name);
    lines.push(line);
    if (lines.length > LOG_LINES_KEPT) lines.splice(0, lines.length - LOG_LINES_KEPT);
    for (const follower of [...(this.followers.get(key(namespace, name)) ?? [])]) follower.line(line);
  }

  private endFollowers(name: string): void {
    for (const follower of [...(this.followers.get(key(this.namespace, name)) ?? [])]) follower.end();
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function versionOf(object: KubeObject): number {
  return Number(object.metadata.resourceVersion);
}
