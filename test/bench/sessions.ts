import { startSimulator } from '../support/simulator';
import { printTable, type Row } from './report';
import { idleRequestRates } from './sessionsIdle';
import { terminalRoundTrips } from './sessionsTerminal';

/**
 * `npm run bench -- sessions`: what the Sessions view costs a facility while idle (visible against hidden), and the
 * terminal's round-trip latency against a raw websocket client on the same real Jupyter server.
 */
export async function benchSessions(): Promise<void> {
  const rows: Row[] = await idleRequestRates();
  const sim = await startSimulator({ own: true, dask: false });
  try {
    const hub = sim.hub;
    if ('userToken' in hub) {
      rows.push(...(await terminalRoundTrips({ hubUrl: hub.url, user: hub.user, token: hub.userToken })));
    } else {
      console.log(`  terminal round trip SKIPPED: ${hub.unavailable}`);
    }
  } finally {
    await sim.stop();
  }
  printTable('Sessions view', rows);
}
