import { setTimeout as sleep } from 'node:timers/promises';
import { openKube, type KubeSession, type KubeTarget } from './kubeConfig';
import { kubeFailure, kubeStatusFailure } from './kubeErrors';
import { abortable } from './kubernetes';
import { ok, type Result } from './result';

/** What a watch reports: the whole list (at start and after every relist), then single changes. */
/** What a watch needs of an object: its resource version. */
export interface KubernetesObject {
  readonly metadata?: { readonly resourceVersion?: string; readonly name?: string };
}

export type WatchUpdate<T> =
  | { readonly type: 'SYNC'; readonly objects: T[] }
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: T };

/** The watch's connection: streaming, or waiting `delayMs` before attempt `attempt` after `reason`. */
export type WatchState =
  | { readonly state: 'watching' }
  | { readonly state: 'retrying'; readonly attempt: number; readonly delayMs: number; readonly reason: string };

export interface WatchOptions<T> {
  readonly resource: 'pods' | 'services';
  readonly labelSelector?: string;
  readonly onUpdate: (update: WatchUpdate<T>) => void;
  readonly onState?: (state: WatchState) => void;
  readonly backoff?: BackoffPolicy;
}

export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * The wait before reconnect attempt `attempt` (1, 2, …): doubling from `initialMs` up to `maxMs`, with ±20 % jitter
 * so that many windows reconnecting after an API server restart do not arrive together.
 */
export function watchBackoff(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(policy.maxMs, base * (0.8 + 0.4 * random())));
}

/** A running watch; `done` settles once it has stopped. */
export interface WatchHandle {
  readonly namespace: string;
  dispose(): Promise<void>;
}

type Ended =
  { readonly kind: 'ended'; readonly reason: string; readonly sawEvents: boolean } | { readonly kind: 'expired' };

/**
 * Lists `resource` in the target namespace, reports it, then watches it from that list's resource version. A
 * dropped or ended watch reconnects from the last version seen after a bounded backoff; a version the server no
 * longer keeps (410) makes it list again. The first list's failure is the result; later ones are retried.
 */
export async function openKubeWatch<T extends KubernetesObject>(
  target: KubeTarget,
  options: WatchOptions<T>,
  signal: AbortSignal,
): Promise<Result<WatchHandle>> {
  const opened = await openKube(target);
  if (!opened.ok) return opened;
  const session = opened.value;
  const stop = new AbortController();
  const stopped = AbortSignal.any([signal, stop.signal]);
  const first = await list<T>(session, options, stopped);
  if (!first.ok) return first;
  const loop = run(session, options, first.value, stopped);
  return ok({
    namespace: session.namespace,
    dispose: async () => {
      stop.abort();
      await loop;
    },
  });
}

async function run<T extends KubernetesObject>(
  session: KubeSession,
  options: WatchOptions<T>,
  startVersion: string,
  signal: AbortSignal,
): Promise<void> {
  let version = startVersion;
  let attempt = 0;
  while (!signal.aborted) {
    const ended = await watchOnce(session, options, version, signal, (v) => (version = v));
    if (signal.aborted) return;
    let reason: string;
    if (ended.kind === 'expired') {
      const relisted = await list<T>(session, options, signal);
      if (relisted.ok) {
        version = relisted.value;
        attempt = 0;
        continue;
      }
      reason = relisted.error.message;
    } else {
      reason = ended.reason;
      if (ended.sawEvents) attempt = 0;
    }
    attempt += 1;
    const delayMs = watchBackoff(attempt, options.backoff);
    options.onState?.({ state: 'retrying', attempt, delayMs, reason });
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      return;
    }
  }
}

async function list<T extends KubernetesObject>(
  session: KubeSession,
  options: WatchOptions<T>,
  signal: AbortSignal,
): Promise<Result<string>> {
  const { k8s, config, namespace } = session;
  const api = config.makeApiClient(k8s.CoreV1Api);
  const request = { namespace, labelSelector: options.labelSelector };
  try {
    const listed =
      options.resource === 'pods'
        ? await abortable(api.listNamespacedPod(request), signal)
        : await abortable(api.listNamespacedService(request), signal);
    options.onUpdate({ type: 'SYNC', objects: listed.items as unknown as T[] });
    return ok(listed.metadata?.resourceVersion ?? '');
  } catch (error) {
    return kubeFailure(k8s, error, `list ${options.resource} in "${namespace}"`, signal);
  }
}

/** One watch connection, from `version` until it ends; `seen` records each event's resource version. */
async function watchOnce<T extends KubernetesObject>(
  session: KubeSession,
  options: WatchOptions<T>,
  version: string,
  signal: AbortSignal,
  seen: (version: string) => void,
): Promise<Ended> {
  const { k8s, config, namespace } = session;
  const what = `watch ${options.resource} in "${namespace}"`;
  let sawEvents = false;
  let expired = false;
  let errorEvent: string | undefined;
  let controller: AbortController | undefined;
  let finished = false;
  const ended = new Promise<Ended>((resolve) => {
    const onAbort = () => {
      controller?.abort();
      resolve({ kind: 'ended', reason: 'stopped', sawEvents });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/${options.resource}`;
    const query = { resourceVersion: version, labelSelector: options.labelSelector, allowWatchBookmarks: false };
    new k8s.Watch(config)
      .watch(
        path,
        query,
        (type: string, object: T & { code?: number; message?: string }) => {
          if (type === 'ERROR') {
            // An ERROR event carries a Status; 410 means the version is gone and the list must be read again.
            if (object.code === 410) expired = true;
            else errorEvent = failureText(kubeStatusFailure(object.code ?? 500, what, object.message));
            controller?.abort();
            return;
          }
          const resourceVersion = object.metadata?.resourceVersion;
          if (resourceVersion) seen(resourceVersion);
          if (type === 'BOOKMARK') return;
          sawEvents = true;
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') options.onUpdate({ type, object });
        },
        (error: unknown) => {
          finished = true;
          signal.removeEventListener('abort', onAbort);
          if (expired) return resolve({ kind: 'expired' });
          const reason =
            errorEvent ??
            (error
              ? failureText(kubeFailure(k8s, error, what))
              : `The Kubernetes API ended the watch of ${options.resource}.`);
          resolve({ kind: 'ended', reason, sawEvents });
        },
      )
      .then((c) => {
        controller = c;
        if (signal.aborted) c.abort();
        else if (!finished) options.onState?.({ state: 'watching' });
      })
      .catch((error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ kind: 'ended', reason: failureText(kubeFailure(k8s, error, what)), sawEvents });
      });
  });
  return ended;
}

function failureText(result: Result<unknown>): string {
  return result.ok ? '' : result.error.message;
}
