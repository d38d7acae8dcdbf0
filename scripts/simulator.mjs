// Starts the facility simulator for the scripts (test runner, demo) through the same helper the tests use.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Starts a simulator owned by the caller; resolves to { info, stop }. Needs `npm run build` first. */
export async function startSimulatorProcess(root, options = {}) {
  const require = createRequire(import.meta.url);
  const { startSimulator } = require(join(root, 'out', 'test', 'support', 'simulator.js'));
  const sim = await startSimulator({ ...options, own: true });
  // The ready line's fields only: the JSON round trip drops the helper's methods.
  const info = JSON.parse(JSON.stringify(sim));
  delete info.owned;
  return { info, stop: () => sim.stop() };
}
