import { createHmac, timingSafeEqual } from 'node:crypto';

// HS256 JSON Web Tokens (RFC 7519 with the JWS compact form of RFC 7515), the only kind ServiceX issues:
// flask-jwt-extended signs with the app's secret key and the HS256 default.

/** Claims the simulator puts in tokens; `exp` is absent on refresh tokens, as ServiceX's never expire. */
export interface Claims {
  readonly sub: string;
  readonly jti: string;
  readonly iat: number;
  readonly nbf?: number;
  readonly exp?: number;
  readonly type: 'access' | 'refresh';
  readonly fresh?: boolean;
}

/** Why a token was refused, in flask-jwt-extended's words where it has any. */
export type VerifyResult =
  { readonly ok: true; readonly claims: Claims } | { readonly ok: false; readonly reason: string };

/** Signs `claims` with HMAC-SHA256 under `secret`. */
export function signJwt(claims: Claims, secret: Buffer): string {
  const header = encode({ typ: 'JWT', alg: 'HS256' });
  const payload = encode(claims);
  return `${header}.${payload}.${signature(`${header}.${payload}`, secret)}`;
}

/** Checks the signature and the time claims of `token`; the caller checks `type` and `jti`. */
export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'Not enough segments' };
  const [header, payload, given] = parts;
  const expected = Buffer.from(signature(`${header}.${payload}`, secret));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { ok: false, reason: 'Signature verification failed' };
  }
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'Invalid payload string' };
  }
  if (claims.exp !== undefined && claims.exp <= nowSeconds) return { ok: false, reason: 'Token has expired' };
  return { ok: true, claims };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function signature(input: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}
