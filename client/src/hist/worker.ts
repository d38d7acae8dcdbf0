import { parentPort } from 'node:worker_threads';
import { histogramFile, listFile, readStoredHistogram } from '../../../server/src/hist';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

// The histogram worker: reading and binning run here, off the extension host's event loop, and only bins go back.
// One job at a time per request id; a `cancel` aborts the job's signal, which the engine checks between chunks.

const running = new Map<number, AbortController>();

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}

async function run(request: Extract<WorkerRequest, { op: string }>): Promise<void> {
  const controller = new AbortController();
  running.set(request.id, controller);
  const { signal } = controller;
  try {
    const result =
      request.op === 'list'
        ? await listFile(request.path, signal)
        : request.op === 'stored'
          ? await readStoredHistogram(request.path, request.name, signal)
          : await histogramFile(request.path, request.options, {
              signal,
              onProgress: (progress) => reply({ id: request.id, type: 'progress', progress }),
            });
    reply({ id: request.id, type: 'done', result });
  } catch (error) {
    // A bug in a reader must not take the worker down with the other jobs; the caller shows the message.
    const message = error instanceof Error ? error.message : String(error);
    reply({ id: request.id, type: 'done', result: { ok: false, error: { kind: 'io', message } } });
  } finally {
    running.delete(request.id);
  }
}

parentPort?.on('message', (message: WorkerRequest) => {
  if (message.type === 'cancel') running.get(message.id)?.abort();
  else void run(message);
});
