import type { FacilityHttp } from './http';
import { ok, type Result } from './result';
import { isRecord, optionalNumber, optionalString, shapeError } from './shape';
import { joinUrl } from './urls';

/** A Dask cluster seen through its scheduler's dashboard JSON routes (servicex-facts.md §9.1, feasibility Q3). */
export interface DaskCluster {
  readonly schedulerAddress: string;
  readonly workers: number;
  readonly threads: number;
  readonly memoryLimitBytes: number;
  readonly tasks: number;
  readonly processing: number;
}

/**
 * The scheduler dashboard of one Dask cluster. A dashboard reached through a Jupyter server's proxy route needs the
 * hub token in `headers`; one the profile names directly needs none.
 */
export class DaskDashboardApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly dashboardUrl: string,
    private readonly headers?: Record<string, string>,
  ) {}

  async cluster(signal: AbortSignal): Promise<Result<DaskCluster>> {
    const [identity, counts] = await Promise.all([
      this.http.json(
        joinUrl(this.dashboardUrl, 'json/identity.json'),
        { service: 'Dask', signal, headers: this.headers },
        (body) =>
          isRecord(body) && isRecord(body.workers)
            ? { ...body, workers: body.workers }
            : shapeError('identity.json has no "workers"'),
      ),
      this.http.json(
        joinUrl(this.dashboardUrl, 'json/counts.json'),
        { service: 'Dask', signal, headers: this.headers },
        (body) => (isRecord(body) ? body : shapeError('counts.json is not an object')),
      ),
    ]);
    if (!identity.ok) return identity;
    if (!counts.ok) return counts;
    const workers = Object.values(identity.value.workers).filter(isRecord);
    return ok({
      schedulerAddress: optionalString(identity.value, 'address') ?? 'unknown',
      workers: workers.length,
      threads: workers.reduce((sum, w) => sum + (optionalNumber(w, 'nthreads') ?? 0), 0),
      memoryLimitBytes: workers.reduce((sum, w) => sum + (optionalNumber(w, 'memory_limit') ?? 0), 0),
      tasks: optionalNumber(counts.value, 'tasks') ?? 0,
      processing: optionalNumber(counts.value, 'processing') ?? 0,
    });
  }
}
