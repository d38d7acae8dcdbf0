import { existsSync } from 'node:fs';
import type { SampleRequest } from '../delivery/specRequests';
import type { FacilityHttp } from '../facility/http';
import { fail, ok, type Result } from '../facility/result';
import type { ServiceXClient } from './client';
import { isDone, type TransformRecord } from './records';
import { downloadTransform } from './resultsCache';

/** Where one sample of a delivery is. */
export interface SampleProgress {
  readonly name: string;
  readonly status: string;
  readonly requestId?: string;
  readonly files: number;
  readonly filesCompleted: number;
  readonly filesFailed: number;
  /** The local files, once downloaded (or found in the cache). */
  readonly localFiles?: readonly string[];
  /** True when the Python client's cache already held this request, so nothing was submitted. */
  readonly cacheHit?: boolean;
  /** Why the sample did not give files, when it did not. */
  readonly problem?: string;
}

export interface DeliveryOptions {
  /** The Python client's cache folder: hits are read from it and downloads recorded in it. */
  readonly cache: string;
  readonly shorten: boolean;
  /** False for `Delivery: URLs`: the transforms run, nothing is downloaded. */
  readonly download: boolean;
  readonly signal: AbortSignal;
  readonly onUpdate?: (samples: readonly SampleProgress[]) => void;
  /** Waits between status polls; the default sleeps, tests step a simulated clock. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Reads the cache's records; injected so that this module stays free of the cache's file format. */
  readonly cachedFiles?: (hash: string) => Promise<readonly string[] | undefined>;
}

/** Seconds between polls, as the Python client's 5 s but quicker at first, and the cap after errors. */
const FIRST_POLL_MS = 1000;
const POLL_MS = 5000;
const MAX_POLL_MS = 60_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Delivers samples as `deliver()` does: a sample whose request hash is in the local cache (with its files present) is
 * a hit and is not submitted; the others are submitted, polled until done (backing off after failed polls), and
 * downloaded into the cache with the record the Python client reads. Cancelling cancels the running transforms on the
 * server. A sample that fails does not stop the others; its problem is in its progress.
 */
export async function deliverSamples(
  client: ServiceXClient,
  http: FacilityHttp,
  samples: readonly SampleRequest[],
  options: DeliveryOptions,
): Promise<Result<readonly SampleProgress[]>> {
  const wait = options.wait ?? sleep;
  const progress: SampleProgress[] = samples.map((s) => ({
    name: s.name,
    status: 'Waiting',
    files: 0,
    filesCompleted: 0,
    filesFailed: 0,
  }));
  const update = (index: number, change: Partial<SampleProgress>) => {
    progress[index] = { ...progress[index], ...change };
    options.onUpdate?.([...progress]);
  };
  const features = await client.features(options.signal);
  if (!features.ok) return features;
  const running = new Map<number, string>();
  for (const [index, sample] of samples.entries()) {
    const cached = sample.ignoreLocalCache ? undefined : await options.cachedFiles?.(sample.hash);
    if (cached && cached.length > 0 && cached.every((f) => existsSync(f))) {
      update(index, {
        status: 'Complete',
        cacheHit: true,
        localFiles: cached,
        filesCompleted: cached.length,
        files: cached.length,
      });
      continue;
    }
    const submitted = await client.submit({ ...sample.request }, options.signal);
    if (!submitted.ok) {
      if (submitted.error.kind === 'cancelled') return cancelAll(client, running, progress);
      update(index, { status: 'Not submitted', problem: submitted.error.message });
      continue;
    }
    running.set(index, submitted.value);
    update(index, { status: 'Submitted', requestId: submitted.value });
  }
  let delay = FIRST_POLL_MS;
  while (running.size > 0) {
    await wait(delay, options.signal);
    if (options.signal.aborted) return cancelAll(client, running, progress);
    let failed = false;
    for (const [index, requestId] of [...running]) {
      const record = await client.transform(requestId, options.signal);
      if (!record.ok) {
        if (record.error.kind === 'cancelled') return cancelAll(client, running, progress);
        failed = true;
        update(index, { problem: record.error.message });
        continue;
      }
      update(index, fromRecord(record.value));
      if (!isDone(record.value.status)) continue;
      running.delete(index);
      await finish(index, record.value);
    }
    delay = failed ? Math.min(MAX_POLL_MS, delay * 2) : POLL_MS;
  }
  return ok(progress);

  async function finish(index: number, record: TransformRecord): Promise<void> {
    if (record.status !== 'Complete') {
      update(index, { problem: record.failureInfo ?? `The transform ended ${record.status}.` });
      return;
    }
    if (!options.download || !features.ok) return;
    update(index, { status: 'Downloading' });
    const downloaded = await downloadTransform(
      client,
      http,
      record,
      features.value,
      { cache: options.cache },
      {
        shorten: options.shorten,
        signal: options.signal,
      },
    );
    if (downloaded.ok) update(index, { status: 'Complete', localFiles: downloaded.value.files });
    else update(index, { status: 'Complete', problem: downloaded.error.message });
  }
}

function fromRecord(record: TransformRecord): Partial<SampleProgress> {
  return {
    status: record.status,
    files: record.files,
    filesCompleted: record.filesCompleted,
    filesFailed: record.filesFailed,
  };
}

async function cancelAll(
  client: ServiceXClient,
  running: ReadonlyMap<number, string>,
  progress: SampleProgress[],
): Promise<Result<never>> {
  // The caller's signal is aborted; the cancel requests get their own, short one.
  const signal = AbortSignal.timeout(10_000);
  await Promise.all(
    [...running].map(async ([index, id]) => {
      await client.cancel(id, signal);
      progress[index] = { ...progress[index], status: 'Canceled' };
    }),
  );
  return fail(
    'cancelled',
    `Delivery cancelled; ${running.size} running transform${running.size === 1 ? '' : 's'} cancelled on the server.`,
  );
}
