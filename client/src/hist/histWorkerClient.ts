import { Worker } from 'node:worker_threads';
import type { FileListing, Histogram, HistogramOptions, HistogramProgress, HistResult } from '../../../server/src/hist';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

type Job = Extract<WorkerRequest, { type: 'job' }>;
type JobBody = Job extends infer J ? (J extends Job ? Omit<J, 'type' | 'id'> : never) : never;

interface Pending {
  resolve(result: HistResult<FileListing | Histogram>): void;
  onProgress?: (progress: HistogramProgress) => void;
}

/**
 * The extension's side of the histogram worker thread: one worker, started on first use, many jobs by id. A worker
 * that dies (a crash, memory) fails its jobs with a message and is started again for the next one.
 */
export class HistWorker {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  list(path: string, signal?: AbortSignal): Promise<HistResult<FileListing>> {
    return this.run({ op: 'list', path }, signal) as Promise<HistResult<FileListing>>;
  }

  stored(path: string, name: string | undefined, signal?: AbortSignal): Promise<HistResult<Histogram>> {
    return this.run({ op: 'stored', path, name }, signal) as Promise<HistResult<Histogram>>;
  }

  histogram(
    path: string,
    options: HistogramOptions,
    control: { signal?: AbortSignal; onProgress?: (progress: HistogramProgress) => void } = {},
  ): Promise<HistResult<Histogram>> {
    return this.run({ op: 'histogram', path, options }, control.signal, control.onProgress) as Promise<
      HistResult<Histogram>
    >;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll('The histogram worker was stopped.');
    void worker?.terminate();
  }

  private run(
    body: JobBody,
    signal?: AbortSignal,
    onProgress?: (progress: HistogramProgress) => void,
  ): Promise<HistResult<FileListing | Histogram>> {
    if (signal?.aborted) return Promise.resolve(cancelled());
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve) => {
      const abort = () => worker.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      signal?.addEventListener('abort', abort, { once: true });
      this.pending.set(id, {
        resolve: (result) => {
          signal?.removeEventListener('abort', abort);
          resolve(result);
        },
        onProgress,
      });
      // A worker with jobs keeps the process alive; an idle one does not (see ensureWorker).
      worker.ref();
      worker.postMessage({ type: 'job', id, ...body });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.on('message', (message: WorkerReply) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      if (message.type === 'progress') job.onProgress?.(message.progress);
      else {
        this.pending.delete(message.id);
        if (this.pending.size === 0) worker.unref();
        job.resolve(message.result);
      }
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(why);
    };
    worker.on('error', (error) => lost(`The histogram worker failed: ${error.message}`));
    worker.on('exit', (code) => lost(`The histogram worker stopped (exit code ${code}).`));
    // An idle worker must not keep the extension host (or a test) alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(message: string): void {
    for (const job of this.pending.values()) job.resolve({ ok: false, error: { kind: 'io', message } });
    this.pending.clear();
  }
}

function cancelled(): HistResult<never> {
  return { ok: false, error: { kind: 'cancelled', message: 'Cancelled.' } };
}
