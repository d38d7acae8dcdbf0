import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { openKube, type KubeTarget } from './kubeConfig';
import { kubeFailure, messageOf } from './kubeErrors';
import type { PodPort } from './kubeDiscovery';
import { abortable } from './kubernetes';
import { fail, ok, type Result } from './result';
import { redact } from './urls';

/** A local port that forwards to a pod port through the Kubernetes API, until disposed. */
export interface PortForwardHandle {
  readonly target: PodPort;
  readonly namespace: string;
  readonly localPort: number;
  /** `http://127.0.0.1:<localPort>`, to use in place of the in-cluster URL. */
  readonly localUrl: string;
  /** Closes the listening socket, every forwarded connection and its websocket. */
  dispose(): Promise<void>;
}

/** Reports what went wrong on one forwarded connection (the forward itself stays open). */
export type ForwardProblem = (message: string) => void;

/**
 * Opens 127.0.0.1:<free port> and forwards each connection to `target` through the client library's `PortForward`
 * (one websocket per connection, as kubectl does). The pod is read first so that a missing or stopped pod is a clear
 * failure here rather than a refused connection later.
 */
export async function openPortForward(
  kube: KubeTarget,
  target: PodPort,
  signal: AbortSignal,
  onProblem: ForwardProblem = () => undefined,
): Promise<Result<PortForwardHandle>> {
  const session = await openKube(kube);
  if (!session.ok) return session;
  const { k8s, config, namespace } = session.value;
  try {
    const pod = await abortable(
      config.makeApiClient(k8s.CoreV1Api).readNamespacedPod({ name: target.pod, namespace }),
      signal,
    );
    if (pod.status?.phase !== 'Running') {
      return fail(
        'http',
        `Cannot forward to pod "${target.pod}": it is ${pod.status?.phase ?? 'in an unknown phase'}, not Running.`,
      );
    }
  } catch (error) {
    return kubeFailure(k8s, error, `read pod "${target.pod}" in "${namespace}"`, signal);
  }
  const portForward = new k8s.PortForward(config);
  const sockets = new Set<Socket>();
  const websockets = new Set<WebSocket>();
  const what = `forward to port ${target.port} of pod "${target.pod}"`;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A browser or client that hangs up mid-answer is normal; the socket just goes.
    socket.on('error', () => socket.destroy());
    const errors = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString('utf8').trim();
        if (text) {
          onProblem(`Kubernetes could not ${what}: ${redact(text)}`);
          socket.destroy();
        }
        done();
      },
    });
    portForward.portForward(namespace, target.pod, [target.port], socket, errors, socket).then(
      (opened) => {
        const ws = typeof opened === 'function' ? opened() : opened;
        if (!ws) return socket.destroy();
        if (socket.destroyed) return ws.terminate();
        websockets.add(ws);
        ws.on('close', () => {
          websockets.delete(ws);
          socket.end();
        });
        socket.on('close', () => ws.close());
      },
      (error: unknown) => {
        const failure = kubeFailure(k8s, error, what);
        if (!failure.ok) onProblem(failure.error.message);
        socket.destroy();
      },
    );
  });
  const listening = await listen(server);
  if (!listening.ok) return listening;
  const localPort = listening.value;
  let disposed: Promise<void> | undefined;
  const dispose = () =>
    (disposed ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const wsClosed = [...websockets].map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
      for (const ws of websockets) ws.terminate();
      for (const socket of sockets) socket.destroy();
      await Promise.all([closed, ...wsClosed]);
    })());
  signal.addEventListener('abort', () => void dispose(), { once: true });
  return ok({ target, namespace, localPort, localUrl: `http://127.0.0.1:${localPort}`, dispose });
}

function listen(server: Server): Promise<Result<number>> {
  return new Promise((resolve) => {
    server.once('error', (error) =>
      resolve(fail('unreachable', `No local port could be opened for the forward: ${messageOf(error)}.`)),
    );
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The forwards of one facility session, reused per pod port and all closed when the session ends. */
export class PortForwards {
  private readonly open = new Map<string, Promise<Result<PortForwardHandle>>>();
  private readonly lifetime = new AbortController();

  constructor(
    private readonly kube: KubeTarget,
    private readonly onProblem: ForwardProblem = () => undefined,
  ) {}

  /** The forward to `target`, opening it on first use; a failed attempt is not kept. */
  forward(target: PodPort): Promise<Result<PortForwardHandle>> {
    const key = `${target.pod}:${target.port}`;
    let forward = this.open.get(key);
    if (!forward) {
      forward = openPortForward(this.kube, target, this.lifetime.signal, this.onProblem);
      this.open.set(key, forward);
      void forward.then((result) => {
        if (!result.ok) this.open.delete(key);
      });
    }
    return forward;
  }

  /** Closes one forward, for example when its pod has gone. */
  async close(target: PodPort): Promise<void> {
    const key = `${target.pod}:${target.port}`;
    const forward = await this.open.get(key);
    this.open.delete(key);
    if (forward?.ok) await forward.value.dispose();
  }

  /** Closes every forward; call when the facility disconnects. */
  async dispose(): Promise<void> {
    this.lifetime.abort();
    const forwards = await Promise.all([...this.open.values()]);
    this.open.clear();
    await Promise.all(forwards.flatMap((forward) => (forward.ok ? [forward.value.dispose()] : [])));
  }
}
