import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the provisioned code-server lives (see scripts/provision.mjs). */
export interface CodeServerInstall {
  /** Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's `out/node/entry.js`. */
  readonly entry: string;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** The user settings that keep a test workbench quiet and screenshots stable (feasibility.md Q1b). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.reduceMotion': 'on',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The DOM renderer puts a terminal's text in the page, where an end-to-end test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
};

/** The code-server install named by the test runner's environment, if any. */
export function installFromEnv(env: NodeJS.ProcessEnv = process.env): CodeServerInstall | undefined {
  return env.COFFEA_CASA_NODE24 && env.COFFEA_CASA_CODE_SERVER
    ? { node: env.COFFEA_CASA_NODE24, entry: env.COFFEA_CASA_CODE_SERVER }
    : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A folder (fresh by default) for one code-server's config, user data and extensions. */
export function codeServerDataDir(dir: string = mkdtempSync(join(tmpdir(), 'coffea-casa-cs-'))): string {
  mkdirSync(join(dir, 'user', 'User'), { recursive: true });
  writeFileSync(join(dir, 'user', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  mkdirSync(join(dir, 'extensions'), { recursive: true });
  return dir;
}

function baseArgs(install: CodeServerInstall, dataDir: string): string[] {
  return [
    install.entry,
    '--config',
    join(dataDir, 'config.yaml'),
    '--user-data-dir',
    join(dataDir, 'user'),
    '--extensions-dir',
    join(dataDir, 'extensions'),
  ];
}

/** Installs a .vsix into the data folder's extensions, as a user would with `code-server --install-extension`. */
export function installExtension(install: CodeServerInstall, dataDir: string, vsix: string): string {
  writeFileSync(join(dataDir, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const result = spawnSync(install.node, [...baseArgs(install, dataDir), '--install-extension', vsix], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`code-server --install-extension failed: ${result.stderr || result.stdout}`);
  const list = spawnSync(install.node, [...baseArgs(install, dataDir), '--list-extensions', '--show-versions'], {
    encoding: 'utf8',
  });
  return list.stdout;
}

/**
 * Starts code-server on a free loopback port in its own process group, so that `stop()` also ends the extension host
 * and file watchers it forks. Resolves once `/healthz` answers.
 */
export async function startCodeServer(
  install: CodeServerInstall,
  options: { dataDir: string; workspace: string; env?: NodeJS.ProcessEnv; extraArgs?: string[] },
): Promise<RunningCodeServer> {
  const port = await freePort();
  writeFileSync(join(options.dataDir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const log = openSync(join(options.dataDir, 'code-server.log'), 'a');
  const child = spawn(
    install.node,
    [
      ...baseArgs(install, options.dataDir),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(options.extraArgs ?? []),
      options.workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...options.env } },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const deadline = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 10_000);
    await exited;
    clearTimeout(deadline);
  };
  let early = false;
  void exited.then(() => (early = true));
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    if (early) throw new Error(`code-server exited during start-up; see ${join(options.dataDir, 'code-server.log')}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return { url, pid, dataDir: options.dataDir, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error('code-server did not answer /healthz within 60 s');
}
