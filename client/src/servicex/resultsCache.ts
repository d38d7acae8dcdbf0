import { join } from 'node:path';
import { recordCompletedTransform } from '../delivery/localCache';
import { requestHash, transformRequestBody, type ResultFormat } from '../delivery/transformRequest';
import type { FacilityHttp } from '../facility/http';
import { fail, ok, type Result } from '../facility/result';
import type { ServiceXClient, ServiceXFeatures } from './client';
import { downloadResults } from './download';
import type { TransformRecord } from './records';

/** Where a download went, and whether the Python client's cache now knows it. */
export interface CachedResults {
  readonly folder: string;
  readonly files: readonly string[];
  readonly recorded: boolean;
  /** Why the cache was not told, when it was not. */
  readonly note?: string;
}

const FORMATS: readonly ResultFormat[] = ['parquet', 'root-file', 'root-rntuple'];

/**
 * Downloads a complete transform's files, either into the Python client's cache layout (`<cache>/<request id>/`,
 * with a db.json record under the request's hash, so that the same `deliver()` in a notebook is a cache hit) or into
 * another folder. The request is rebuilt from the server's record; a transform of an explicit file list cannot be
 * (the server keeps a made-up dataset name), so it is downloaded without a record.
 */
export async function downloadTransform(
  client: ServiceXClient,
  http: FacilityHttp,
  transform: TransformRecord,
  features: ServiceXFeatures,
  target: { readonly cache: string } | { readonly folder: string },
  options: { shorten: boolean; signal: AbortSignal; onFile?: (done: number, total: number) => void },
): Promise<Result<CachedResults>> {
  if (transform.status !== 'Complete') {
    return fail('http', `The transform is ${transform.status}; only complete transforms have all their results.`);
  }
  if (!features.resultsListing || !features.fileUrls) {
    return fail(
      'notFound',
      'This ServiceX is an older server without result listings and download links; use the Python client to download.',
    );
  }
  const folder = 'cache' in target ? join(target.cache, transform.requestId) : target.folder;
  const downloaded = await downloadResults(client, http, transform.requestId, folder, options);
  if (!downloaded.ok) return downloaded;
  const files = downloaded.value.files.map((f) => f.path);
  if (!('cache' in target)) return ok({ folder, files, recorded: false });
  const codegen = Object.entries(features.codegens).find(([, image]) => image === transform.codegenImage)?.[0];
  const format = FORMATS.find((f) => f === transform.resultFormat);
  const note = !codegen
    ? 'the server no longer lists the code generator image it used'
    : !format
      ? `the result format "${transform.resultFormat ?? ''}" is not one the Python client asks for`
      : transform.did.startsWith('rucio://') || transform.did.includes('://')
        ? undefined
        : 'the transform was of an explicit file list, which the server does not keep';
  if (note || !codegen || !format) return ok({ folder, files, recorded: false, note });
  const request = transformRequestBody({
    ...(transform.title !== undefined ? { title: transform.title } : {}),
    did: transform.did,
    selection: transform.selection,
    codegen,
    resultFormat: format,
  });
  await recordCompletedTransform(target.cache, {
    request,
    hash: requestHash(request),
    requestId: transform.requestId,
    submitTime: transform.submitTime ?? new Date().toISOString(),
    files: transform.files,
    fileList: files,
  });
  return ok({ folder, files, recorded: true });
}
