import type { HubApi } from './hub';
import type { Result } from './result';
import { isRecord, optionalString, ShapeError, shapeError } from './shape';

// The extension signs in with a token of its own (servicex-facts.md §8, tokens): it has a note the user recognises on
// the hub's token page, an expiry, and on hubs with scopes only what the extension uses, so that the token the user
// pasted can be revoked independently and the extension can renew its own before it runs out.

/** A hub API token as the hub lists it; the secret is never part of it. */
export interface HubTokenModel {
  readonly id: string;
  readonly note?: string;
  /** ISO time, as the hub sends it. */
  readonly created?: string;
  /** ISO time; absent for a token that never expires. */
  readonly expiresAt?: string;
  readonly scopes?: readonly string[];
}

/** A token just created: the hub sends the secret only in this one answer. */
export interface CreatedHubToken {
  readonly model: HubTokenModel;
  /** The secret itself: store it, never log it. */
  readonly secret: string;
}

/** The body of `POST /users/{name}/tokens`, in our words. */
export interface TokenRequest {
  readonly note: string;
  readonly expiresInSeconds: number;
  /** Only for hubs that know scopes (3.0+); hub 1.x takes only the note and the expiry. */
  readonly scopes?: readonly string[];
}

const DAY_SECONDS = 86_400;

/** How long an extension token lives. */
export const EXTENSION_TOKEN_LIFETIME_SECONDS = 30 * DAY_SECONDS;

/**
 * What the extension does with the hub: read the user and servers, start and stop them, reach them (terminals,
 * files), and replace its own token. A hub refuses scopes the requesting token lacks, and then the pasted token stays.
 */
export const EXTENSION_TOKEN_SCOPES: readonly string[] = [
  'read:users!user',
  'servers!user',
  'access:servers!user',
  'tokens!user',
];

/** A token is renewed at most this long before it expires, and sooner for short-lived tokens (see `shouldRenew`). */
const RENEW_BEFORE_MS = 3 * DAY_SECONDS * 1000;

/** The note the extension's tokens carry, so that the user can tell them apart on the hub's token page. */
export function extensionTokenNote(hostname: string): string {
  const host = hostname.replace(/[^\w.-]/g, '').slice(0, 64) || 'this computer';
  return `Coffea-Casa for VS Code on ${host}`;
}

/** True for hub versions with scopes and `scopes` in token requests (3.0 and later). */
export function hubSupportsScopes(version: string): boolean {
  const major = /^(\d+)\./.exec(version.trim());
  return major !== null && Number(major[1]) >= 3;
}

/** The request for an extension token on a hub of `version`. */
export function extensionTokenRequest(version: string, hostname: string): TokenRequest {
  const base = { note: extensionTokenNote(hostname), expiresInSeconds: EXTENSION_TOKEN_LIFETIME_SECONDS };
  return hubSupportsScopes(version) ? { ...base, scopes: EXTENSION_TOKEN_SCOPES } : base;
}

/** The JSON body the hub expects for `request`. */
export function tokenRequestBody(request: TokenRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { note: request.note, expires_in: request.expiresInSeconds };
  if (request.scopes) body.scopes = [...request.scopes];
  return body;
}

/**
 * True when a token expiring at `expiresAt` should be replaced at `now`: within three days of expiry, or within the
 * last tenth of its lifetime when `created` says that is shorter, so that a one-hour token is not renewed at once.
 */
export function shouldRenew(expiresAt: string | undefined, now: Date, created?: string): boolean {
  if (!expiresAt) return false;
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return false;
  const start = created ? Date.parse(created) : Number.NaN;
  const lifetime = expires - start;
  const threshold = lifetime > 0 ? Math.min(RENEW_BEFORE_MS, lifetime / 10) : RENEW_BEFORE_MS;
  return expires - now.getTime() <= threshold;
}

/** "token expires in 29 days", "token expires in 5 hours", "token has expired", for tooltips. */
export function describeExpiry(expiresAt: string | undefined, now: Date): string {
  if (!expiresAt) return 'token does not expire';
  const expires = Date.parse(expiresAt);
  if (Number.isNaN(expires)) return 'token expiry unknown';
  const left = expires - now.getTime();
  if (left <= 0) return 'token has expired';
  const units: [number, string][] = [
    [DAY_SECONDS * 1000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, unit] of units) {
    const count = Math.floor(left / size);
    if (count >= 1) return `token expires in ${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return 'token expires in less than a minute';
}

/** Reads one token model; hub 3.0 and 1.x agree on these fields. */
export function readTokenModel(body: unknown): HubTokenModel | ShapeError {
  if (!isRecord(body) || (typeof body.id !== 'string' && typeof body.id !== 'number')) {
    return shapeError('the token model has no "id"');
  }
  const scopes = Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : undefined;
  return {
    id: String(body.id),
    note: optionalString(body, 'note'),
    created: optionalString(body, 'created'),
    expiresAt: optionalString(body, 'expires_at'),
    ...(scopes ? { scopes } : {}),
  };
}

/** Reads the answer to a token creation, which alone carries the secret in `token`. */
export function readCreatedToken(body: unknown): CreatedHubToken | ShapeError {
  const model = readTokenModel(body);
  if (model instanceof ShapeError) return model;
  if (!isRecord(body) || typeof body.token !== 'string' || !body.token) return shapeError('the answer has no "token"');
  return { model, secret: body.token };
}

/** Reads `GET /users/{name}/tokens`: `{"api_tokens": [...]}` on every version (1.x also lists `oauth_tokens`). */
export function readTokenList(body: unknown): HubTokenModel[] | ShapeError {
  if (!isRecord(body) || !Array.isArray(body.api_tokens)) return shapeError('no "api_tokens" list');
  const tokens: HubTokenModel[] = [];
  for (const item of body.api_tokens) {
    const token = readTokenModel(item);
    if (token instanceof ShapeError) return token;
    tokens.push(token);
  }
  return tokens;
}

/** Creates an extension token for `user` with the token `hub` holds, asking the hub's version first. */
export async function createExtensionToken(
  hub: HubApi,
  user: string,
  hostname: string,
  signal: AbortSignal,
): Promise<Result<CreatedHubToken>> {
  const version = await hub.version(signal);
  // A hub that hides its version is treated as the oldest kind: no scopes in the request.
  return hub.createToken(user, extensionTokenRequest(version.ok ? version.value : '1.0.0', hostname), signal);
}

/**
 * Replaces the extension token `hub` holds (id `oldId`) with a new one, then deletes the old one. The deletion is
 * best effort: a token left behind still expires on its own.
 */
export async function renewExtensionToken(
  hub: HubApi,
  user: string,
  oldId: string,
  hostname: string,
  signal: AbortSignal,
): Promise<Result<CreatedHubToken & { oldDeleted: boolean }>> {
  const created = await createExtensionToken(hub, user, hostname, signal);
  if (!created.ok) return created;
  const deleted = await hub.deleteToken(user, oldId, signal);
  return { ok: true, value: { ...created.value, oldDeleted: deleted.ok } };
}
