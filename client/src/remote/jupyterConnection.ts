import { PageConfig } from '@jupyterlab/coreutils';
import { ServerConnection, TerminalAPI } from '@jupyterlab/services';
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch, Headers as UndiciHeaders, Request as UndiciRequest } from 'undici';
import WebSocket from 'ws';
import { redact, serverBaseUrl } from '../facility/urls';

// Plain TypeScript over @jupyterlab/services for Node, following jupyter-services-spike.md: the library runs in the
// extension host once it gets `ws` as its WebSocket and is told that terminals exist.

/** The WebSocket constructor type the library's settings expect (the DOM's, which `ws` implements for our use). */
type WebSocketConstructor = ServerConnection.ISettings['WebSocket'];

/**
 * A `ws` socket that sends the token in the Authorization header instead of the URL. A token in the query string can
 * leak through the hub's redirect `Location` and through proxy access logs (spike Q6); a header never does.
 */
function headerAuthWebSocket(token: string, trust: TlsTrust | undefined): WebSocketConstructor {
  const tlsOptions = trust ? { rejectUnauthorized: trust.verify, ...(trust.ca ? { ca: trust.ca } : {}) } : {};
  class HeaderAuthWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { Authorization: `token ${token}` }, ...tlsOptions });
      // `ws` is an EventEmitter: an 'error' event without a listener is thrown and would take the extension host
      // down (spike G3), so there is always one; the library's own handlers still see the failure.
      this.on('error', () => undefined);
    }
  }
  return HeaderAuthWebSocket as unknown as WebSocketConstructor;
}

/** The library refuses to start terminals unless the page says they exist; in Node there is no page (spike G1). */
function declareTerminalsAvailable(): void {
  if (PageConfig.getOption('terminalsAvailable') !== 'true') PageConfig.setOption('terminalsAvailable', 'true');
}

/** The TLS fields of a facility profile (see profile.ts), which FacilityHttp honours and so must the Jupyter calls. */
export interface JupyterTls {
  readonly caFile?: string;
  readonly tlsVerify?: boolean;
}

/** What the TLS fields come to: the CA's PEM text (or why it could not be read) and whether to verify at all. */
interface TlsTrust {
  readonly ca?: string;
  readonly caError?: string;
  readonly verify: boolean;
}

function tlsTrust(tls: JupyterTls | undefined): TlsTrust | undefined {
  if (!tls || (!tls.caFile && tls.tlsVerify !== false)) return undefined;
  const verify = tls.tlsVerify !== false;
  if (!tls.caFile) return { verify };
  try {
    return { verify, ca: readFileSync(tls.caFile, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return { verify, caError: `the certificate authority file ${tls.caFile} cannot be read (${code})` };
  }
}

/** Settings are made on every tree expansion; one pool per trust keeps connections reused rather than leaked. */
const agents = new Map<string, Agent>();

function agentFor(trust: TlsTrust): Agent {
  const key = `${String(trust.verify)}\n${trust.ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ connect: { rejectUnauthorized: trust.verify, ...(trust.ca ? { ca: trust.ca } : {}) } });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * Node's own fetch cannot be given a CA or told not to verify, so with a profile's TLS fields the library gets
 * undici's fetch (and its Request and Headers, which that fetch recognises) over an Agent that carries them.
 */
function trustingFetch(trust: TlsTrust): Partial<ServerConnection.ISettings> {
  const caError = trust.caError;
  const dispatcher = agentFor(trust);
  const fetchWithTrust = (input: unknown, init?: unknown) =>
    caError
      ? Promise.reject(new Error(caError))
      : undiciFetch(input as UndiciRequest, { ...(init as object), dispatcher });
  return {
    fetch: fetchWithTrust,
    Request: UndiciRequest as unknown as ServerConnection.ISettings['Request'],
    Headers: UndiciHeaders as unknown as ServerConnection.ISettings['Headers'],
  };
}

/**
 * Connection settings for a user's Jupyter server, given the hub URL and the server's URL path (e.g. `/user/alice/`).
 * `tls` is the facility profile's `caFile`/`tlsVerify`, applied to both the REST calls and the websockets.
 */
export function serverSettings(
  hubUrl: string,
  serverUrl: string,
  token: string,
  tls?: JupyterTls,
): ServerConnection.ISettings {
  declareTerminalsAvailable();
  const trust = tlsTrust(tls);
  const baseUrl = serverBaseUrl(hubUrl, serverUrl);
  const wsUrl = baseUrl.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl,
    token,
    appendToken: false,
    WebSocket: headerAuthWebSocket(token, trust),
    ...(trust ? trustingFetch(trust) : {}),
  });
}

/** A sentence saying why a call to a Jupyter server failed, without the token or anything else secret in it. */
export function describeJupyterFailure(error: unknown): string {
  if (error instanceof ServerConnection.ResponseError) {
    const status = error.response.status;
    if (status === 401 || status === 403) return `the server refused the hub token (HTTP ${status}); sign in again`;
    // JupyterHub answers 424 (503 before hub 2.0) for a request to a server that is not running.
    if (status === 424 || status === 503) return `the server is not running (HTTP ${status})`;
    if (status === 404) return 'the server has no terminals (HTTP 404)';
    return redact(`the server answered HTTP ${status}: ${error.message}`);
  }
  if (error instanceof ServerConnection.NetworkError)
    return redact(`the server could not be reached (${error.message})`);
  // JSON parse errors mean an HTML page came back, which is what a login redirect looks like.
  if (error instanceof SyntaxError)
    return 'the server answered with a page instead of JSON; the sign-in may have expired';
  return redact(`unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
}

/** Where a terminal stands on its server, as far as one REST call can tell. */
export type TerminalPresence = 'present' | 'gone' | 'serverStopped' | 'unknown';

/** Asks the server whether a terminal still exists, to tell a dropped socket from a stopped server or a gone shell. */
export async function terminalPresence(settings: ServerConnection.ISettings, name: string): Promise<TerminalPresence> {
  try {
    const running = await TerminalAPI.listRunning(settings);
    return running.some((model) => model.name === name) ? 'present' : 'gone';
  } catch (error) {
    const status = error instanceof ServerConnection.ResponseError ? error.response.status : undefined;
    return status === 424 || status === 503 ? 'serverStopped' : 'unknown';
  }
}
