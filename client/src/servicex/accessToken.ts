import type { FacilityHttp } from '../facility/http';
import { fail, ok, type Result } from '../facility/result';
import { isRecord, shapeError } from '../facility/shape';
import { joinUrl } from '../facility/urls';

// ServiceX hands users a refresh JWT; every API call needs an access JWT bought with it at `/token/refresh`
// (servicex-facts.md §1.2). The Python client renews when fewer than 60 s remain, and so do we.

/** Renew the access token when fewer than this many seconds of it remain. */
export const RENEW_BEFORE_SECONDS = 60;

/** The `exp` claim of a JWT, read without verifying it (only the server can); undefined when it cannot be read. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return isRecord(claims) && typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

/** True when a token expiring at `exp` (epoch seconds) should be renewed at `nowSeconds`. */
export function needsRenewal(exp: number, nowSeconds: number): boolean {
  return exp - nowSeconds < RENEW_BEFORE_SECONDS;
}

/**
 * The access token of one ServiceX endpoint. Without a refresh token no Authorization header is sent, as for a
 * deployment with auth turned off.
 */
export class AccessToken {
  private current?: { token: string; exp: number };
  private pending?: Promise<Result<string>>;

  constructor(
    private readonly http: FacilityHttp,
    private readonly endpoint: string,
    private readonly refreshToken: string | undefined,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** The Authorization header to send, renewing the access token first when it is missing or about to run out. */
  async header(signal: AbortSignal): Promise<Result<Record<string, string>>> {
    if (!this.refreshToken) return ok({});
    if (!this.current || needsRenewal(this.current.exp, this.now())) {
      // One exchange at a time: calls that arrive while it runs share its answer.
      this.pending ??= this.exchange(signal).finally(() => (this.pending = undefined));
      const token = await this.pending;
      if (!token.ok) return token;
    }
    return ok({ authorization: `Bearer ${this.current?.token ?? ''}` });
  }

  /** Forgets the access token, after a 401 says the server no longer accepts it. */
  invalidate(): void {
    this.current = undefined;
  }

  /** When the current access token expires (epoch seconds), if there is one. */
  get expiresAt(): number | undefined {
    return this.current?.exp;
  }

  get usesAuth(): boolean {
    return Boolean(this.refreshToken);
  }

  private async exchange(signal: AbortSignal): Promise<Result<string>> {
    const answer = await this.http.json(
      joinUrl(this.endpoint, 'token/refresh'),
      { service: 'ServiceX', signal, method: 'POST', headers: { authorization: `Bearer ${this.refreshToken}` } },
      (body) =>
        isRecord(body) && typeof body.access_token === 'string'
          ? body.access_token
          : shapeError('the token answer has no "access_token"'),
    );
    if (!answer.ok) {
      if (answer.error.kind === 'unauthorized' || answer.error.status === 422) {
        const profile = joinUrl(this.endpoint, 'profile');
        return fail(
          'unauthorized',
          `ServiceX at ${this.endpoint} refused the API token (it is invalid or outdated, for example after signing in again on the web page). Get a new token at ${profile} and update it in servicex.yaml or in VS Code.`,
          answer.error.status,
        );
      }
      return answer;
    }
    const exp = jwtExpiry(answer.value);
    // servicex-facts.md §1.2: the Python client refuses a token without `exp`, and so do we.
    if (exp === undefined) {
      return fail('badResponse', `ServiceX at ${this.endpoint} sent an access token without an expiry time.`);
    }
    this.current = { token: answer.value, exp };
    return ok(answer.value);
  }
}
