import { randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FaultStore } from './faults';
import { Router, type Reply, type SimRequest } from './http';
import { signJwt, verifyJwt } from './jwt';
import { addTransformRoutes } from './servicexApi';
import { ServicexState } from './servicexState';

const APP_VERSION = '1.5.6';
const USER = 'alice';

// Flask-RESTful answers werkzeug's HTTP errors with {"message": <description>}; these are werkzeug's descriptions.
const DESCRIPTIONS: Record<number, string> = {
  404: 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.',
  405: 'The method is not allowed for the requested URL.',
  500: 'The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.',
};

/** The token state of the simulated ServiceX: one user, one current refresh token, a settable access lifetime. */
export class ServicexAuth {
  private readonly secret = randomBytes(32);
  private refreshJti = randomUUID();
  private currentRefreshToken = this.signRefresh();
  /** Lifetime of newly issued access tokens; the helm default `app.authExpires` (servicex-facts.md §1.2). */
  accessTokenSeconds = 21600;

  /** The refresh JWT a user would paste into servicex.yaml. */
  get refreshToken(): string {
    return this.currentRefreshToken;
  }

  /** Makes the current refresh token outdated, as signing in again on the web dashboard does, and returns the new one. */
  rotateRefreshToken(): string {
    this.refreshJti = randomUUID();
    this.currentRefreshToken = this.signRefresh();
    return this.currentRefreshToken;
  }

  /** Exchanges a refresh token for an access token, answering exactly as `POST /token/refresh` does. */
  refresh(authorization: string | undefined): Reply {
    // flask-jwt-extended rejects the header before the resource runs; its bodies use "msg", not "message". [I]
    if (!authorization) return { status: 401, json: { msg: 'Missing Authorization Header' } };
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match) {
      const msg = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
      return { status: 401, json: { msg } };
    }
    const now = nowSeconds();
    const verified = verifyJwt(match[1], this.secret, now);
    // flask-jwt-extended: an undecodable token is 422, an expired one 401, an access token here 422. [I]
    if (!verified.ok)
      return { status: verified.reason === 'Token has expired' ? 401 : 422, json: { msg: verified.reason } };
    if (verified.claims.type !== 'refresh') return { status: 422, json: { msg: 'Only refresh tokens are allowed' } };
    // servicex-facts.md §1.2: the jti must be the one stored for the user.
    if (verified.claims.jti !== this.refreshJti) {
      return { status: 401, json: { message: 'Invalid or outdated refresh token' } };
    }
    const exp = now + this.accessTokenSeconds;
    const claims = { fresh: false, iat: now, jti: randomUUID(), type: 'access', sub: USER, nbf: now, exp } as const;
    return { status: 200, json: { access_token: signJwt(claims, this.secret) } };
  }

  /**
   * Checks the access token of an `@auth_required` resource (servicex-facts.md §1.2). Returns the refusal, in
   * flask-jwt-extended's words and with its `msg` key, or undefined when the token is good.
   */
  checkAccess(authorization: string | undefined): Reply | undefined {
    if (!authorization) return { status: 401, json: { msg: 'Missing Authorization Header' } };
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match) {
      const msg = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'";
      return { status: 401, json: { msg } };
    }
    const verified = verifyJwt(match[1], this.secret, nowSeconds());
    if (!verified.ok)
      return { status: verified.reason === 'Token has expired' ? 401 : 422, json: { msg: verified.reason } };
    if (verified.claims.type !== 'access') return { status: 422, json: { msg: 'Only non-refresh tokens are allowed' } };
    return undefined;
  }

  private signRefresh(): string {
    const now = nowSeconds();
    return signJwt({ fresh: false, iat: now, jti: this.refreshJti, type: 'refresh', sub: USER, nbf: now }, this.secret);
  }
}

/** The codegens the simulated deployment enables: name -> transformer image (servicex-facts.md §1.3). */
export const CODEGEN_IMAGES: Record<string, string> = {
  'uproot-raw': `sslhep/servicex_code_gen_raw_uproot:v${APP_VERSION}`,
  uproot: `sslhep/servicex_code_gen_func_adl_uproot:v${APP_VERSION}`,
  python: `sslhep/servicex_code_gen_python:v${APP_VERSION}`,
  atlasr22: `sslhep/servicex_code_gen_func_adl_xaod:v${APP_VERSION}`,
};

export { APP_VERSION };

/** The ServiceX REST routes (servicex-facts.md §1.4), with faults from `faults`. */
export function servicexRouter(auth: ServicexAuth, faults: FaultStore, state = new ServicexState()): Router {
  const router = new Router({ service: 'servicex', faults, errorReply: servicexError })
    // servicex-facts.md §1.3: server info, no auth. The Oct-2024 server has no `capabilities` key at all (§1.11).
    .add('GET', '/servicex', () => ({
      status: 200,
      json: {
        'app-version': APP_VERSION,
        'code-gen-image': CODEGEN_IMAGES,
        ...(state.transforms.generation === 'current'
          ? { capabilities: ['poll_local_transformation_results', 'long_sample_titles_10240', 'generate_file_urls'] }
          : {}),
      },
    }))
    // servicex-facts.md §1.2 and §1.4: refresh JWT in, access JWT out.
    .add('POST', '/token/refresh', (request: SimRequest) => auth.refresh(request.headers.authorization));
  return addTransformRoutes(router, auth, state);
}

/** ServiceX's error shape, `{"message": …}` (servicex-facts.md §1.1). */
export function servicexError(status: number, message?: string): Reply {
  return { status, json: { message: message ?? DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? 'Error' } };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
