import { STATUS_CODES } from 'node:http';
import type { Reply, SimRequest } from './http';

// The JupyterHub 1.5 stand-in's models and helpers (sim/src/hub1.ts): the JSON it answers, written after that
// release's jupyterhub/apihandlers/base.py (servicex-facts.md §8).

export const USER = 'alice';
export const API = '/hub/api';

/** How alice's servers are laid out when the stand-in starts or is reset. */
export interface Hub1Layout {
  /** How many named servers alice has. */
  readonly namedServers: number;
  /** How many of them are running. */
  readonly runningNamedServers: number;
  readonly defaultRunning: boolean;
  /** `c.JupyterHub.allow_named_servers`. */
  readonly namedServersEnabled: boolean;
}

export const DEFAULT_LAYOUT: Hub1Layout = {
  namedServers: 2,
  runningNamedServers: 1,
  defaultRunning: true,
  namedServersEnabled: true,
};

export interface Spawner {
  readonly name: string;
  ready: boolean;
  pending: 'spawn' | null;
  started: Date | null;
  lastActivity: Date | null;
  userOptions: unknown;
  /** The reason the last spawn failed, kept until the next one, as the hub keeps its spawn future. */
  failure: string | null;
  /** Resolves when the spawn under way ends. */
  spawned?: Promise<void>;
}

export interface ApiToken {
  readonly id: string;
  readonly note: string;
  readonly created: Date;
  readonly expiresAt: Date | null;
}

/** apihandlers/base.py `write_error`: `{"status", "message"}`, the message defaulting to the status text. */
export function hubError(status: number, message?: string): Reply {
  return { status, json: { status, message: message ?? STATUS_CODES[status] ?? 'Unknown Error' } };
}

/** apihandlers/base.py `server_model` for 1.5: no `stopped`, `full_url` or `full_progress_url`. */
export function serverModel(s: Spawner): Record<string, unknown> {
  const path = s.name === '' ? 'server' : `servers/${s.name}`;
  return {
    name: s.name,
    last_activity: isoformat(s.lastActivity),
    started: isoformat(s.started),
    pending: s.pending,
    ready: s.ready,
    state: null,
    url: `/user/${USER}/${s.name === '' ? '' : `${s.name}/`}`,
    user_options: s.userOptions,
    progress_url: `${API}/users/${USER}/${path}/progress`,
  };
}

/** apihandlers/base.py `token_model` for an API token of a user. */
export function tokenModel(t: ApiToken): Record<string, unknown> {
  return {
    user: USER,
    id: t.id,
    kind: 'api_token',
    created: isoformat(t.created),
    last_activity: null,
    expires_at: isoformat(t.expiresAt),
    note: t.note,
  };
}

export function expired(t: ApiToken): boolean {
  return t.expiresAt !== null && t.expiresAt.getTime() <= Date.now();
}

/** Spawner `_log_name`: the user for the default server, `user:server` for a named one. */
export function logName(server: string): string {
  return server === '' ? USER : `${USER}:${server}`;
}

/** jupyterhub/utils.py `isoformat`: Python's naive-UTC isoformat with microseconds, plus "Z". */
export function isoformat(date: Date | null): string | null {
  return date ? date.toISOString().replace('Z', '000Z') : null;
}

export function readLayout(body: unknown): Hub1Layout | string {
  if (body === undefined) return DEFAULT_LAYOUT;
  if (!isObject(body)) return 'The body must be a JSON object.';
  const known = Object.keys(DEFAULT_LAYOUT);
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length > 0) return `Unknown field(s): ${unknown.join(', ')}. Known fields: ${known.join(', ')}.`;
  const layout: Hub1Layout = { ...DEFAULT_LAYOUT, ...body };
  const counts = [layout.namedServers, layout.runningNamedServers];
  if (!counts.every((n) => Number.isInteger(n) && n >= 0 && n <= 99)) {
    return '"namedServers" and "runningNamedServers" are whole numbers from 0 to 99.';
  }
  if (layout.runningNamedServers > layout.namedServers) return '"runningNamedServers" cannot exceed "namedServers".';
  if (typeof layout.defaultRunning !== 'boolean' || typeof layout.namedServersEnabled !== 'boolean') {
    return '"defaultRunning" and "namedServersEnabled" are true or false.';
  }
  return layout;
}

export const INVALID = Symbol('invalid JSON');

export function parseBody(request: SimRequest): Record<string, unknown> | typeof INVALID | undefined {
  const text = request.body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return INVALID;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
