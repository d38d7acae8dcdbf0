import type { FacilityHttp } from './http';
import type { Result } from './result';
import { isRecord, optionalString, shapeError } from './shape';
import { joinUrl } from './urls';

/** What `GET /servicex` says about a ServiceX deployment (servicex-facts.md §1.3). */
export interface ServiceXInfo {
  readonly appVersion: string;
  /** Codegen name -> transformer image. The names are what a spec's `Codegen` may use. */
  readonly codegens: Record<string, string>;
  /** Absent on old servers, where it is treated as empty. */
  readonly capabilities: string[];
}

/** The public ServiceX REST API. */
export class ServiceXApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly baseUrl: string,
  ) {}

  /** Server info needs no token, so it also serves as the reachability check. */
  async info(signal: AbortSignal): Promise<Result<ServiceXInfo>> {
    return this.http.json(joinUrl(this.baseUrl, 'servicex'), { service: 'ServiceX', signal }, (body) => {
      if (!isRecord(body)) return shapeError('the info answer is not an object');
      const images = body['code-gen-image'];
      const codegens: Record<string, string> = {};
      if (isRecord(images)) {
        for (const [name, image] of Object.entries(images)) if (typeof image === 'string') codegens[name] = image;
      }
      const capabilities = Array.isArray(body.capabilities)
        ? body.capabilities.filter((c): c is string => typeof c === 'string')
        : [];
      return { appVersion: optionalString(body, 'app-version') ?? 'unknown', codegens, capabilities };
    });
  }
}
