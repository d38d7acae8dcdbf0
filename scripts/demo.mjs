// `npm run demo`: from a fresh clone, installs and builds, starts the facility simulator (with a real JupyterHub and
// Dask when Debian's packages are there or can be installed), and opens VS Code with the extension loaded and
// connected: desktop `code` when it is on PATH, otherwise code-server on a printed 127.0.0.1 URL. Ctrl-C stops it all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const say = (message) => console.log(`[demo] ${message}`);

function run(command, args) {
  const status = spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status;
  if (status !== 0) {
    console.error(`[demo] ${command} ${args.join(' ')} failed (exit ${status}).`);
    process.exit(1);
  }
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  say('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
say('building');
run('npm', ['run', '--silent', 'build']);

// Imported only now: provisioning and the simulator helper need the build's output.
const { ensureEditorStack, ensureFacilityServices } = await import('./provision.mjs');
const { startSimulatorProcess } = await import('./simulator.mjs');
const require = createRequire(import.meta.url);
const { writeSimulatorWorkspace } = require(join(root, 'out', 'test', 'support', 'workspace.js'));
const { simulatorEditorEnv } = require(join(root, 'out', 'sim', 'src', 'facilityProfile.js'));

for (const [name, status] of Object.entries(ensureFacilityServices())) {
  if (!status.ok) say(`${name}: ${status.reason}; the Sessions view will show it as unreachable.`);
}
say('starting the facility simulator');
const simulator = await startSimulatorProcess(root);
const demoDir = join(root, '.demo');
const workspace = join(demoDir, 'workspace');
mkdirSync(workspace, { recursive: true });
writeSimulatorWorkspace(workspace, { info: simulator.info }, { connectOnStartup: true });
const env = { ...process.env, ...simulatorEditorEnv(simulator.info) };

let editor;
const stopAll = async () => {
  say('stopping');
  if (editor) {
    try {
      process.kill(-editor.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await simulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());

if (onPath('code') && !process.env.COFFEA_CASA_DEMO_CODE_SERVER) {
  say('opening desktop VS Code with the extension in development mode');
  spawnSync('code', ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { env, stdio: 'inherit' });
} else {
  const stack = ensureEditorStack();
  if (!stack.ok) {
    console.error(`[demo] no desktop VS Code on PATH and code-server cannot be provisioned: ${stack.reason}`);
    await simulator.stop();
    process.exit(1);
  }
  run('npm', ['run', '--silent', 'package']);
  const { codeServerDataDir, installExtension, startCodeServer } = require(
    join(root, 'out', 'test', 'support', 'codeServer.js'),
  );
  const dataDir = join(demoDir, 'code-server');
  rmSync(dataDir, { recursive: true, force: true });
  codeServerDataDir(dataDir);
  installExtension(stack, dataDir, join(root, 'dist', 'coffea-casa.vsix'));
  const server = await startCodeServer(stack, { dataDir, workspace, env });
  editor = { pid: server.pid };
  say(`VS Code (code-server) is ready: ${server.url}/?folder=${encodeURIComponent(workspace)}`);
  say('the Coffea-Casa views are connected to the simulator; press Ctrl-C to stop everything');
}
say(`simulator control API: ${simulator.info.control} (faults, request counts; see sim/README.md)`);
// Keep running until Ctrl-C; the signal handlers stop what was started.
setInterval(() => undefined, 1 << 30);
