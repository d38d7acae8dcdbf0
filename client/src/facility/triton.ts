import type { FacilityHttp } from './http';
import { fail, ok, type Result } from './result';
import { isRecord, shapeError } from './shape';
import { joinUrl } from './urls';

/** Triton's server metadata from `GET /v2` (servicex-facts.md §7.1). */
export interface TritonServer {
  readonly live: boolean;
  readonly ready: boolean;
  readonly name: string;
  readonly version: string;
  readonly extensions: string[];
}

/** A KServe v2 inference server such as Triton. */
export class TritonApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly baseUrl: string,
  ) {}

  /** Liveness, readiness and metadata together: a server that is live but not ready still tells its version. */
  async server(signal: AbortSignal): Promise<Result<TritonServer>> {
    const [live, ready, metadata] = await Promise.all([
      this.http.text(joinUrl(this.baseUrl, 'v2/health/live'), { service: 'Triton', signal }),
      this.http.text(joinUrl(this.baseUrl, 'v2/health/ready'), { service: 'Triton', signal }),
      this.http.json(joinUrl(this.baseUrl, 'v2'), { service: 'Triton', signal }, (body) => {
        if (!isRecord(body) || typeof body.name !== 'string') return shapeError('the server metadata has no "name"');
        const extensions = Array.isArray(body.extensions)
          ? body.extensions.filter((e): e is string => typeof e === 'string')
          : [];
        return { name: body.name, version: typeof body.version === 'string' ? body.version : 'unknown', extensions };
      }),
    ]);
    if (!metadata.ok) return metadata;
    // Readiness is a status code: 503 or similar means "up but not ready", a transport failure means down.
    if (!ready.ok && ready.error.status === undefined) return fail(ready.error.kind, ready.error.message);
    return ok({ live: live.ok, ready: ready.ok, ...metadata.value });
  }
}
