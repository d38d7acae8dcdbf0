// Starts the facility simulator for the scripts (test runner, demo) through the same helper the tests use.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Starts a simulator owned by the caller; resolves to { info, stop }. Needs `npm run build` first. */
export async function startSimulatorProcess(root, options = {}) {
  const require = createRequire(import.meta.url);
  const { startSimulator } = require(join(root, 'out', 'test', 'support', 'simulator.js'));
  const sim = await startSimulator({ ...options, own: true });
  const { owned: _owned, stop, fault: _f, clearFaults: _c, requestCounts: _r, processes: _p, ...info } = sim;
  return { info, stop };
}
