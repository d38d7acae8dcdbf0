import type { FacilityHttp, RequestOptions } from '../facility/http';
import { fail, ok, type Result } from '../facility/result';
import { ServiceXApi, type ServiceXInfo } from '../facility/servicex';
import { isRecord, shapeError, type ShapeError } from '../facility/shape';
import { joinUrl } from '../facility/urls';
import { AccessToken } from './accessToken';
import {
  readDataset,
  readDatasetList,
  readFileUrls,
  readProgress,
  readResults,
  readTransform,
  readTransformList,
  type CachedDataset,
  type ResultFile,
  type TransformProgress,
  type TransformRecord,
} from './records';

/** Capabilities named in `GET /servicex` (servicex-facts.md §1.3). */
export const CAPABILITY_RESULTS = 'poll_local_transformation_results';
export const CAPABILITY_FILE_URLS = 'generate_file_urls';

/** What a deployment can do, from `GET /servicex`; an old server lists no capabilities. */
export interface ServiceXFeatures extends ServiceXInfo {
  /** `GET /servicex/transformation/<id>/results` exists. */
  readonly resultsListing: boolean;
  /** `POST /servicex/transformation/file-urls` exists. */
  readonly fileUrls: boolean;
}

/** What the client needs to reach one endpoint of the user's `servicex.yaml`. */
export interface ServiceXEndpoint {
  /** The base URL, as `endpoint:` in servicex.yaml. */
  readonly url: string;
  /** The refresh JWT (`token:`); absent when the deployment has auth turned off. */
  readonly refreshToken?: string;
}

type Method = NonNullable<RequestOptions['method']>;

/**
 * The ServiceX REST API of one endpoint, with the access token renewed as needed and one retry after a 401
 * (servicex-facts.md §1.2). Every call returns a `Result` whose message a physicist can act on.
 */
export class ServiceXClient {
  readonly token: AccessToken;
  private readonly info: ServiceXApi;

  constructor(
    private readonly http: FacilityHttp,
    readonly endpoint: ServiceXEndpoint,
    now?: () => number,
  ) {
    this.token = new AccessToken(http, endpoint.url, endpoint.refreshToken, now);
    this.info = new ServiceXApi(http, endpoint.url);
  }

  /** Feature detection: capabilities and codegens; needs no token. */
  async features(signal: AbortSignal): Promise<Result<ServiceXFeatures>> {
    const info = await this.info.info(signal);
    if (!info.ok) return info;
    const has = (c: string) => info.value.capabilities.includes(c);
    return ok({ ...info.value, resultsListing: has(CAPABILITY_RESULTS), fileUrls: has(CAPABILITY_FILE_URLS) });
  }

  /** Submits a request body built elsewhere (the Python-compatible builder) and returns its request id. */
  submit(body: Record<string, unknown>, signal: AbortSignal): Promise<Result<string>> {
    const check = (answer: unknown) =>
      isRecord(answer) && typeof answer.request_id === 'string'
        ? answer.request_id
        : shapeError('the submit answer has no "request_id"');
    return this.call('POST', 'servicex/transformation', signal, check, body);
  }

  listTransforms(signal: AbortSignal): Promise<Result<TransformRecord[]>> {
    return this.call('GET', 'servicex/transformation', signal, readTransformList);
  }

  transform(requestId: string, signal: AbortSignal): Promise<Result<TransformRecord>> {
    return this.call('GET', `servicex/transformation/${encodeURIComponent(requestId)}`, signal, readTransform);
  }

  status(requestId: string, signal: AbortSignal): Promise<Result<TransformProgress>> {
    return this.call('GET', `servicex/transformation/${encodeURIComponent(requestId)}/status`, signal, readProgress);
  }

  /** Cancel is a GET (servicex-facts.md §12.4); the answer's message is returned. */
  cancel(requestId: string, signal: AbortSignal): Promise<Result<string>> {
    return this.call('GET', `servicex/transformation/${encodeURIComponent(requestId)}/cancel`, signal, message);
  }

