import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HubInfo, Unavailable } from './info';
import { messageOf } from './log';
import { freePorts } from './ports';
import { exitSignal, type ProcessTable } from './processes';
import { fetchOk, httpError, waitFor } from './wait';

// A real JupyterHub 3.0 from Debian, configured as in feasibility.md Q2: dummy authentication, local processes
// for single-user servers, named servers, and an admin service whose token drives the REST API (servicex-facts.md §8).

const JUPYTERHUB = '/usr/bin/jupyterhub';
const SINGLEUSER = '/usr/bin/jupyterhub-singleuser';
const USER = 'alice';
/** The stand-in for dask-labextension and jupyter-server-proxy that every single-user server loads. */
const SERVER_EXTENSIONS = resolve(__dirname, '..', '..', '..', 'sim', 'python');
const API_DEADLINE_MS = 30_000;
const SPAWN_DEADLINE_MS = 60_000;

/** Starts the hub under `<stateDir>/hub`, gives alice a token and a running default server, or says why not. */
export async function startHub(
  stateDir: string,
  processes: ProcessTable,
  signal: AbortSignal,
): Promise<HubInfo | Unavailable> {
  if (!existsSync(JUPYTERHUB))
    return { unavailable: "Debian's jupyterhub is not installed (apt-get install jupyterhub)" };
  const dir = join(stateDir, 'hub');
  const logFile = join(dir, 'hub.log');
  const adminToken = randomBytes(32).toString('hex');
  let child;
  try {
    await mkdir(join(dir, 'home'), { recursive: true });
    const [port, hubPort, proxyApiPort] = await freePorts(3);
    await writeSecret(join(dir, 'jupyterhub_cookie_secret'), randomBytes(32).toString('hex'));
    await writeSecret(join(dir, 'jupyterhub_config.py'), hubConfig(dir, { port, hubPort, proxyApiPort }, adminToken));
    // Debian's configurable-http-proxy only finds its modules through NODE_PATH under a non-Debian node (Q2 gotcha);
    // the hub passes its environment on to the proxy.
    const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
    child = processes.start('jupyterhub', JUPYTERHUB, ['-f', 'jupyterhub_config.py'], { cwd: dir, env, logFile });
    const url = `http://127.0.0.1:${port}`;
    const userToken = await prepareUser(`${url}/hub/api`, adminToken, AbortSignal.any([signal, exitSignal(child)]));
    return { url, adminToken, user: USER, userToken };
  } catch (error) {
    // When the simulator is stopping, it stops the hub itself, in its order.
    if (child && !signal.aborted) await processes.stop(child);
    return { unavailable: `JupyterHub did not become ready: ${messageOf(error)} (log: ${logFile})` };
  }
}

/** Waits for the REST API, creates a token for alice and starts her default server; returns the token. */
async function prepareUser(api: string, adminToken: string, signal: AbortSignal): Promise<string> {
  const headers = { Authorization: `token ${adminToken}`, 'Content-Type': 'application/json' };
  // servicex-facts.md §8: `GET /hub/api/` answers {"version"} without a token once the hub is up.
  await waitFor('JupyterHub answering GET /hub/api/', async () => (await fetchOk(`${api}/`, signal))?.json(), {
    signal,
    deadlineMs: API_DEADLINE_MS,
    intervalMs: 100,
  });
  // servicex-facts.md §8 (tokens): the secret comes back once, in `token`, with 201.
  const body = JSON.stringify({ note: 'coffea-casa simulator', expires_in: 86400 });
  const created = await fetch(`${api}/users/${USER}/tokens`, { method: 'POST', headers, body, signal });
  if (created.status !== 201) throw await httpError(`POST /hub/api/users/${USER}/tokens`, created);
  const { token } = (await created.json()) as { token: string };
  // servicex-facts.md §8 (start/stop): 201 when started, 202 when still spawning.
  const started = await fetch(`${api}/users/${USER}/server`, { method: 'POST', headers, signal });
  if (started.status !== 201 && started.status !== 202)
    throw await httpError(`POST /hub/api/users/${USER}/server`, started);
  const outcome = await waitFor(
    `${USER}'s default server becoming ready`,
    async () => {
      const user = (await (await fetchOk(`${api}/users/${USER}`, signal, { headers }))?.json()) as
        UserModel | undefined;
      const server = user?.servers?.[''];
      if (server?.ready) return 'ready';
      // Neither pending nor listed means the spawn failed; the hub log says why.
      if (user && !user.pending && !server) return 'failed';
      return undefined;
    },
    { signal, deadlineMs: SPAWN_DEADLINE_MS, intervalMs: 250 },
  );
  if (outcome === 'failed') throw new Error(`${USER}'s default server failed to start`);
  return token;
}

interface UserModel {
  readonly pending: string | null;
  readonly servers?: Record<string, { readonly ready: boolean }>;
}

function hubConfig(
  dir: string,
  ports: { port: number; hubPort: number; proxyApiPort: number },
  adminToken: string,
): string {
  const py = (value: string) => JSON.stringify(value);
  const runningAsRoot = process.getuid?.() === 0;
  return [
    '# Written by the Coffea-Casa facility simulator (sim/src/hub.ts) after feasibility.md Q2.',
    'c = get_config()  # noqa',
    "c.JupyterHub.ip = '127.0.0.1'",
    `c.JupyterHub.port = ${ports.port}`,
    "c.JupyterHub.hub_ip = '127.0.0.1'",
    `c.JupyterHub.hub_port = ${ports.hubPort}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${ports.proxyApiPort}`)}`,
    `c.ConfigurableHTTPProxy.pid_file = ${py(join(dir, 'jupyterhub-proxy.pid'))}`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${join(dir, 'jupyterhub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(join(dir, 'jupyterhub_cookie_secret'))}`,
    'c.JupyterHub.cleanup_servers = True',
    "c.JupyterHub.authenticator_class = 'dummy'",
    "c.Authenticator.allowed_users = {'alice', 'bob'}",
    "c.JupyterHub.spawner_class = 'simple'",
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(dir, 'home', '{username}'))}`,
    `c.Spawner.cmd = [${py(SINGLEUSER)}]`,
    // Notebook 6 refuses to run as root without --allow-root. The extension gives each server the Dask routes of
    // dask-labextension and the proxy route of jupyter-server-proxy (sim/python/sim_dask_labextension.py).
    `c.Spawner.args = [${[...(runningAsRoot ? ['--allow-root'] : []), `--NotebookApp.nbserver_extensions={"sim_dask_labextension": True}`].map(py).join(', ')}]`,
    `c.Spawner.environment = {'PYTHONPATH': ${py(SERVER_EXTENSIONS)}, 'DASK_TEMPORARY_DIRECTORY': ${py(join(dir, 'dask-scratch'))}}`,
    'c.Spawner.start_timeout = 60',
    'c.Spawner.http_timeout = 60',
    'c.JupyterHub.allow_named_servers = True',
    'c.JupyterHub.named_server_limit_per_user = 5',
    `c.JupyterHub.services = [{'name': 'sim-admin', 'api_token': ${py(adminToken)}}]`,
    "c.JupyterHub.load_roles = [{'name': 'admin', 'services': ['sim-admin']}]",
    '',
  ].join('\n');
}

/** Writes a file only its owner may read; the hub refuses a cookie secret that others can read. */
async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
