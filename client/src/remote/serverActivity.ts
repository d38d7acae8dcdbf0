import { ServerConnection } from '@jupyterlab/services';
import { fail, ok, type Result } from '../facility/result';
import { isRecord, optionalNumber, optionalString } from '../facility/shape';
import { redact } from '../facility/urls';

// Plain TypeScript: what a user's Jupyter server is running, asked over its REST API through the hub proxy with the
// settings of jupyterConnection.ts, so that the token travels only in the Authorization header.

/** A kernel as the server lists it under `api/kernels`. */
export interface JupyterKernel {
  readonly id: string;
  readonly name: string;
  /** `idle`, `busy`, `starting`…, or `unknown` when the server does not say. */
  readonly executionState: string;
  readonly lastActivity?: string;
  readonly connections?: number;
}

/** A terminal as the server lists it under `api/terminals`. */
export interface JupyterTerminal {
  readonly name: string;
  readonly lastActivity?: string;
}

/** The kernels and terminals of one server; each list succeeds or fails on its own. */
export interface ServerActivity {
  readonly kernels: Result<JupyterKernel[]>;
  readonly terminals: Result<JupyterTerminal[]>;
}

/** Lists the kernels and the terminals of a server at once. */
export async function listServerActivity(
  settings: ServerConnection.ISettings,
  signal: AbortSignal,
): Promise<ServerActivity> {
  const [kernels, terminals] = await Promise.all([listKernels(settings, signal), listTerminals(settings, signal)]);
  return { kernels, terminals };
}

/** Lists the kernels running on a server. */
export async function listKernels(
  settings: ServerConnection.ISettings,
  signal: AbortSignal,
): Promise<Result<JupyterKernel[]>> {
  return listOf(settings, 'api/kernels', 'kernels', signal, (item) => {
    const id = optionalString(item, 'id');
    const name = optionalString(item, 'name');
    if (!id || !name) return undefined;
    return {
      id,
      name,
      executionState: optionalString(item, 'execution_state') ?? 'unknown',
      lastActivity: optionalString(item, 'last_activity'),
      connections: optionalNumber(item, 'connections'),
    };
  });
}

/** Lists the terminals open on a server. */
export async function listTerminals(
  settings: ServerConnection.ISettings,
  signal: AbortSignal,
): Promise<Result<JupyterTerminal[]>> {
  return listOf(settings, 'api/terminals', 'terminals', signal, (item) => {
    const name = optionalString(item, 'name');
    return name ? { name, lastActivity: optionalString(item, 'last_activity') } : undefined;
  });
}

async function listOf<T>(
  settings: ServerConnection.ISettings,
  path: string,
  what: string,
  signal: AbortSignal,
  read: (item: Record<string, unknown>) => T | undefined,
): Promise<Result<T[]>> {
  const url = new URL(path, settings.baseUrl).toString();
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, { method: 'GET', signal }, settings);
  } catch (error) {
    if (signal.aborted) return fail('cancelled', `Listing the ${what}: cancelled.`);
    const reason = error instanceof Error ? error.message : String(error);
    return fail('unreachable', redact(`The server's ${what} could not be listed: ${reason}.`));
  }
  const { status } = response;
  if (status === 401 || status === 403)
    return fail('unauthorized', `The server refused the hub token for its ${what} (HTTP ${status}).`, status);
  // JupyterHub answers 424 (503 before hub 2.0) for a request to a server that is not running.
  if (status === 424 || status === 503)
    return fail('http', `The server is not running, so it has no ${what} (HTTP ${status}).`, status);
  if (status === 404) return fail('notFound', `The server offers no ${what} (HTTP 404).`, status);
  if (status < 200 || status >= 300) return fail('http', `The server answered HTTP ${status} for its ${what}.`, status);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    // An HTML page instead of JSON is what a login redirect looks like.
    return fail('badResponse', `The server answered with a page instead of its ${what}; the sign-in may have expired.`);
  }
  if (!Array.isArray(body)) return fail('badResponse', `The server's list of ${what} is not a list.`);
  const items: T[] = [];
  for (const entry of body) {
    const item = isRecord(entry) ? read(entry) : undefined;
    if (item === undefined) return fail('badResponse', `The server's list of ${what} has an entry without a name.`);
    items.push(item);
  }
  return ok(items);
}