  /** Deletes a finished transform and its results (2025 servers; older ones answer 405). */
  async deleteTransform(requestId: string, signal: AbortSignal): Promise<Result<string>> {
    const path = `servicex/transformation/${encodeURIComponent(requestId)}`;
    return this.olderServer(await this.call('DELETE', path, signal, message), 'cannot delete transforms');
  }

  /** The per-file results; only for servers with the `poll_local_transformation_results` capability. */
  async results(requestId: string, signal: AbortSignal, laterThan?: string): Promise<Result<ResultFile[]>> {
    const query = laterThan ? `?later_than=${encodeURIComponent(laterThan)}` : '';
    const path = `servicex/transformation/${encodeURIComponent(requestId)}/results${query}`;
    return this.olderServer(await this.call('GET', path, signal, readResults), 'does not list result files');
  }

  /** Presigned download URLs for objects of a transform (`generate_file_urls`); name -> URL. */
  async fileUrls(requestId: string, names: string[], signal: AbortSignal): Promise<Result<Map<string, string>>> {
    const body = { request_id: requestId, file_list: names };
    const answer = await this.call('POST', 'servicex/transformation/file-urls', signal, readFileUrls, body);
    return this.olderServer(answer, 'cannot hand out download links');
  }

  async datasets(
    signal: AbortSignal,
    options: { didFinder?: string; showDeleted?: boolean } = {},
  ): Promise<Result<CachedDataset[]>> {
    const query = new URLSearchParams();
    if (options.didFinder) query.set('did-finder', options.didFinder);
    if (options.showDeleted) query.set('show-deleted', 'true');
    const path = `servicex/datasets${query.size ? `?${query.toString()}` : ''}`;
    return this.olderServer(await this.call('GET', path, signal, readDatasetList), 'keeps no list of datasets');
  }

  async dataset(id: number, signal: AbortSignal): Promise<Result<CachedDataset>> {
    return this.olderServer(
      await this.call('GET', `servicex/datasets/${id}`, signal, readDataset),
      'keeps no datasets',
    );
  }

  /** Marks a dataset stale so the next request looks it up again (`DELETE /servicex/datasets/<id>`). */
  async markStale(id: number, signal: AbortSignal): Promise<Result<void>> {
    const answer = await this.call('DELETE', `servicex/datasets/${id}`, signal, () => undefined);
    return this.olderServer(answer, 'keeps no datasets');
  }

  /** A request with the access token; on a 401 the token is renewed once and the request repeated. */
  private async call<T>(
    method: Method,
    path: string,
    signal: AbortSignal,
    check: (body: unknown) => T | ShapeError,
    body?: unknown,
  ): Promise<Result<T>> {
    const url = joinUrl(this.endpoint.url, path);
    for (let attempt = 1; ; attempt++) {
      const headers = await this.token.header(signal);
      if (!headers.ok) return headers;
      const answer = await this.http.json(
        url,
        { service: 'ServiceX', signal, method, headers: headers.value, body },
        check,
      );
      if (answer.ok || answer.error.status !== 401 || attempt > 1 || !this.token.usesAuth) return answer;
      this.token.invalidate();
    }
  }

  /** Turns the 404/405 of a route a 2024 server lacks into a sentence that says so. */
  private olderServer<T>(answer: Result<T>, what: string): Result<T> {
    if (answer.ok) return answer;
    const status = answer.error.status;
    // A 404 naming a transform or dataset is about that object, not about the route.
    if (status === 405 || (status === 404 && !/not found with id|Dataset \d+ not found/.test(answer.error.message))) {
      return fail(
        'notFound',
        `ServiceX at ${this.endpoint.url} is an older server that ${what} (it answered ${status}).`,
        status,
      );
    }
    return answer;
  }
}

function message(body: unknown): string | ShapeError {
  return isRecord(body) && typeof body.message === 'string' ? body.message : shapeError('the answer has no "message"');
}
