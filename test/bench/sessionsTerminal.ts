import { TerminalManager, type Terminal } from '@jupyterlab/services';
import WebSocket from 'ws';
import { serverSettings } from '../../client/src/remote/jupyterConnection';
import { median, type Row } from './report';

const ROUND_TRIPS = 60;
const WARM_UP = 5;

/** Where a user's server is and the token that opens it. */
export interface TerminalTarget {
  readonly hubUrl: string;
  readonly user: string;
  readonly token: string;
}

/**
 * Terminal round-trip latency: the time from sending `echo <marker>` to seeing the marker come back, through our
 * stack (the `@jupyterlab/services` terminal connection with the settings the extension builds) and through a raw
 * websocket client speaking terminado's `["stdin", …]`/`["stdout", …]` messages to the same terminal. Median of
 * ROUND_TRIPS after WARM_UP.
 */
export async function terminalRoundTrips(target: TerminalTarget): Promise<Row[]> {
  const settings = serverSettings(target.hubUrl, `/user/${target.user}/`, target.token);
  const manager = new TerminalManager({ serverSettings: settings, standby: 'never' });
  const terminal = await manager.startNew();
  try {
    const ours = await measure((marker) => roundTripOurs(terminal, marker));
    const socketUrl = `${settings.wsUrl}terminals/websocket/${encodeURIComponent(terminal.name)}`;
    const raw = await rawSocket(socketUrl, target.token);
    try {
      const reference = await measure((marker) => roundTripRaw(raw, marker));
      return [{ what: 'terminal round trip (median), ours vs raw websocket', ours, reference, unit: 'ms' }];
    } finally {
      raw.close();
    }
  } finally {
    await manager.shutdown(terminal.name).catch(() => undefined);
    manager.dispose();
  }
}

async function measure(roundTrip: (marker: string) => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + ROUND_TRIPS; i++) {
    // The shell echoes the typed line too; the marker is built by the shell, so only the command's output matches.
    const marker = `rt${i}x`;
    const start = performance.now();
    await roundTrip(marker);
    if (i >= WARM_UP) times.push(performance.now() - start);
  }
  return median(times);
}

function roundTripOurs(terminal: Terminal.ITerminalConnection, marker: string): Promise<void> {
  return new Promise((resolve) => {
    let output = '';
    const expected = `${marker}${marker.length}`;
    const listener = (_: Terminal.ITerminalConnection, message: Terminal.IMessage) => {
      if (message.type === 'stdout') output += String(message.content?.[0] ?? '');
      if (!output.includes(expected)) return;
      terminal.messageReceived.disconnect(listener);
      resolve();
    };
    terminal.messageReceived.connect(listener);
    terminal.send({ type: 'stdin', content: [command(marker)] });
  });
}

/** `echo rt7x${#x}` style: the output holds marker + length, which the typed line does not. */
function command(marker: string): string {
  return `m=${marker}; echo $m\${#m}\r`;
}

function rawSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Authorization: `token ${token}` } });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function roundTripRaw(socket: WebSocket, marker: string): Promise<void> {
  return new Promise((resolve) => {
    let output = '';
    const expected = `${marker}${marker.length}`;
    const listener = (data: WebSocket.RawData) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as unknown[];
      if (message[0] === 'stdout') output += String(message[1]);
      if (!output.includes(expected)) return;
      socket.off('message', listener);
      resolve();
    };
    socket.on('message', listener);
    socket.send(JSON.stringify(['stdin', command(marker)]));
  });
}
