// Port-forward over a websocket, as the API server proxies it to the kubelet (Kubernetes API reference, Pod v1 core,
// "connect GET portforward"; the kubelet's websocket port-forward, protocol `v4.channel.k8s.io`):
// - the client offers subprotocols and the server picks the first it supports (here the binary channel protocols);
// - port i has two channels, data 2i and error 2i+1; every binary frame starts with its channel byte;
// - the server first writes the port number, two bytes little-endian, on both channels of each port;
// - data frames from the client on channel 2i go to the pod's port, bytes from the port come back on channel 2i;
// - a port that cannot be reached gets a message on its error channel, and the websocket closes when the
//   connections to the pod end.
// Each pod port reaches what `KubeState.setPortTarget` named, on 127.0.0.1; the Triton pod's 8000 and 8002 reach the
// simulated Triton's HTTP and metrics servers.
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { kubeStatus, notFound, writeRawReply } from './kubeApi';
import type { KubeState } from './kubeState';

/** The binary channel protocols the kubelet's port-forward accepts; "" is the unversioned one. */
const PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

const server = new WebSocketServer({
  noServer: true,
  // The first protocol the client offers that the server supports wins, as in the API server's handshake.
  handleProtocols: (offered) => [...offered].find((p) => PROTOCOLS.includes(p)) ?? false,
});

/** Checks a port-forward request and, when it is good, upgrades it and starts forwarding. */
export function upgradePortForward(
  state: KubeState,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  ns: string,
  name: string,
  query: URLSearchParams,
): void {
  const pod = state.get('pods', ns, name);
  if (!pod) return writeRawReply(socket, notFound('pods', name));
  const ports: number[] = [];
  for (const text of query.getAll('ports').flatMap((p) => p.split(','))) {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
      return writeRawReply(socket, kubeStatus(400, `invalid port "${text}": must be a number from 1 to 65535`));
    }
    ports.push(port);
  }
  if (ports.length === 0) return writeRawReply(socket, kubeStatus(400, 'query parameter "ports" is required'));
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase !== 'Running') {
    return writeRawReply(
      socket,
      kubeStatus(400, `unable to upgrade connection: pod ${name} is not running (phase ${phase ?? 'Unknown'})`),
    );
  }
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return writeRawReply(socket, kubeStatus(400, 'unable to upgrade connection: only websocket upgrades are served'));
  }
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (offered.some((p) => p !== '') && !offered.some((p) => PROTOCOLS.includes(p))) {
    const message = `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${PROTOCOLS.join(' ')}]`;
    return writeRawReply(socket, kubeStatus(400, message));
  }
  server.handleUpgrade(req, socket, head, (ws) => forward(state, ws, name, (pod.metadata.uid as string) ?? '', ports));
}

function forward(state: KubeState, ws: WebSocket, name: string, uid: string, ports: number[]): void {
  const entry = { destroy: () => ws.terminate() };
  state.open.forwards.add(entry);
  const connections: (Socket | undefined)[] = [];
  let open = ports.length;
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const finished = () => {
    open -= 1;
    if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };
  ports.forEach((port, i) => {
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port);
    send(2 * i, portBytes);
    send(2 * i + 1, portBytes);
    const target = state.portTarget(name, port);
    if (target === undefined) {
      send(2 * i + 1, Buffer.from(refused(name, uid, port)));
      finished();
      return;
    }
    const tcp = connect(target, '127.0.0.1');
    state.forwardConnections += 1;
    connections[i] = tcp;
    tcp.on('data', (chunk: Buffer) => send(2 * i, chunk));
    tcp.on('error', () => send(2 * i + 1, Buffer.from(refused(name, uid, port))));
    tcp.on('close', () => {
      state.forwardConnections -= 1;
      connections[i] = undefined;
      finished();
    });
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const frame = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    if (!isBinary || frame.length < 1) return;
    const channel = frame[0];
    // Only data channels carry bytes to the pod; what a client writes on an error channel is ignored.
    if (channel % 2 === 0) connections[channel / 2]?.write(frame.subarray(1));
  });
  ws.on('close', () => {
    state.open.forwards.delete(entry);
    for (const tcp of connections) tcp?.destroy();
  });
  ws.on('error', () => ws.terminate());
}

/** The kubelet's words when nothing listens on the pod's port. */
function refused(name: string, uid: string, port: number): string {
  return (
    `error forwarding port ${port} to pod ${name}, uid ${uid}: failed to connect to localhost:${port} ` +
    `inside the pod's network namespace: dial tcp4 127.0.0.1:${port}: connect: connection refused`
  );
}
