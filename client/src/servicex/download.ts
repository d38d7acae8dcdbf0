import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FacilityHttp } from '../facility/http';
import { fail, ok, type Failure, type Result } from '../facility/result';
import { hostOf } from '../facility/urls';
import type { ServiceXClient } from './client';
import { insideFolder, localFileName } from './fileNames';

// Downloads never leave a partial file under its final name: bytes go to "<name>.part", the size is checked against
// the size the server announced, and only then is the file renamed. An interrupted transfer resumes from the part
// file with a Range request; if the server ignores the range, or sends more than announced, it starts again.

/** Tries per file: the first, then resumes after a dropped connection or a short body. */
export const DOWNLOAD_ATTEMPTS = 3;

const SERVICE = 'ServiceX object store';

/** Files fetched at the same time by `downloadResults`. */
export const PARALLEL_FILES = 4;

export interface FileDownload {
  readonly url: string;
  /** The folder the file goes into; created if missing. */
  readonly folder: string;
  /** The object name from the server; it is sanitised into a file name. */
  readonly objectName: string;
  /** The size the server announced (`total-bytes`). */
  readonly size: number;
  /** Shorten long names as the Python client does with `shortened_downloaded_filename: true`. */
  readonly shorten: boolean;
  readonly signal: AbortSignal;
  /** Called with the bytes of this file written so far. */
  readonly onBytes?: (written: number) => void;
}

/** Where a download ended up. */
export interface Downloaded {
  readonly path: string;
  /** False when a complete file of the right size was already there. */
  readonly transferred: boolean;
  /** Requests it took (1 unless it had to resume or restart). */
  readonly requests: number;
  /** Bytes of an interrupted attempt that the last, successful request did not fetch again. */
  readonly resumedBytes: number;
}

/** Downloads one object; on failure no `.part` file and no file under the final name is left behind. */
export async function downloadFile(http: FacilityHttp, job: FileDownload): Promise<Result<Downloaded>> {
  const name = localFileName(job.objectName, job.shorten);
  const target = insideFolder(job.folder, name);
  if (!target) return fail('badResponse', `The result name "${job.objectName}" cannot be used as a file name.`);
  try {
    await mkdir(job.folder, { recursive: true });
  } catch (error) {
    return fail('http', `The folder ${job.folder} cannot be created: ${codeOf(error)}.`);
  }
  // As the Python client does, a file already there with the announced size counts as downloaded.
  if ((await sizeOf(target)) === job.size)
    return ok({ path: target, transferred: false, requests: 0, resumedBytes: 0 });
  const part = `${target}.part`;
  let lastProblem = '';
  let requests = 0;
  let resumedBytes = 0;
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    let offset = (await sizeOf(part)) ?? 0;
    if (offset > job.size) {
      await rm(part, { force: true });
      offset = 0;
    }
    resumedBytes = offset;
    if (offset < job.size || job.size === 0) {
      requests++;
      const outcome = await transfer(http, job, part, offset);
      if (outcome.kind === 'cancelled' || outcome.kind === 'fatal') {
        await rm(part, { force: true });
        return { ok: false, error: outcome.failure };
      }
      if (outcome.kind === 'overflow') {
        await rm(part, { force: true });
        lastProblem = 'the server sent more bytes than it announced';
        continue;
      }
      lastProblem = outcome.kind === 'interrupted' ? outcome.failure.message : '';
    }
    const written = (await sizeOf(part)) ?? 0;
    if (written === job.size) {
      try {
        await rename(part, target);
      } catch (error) {
        await rm(part, { force: true });
        return fail('http', `${name} could not be moved into place: ${codeOf(error)}.`);
      }
      return ok({ path: target, transferred: true, requests, resumedBytes });
    }
    // A body that ends early without an error is a truncated one: only the size check catches it.
    lastProblem ||= `the body ended after ${written} of ${job.size} bytes`;
  }
  await rm(part, { force: true });
  return fail(
    'unreachable',
    `${job.objectName} from ${hostOf(job.url)} did not arrive whole after ${DOWNLOAD_ATTEMPTS} attempts: ${lastProblem}. Nothing was kept; try again.`,
  );
}

