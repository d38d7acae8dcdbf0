import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { openKube, type KubeTarget } from './kubeConfig';
import { kubeFailure } from './kubeErrors';
import { abortable } from './kubernetes';
import { fail, ok, type Result } from './result';

/** Which log to read and how. */
export interface PodLogOptions {
  /** Defaults to the pod's first container. */
  readonly container?: string;
  /** Keep the stream open and pass lines as the container prints them (default true). */
  readonly follow?: boolean;
  /** Start with only the last n lines printed so far. */
  readonly tailLines?: number;
}

/** Why a log stream ended: the caller stopped it, the server ended it (pod gone, not following), or it broke. */
export type LogEnd = 'cancelled' | 'ended';

/**
 * Streams a pod's log line by line to `onLine` until `signal` aborts or the server ends it. Resolves with how it
 * ended, or a failure (missing pod, unknown container, refused token, dropped connection) as a clear message.
 */
export async function streamPodLogs(
  kube: KubeTarget,
  pod: string,
  onLine: (line: string) => void,
  signal: AbortSignal,
  options: PodLogOptions = {},
): Promise<Result<LogEnd>> {
  const session = await openKube(kube);
  if (!session.ok) return session;
  const { k8s, config, namespace } = session.value;
  let container = options.container;
  try {
    // The log call reports only a status code for a missing pod or container, so check both first.
    const found = await abortable(
      config.makeApiClient(k8s.CoreV1Api).readNamespacedPod({ name: pod, namespace }),
      signal,
    );
    const names = (found.spec?.containers ?? []).map((c) => c.name);
    container ??= names[0];
    if (!container || !names.includes(container)) {
      return fail(
        'notFound',
        `Pod "${pod}" has no container "${container ?? ''}"; it has ${names.join(', ') || 'none'}.`,
      );
    }
  } catch (error) {
    return kubeFailure(k8s, error, `read pod "${pod}" in "${namespace}"`, signal);
  }
  const what = `stream the log of pod "${pod}"`;
  const sink = new PassThrough();
  const decoder = new StringDecoder('utf8');
  let partial = '';
  sink.on('data', (chunk: Buffer) => {
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  const ended = new Promise<Result<LogEnd>>((resolve) => {
    let settled = false;
    const finish = (result: Result<LogEnd>) => {
      if (settled) return;
      settled = true;
      const rest = partial + decoder.end();
      partial = '';
      if (rest) onLine(rest);
      resolve(result);
    };
    sink.on('end', () => finish(ok('ended')));
    // The library pipes the response into the sink and ignores the response's errors, so a connection that breaks
    // would leave the sink open for ever: watch the response itself.
    const dropped = () =>
      setImmediate(() => {
        if (!sink.writableEnded && !signal.aborted) {
          finish(
            fail('unreachable', `The Kubernetes API stopped sending the log of pod "${pod}": the connection dropped.`),
          );
        }
      });
    sink.on('pipe', (source: NodeJS.ReadableStream) => {
      source.once('error', dropped);
      source.once('close', dropped);
    });
    signal.addEventListener('abort', () => finish(ok('cancelled')), { once: true });
  });
  let controller: AbortController;
  try {
    controller = await new k8s.Log(config).log(namespace, pod, container, sink, {
      follow: options.follow ?? true,
      tailLines: options.tailLines,
    });
  } catch (error) {
    return kubeFailure(k8s, error, what, signal);
  }
  if (signal.aborted) controller.abort();
  else signal.addEventListener('abort', () => controller.abort(), { once: true });
  return ended;
}