type Transfer =
  | { kind: 'done' }
  | { kind: 'overflow' }
  | { kind: 'interrupted'; failure: Failure }
  | { kind: 'cancelled' | 'fatal'; failure: Failure };

/** One request: appends to `part` from `offset`, never past the announced size. */
async function transfer(http: FacilityHttp, job: FileDownload, part: string, offset: number): Promise<Transfer> {
  const headers: Record<string, string> = { accept: '*/*' };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const file = await open(part, offset > 0 ? 'a' : 'w');
  let written = offset;
  try {
    for await (const chunk of http.stream(job.url, { service: SERVICE, signal: job.signal, headers })) {
      if (!chunk.ok) {
        const failure = chunk.error;
        if (failure.kind === 'cancelled') return { kind: 'cancelled', failure };
        // A refused or missing object will not come back on a retry; a dropped connection or a 5xx might.
        const retry = failure.kind === 'unreachable' || failure.kind === 'timeout' || (failure.status ?? 0) >= 500;
        return retry ? { kind: 'interrupted', failure } : { kind: 'fatal', failure };
      }
      if (written + chunk.value.length > job.size) return { kind: 'overflow' };
      await file.write(chunk.value);
      written += chunk.value.length;
      job.onBytes?.(written);
    }
    return { kind: 'done' };
  } finally {
    await file.close();
  }
}

/** The results of a transform that arrived in a folder. */
export interface ResultsDownload {
  readonly files: Downloaded[];
  /** Result rows the server marked as failed, which have no object to fetch. */
  readonly failedFiles: number;
}

/**
 * Downloads every successful result file of a transform into `folder`: the listing from `/results`, the URLs from
 * `file-urls` (servicex-facts.md §1.9). Servers without those capabilities get a message saying so.
 */
export async function downloadResults(
  client: ServiceXClient,
  http: FacilityHttp,
  requestId: string,
  folder: string,
  options: { shorten: boolean; signal: AbortSignal; onFile?: (done: number, total: number) => void },
): Promise<Result<ResultsDownload>> {
  const rows = await client.results(requestId, options.signal);
  if (!rows.ok) return rows;
  // The Python client keeps only rows whose transform_status is "success" (§1.4).
  const good = rows.value.filter((row) => row.status === 'success');
  const names = [...new Set(good.map((row) => row.objectName))];
  const taken = new Map<string, string>();
  for (const name of names) {
    const local = localFileName(name, options.shorten);
    const other = taken.get(local);
    if (other !== undefined) {
      return fail('badResponse', `The results "${other}" and "${name}" would both be saved as ${local}.`);
    }
    taken.set(local, name);
  }
  const urls = names.length ? await client.fileUrls(requestId, names, options.signal) : ok(new Map<string, string>());
  if (!urls.ok) return urls;
  const missing = good.find((row) => !urls.value.has(row.objectName));
  if (missing) return fail('badResponse', `ServiceX gave no download link for ${missing.objectName}.`);
  // A few files at a time; the first failure stops the others, which then remove their part files.
  const stop = new AbortController();
  const signal = AbortSignal.any([options.signal, stop.signal]);
  const files: Downloaded[] = new Array<Downloaded>(good.length);
  let next = 0;
  let done = 0;
  // Shared by the workers (an object, so the compiler does not narrow it across awaits).
  const first: { failure?: Failure } = {};
  const noteFailure = (error: Failure) => {
    if (!first.failure || first.failure.kind === 'cancelled') first.failure = error;
  };
  const worker = async () => {
    while (!first.failure && next < good.length) {
      const index = next++;
      const row = good[index];
      const file = await downloadFile(http, {
        url: urls.value.get(row.objectName) as string,
        folder,
        objectName: row.objectName,
        size: row.totalBytes,
        shorten: options.shorten,
        signal,
      });
      if (!file.ok) {
        // The first real failure is the one to report, not the cancellations it causes.
        noteFailure(file.error);
        stop.abort();
        return;
      }
      files[index] = file.value;
      options.onFile?.(++done, good.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, good.length) }, worker));
  if (first.failure) return { ok: false, error: first.failure };
  return ok({ files, failedFiles: rows.value.length - good.length });
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
