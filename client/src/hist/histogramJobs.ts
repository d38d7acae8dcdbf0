import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FileListing, HistogramOptions, HistResult } from '../../../server/src/hist';
import type { HistSource } from '../../../webviews/shared/protocol';
import type { Log } from '../log';
import { HistWorker } from './histWorkerClient';
import type { HistogramContent } from './histogramPanel';
import type { Pick } from './listing';
import { histogramSamples, toHistData, type Sample } from './samples';

/** What `coffeaCasa.showHistogram` takes: samples of files, and what to draw from them. */
export interface HistogramRequest {
  readonly samples: readonly Sample[];
  /** The column or branch to bin; a stored histogram's name instead with `histogram`. */
  readonly column?: string;
  readonly histogram?: string;
  readonly tree?: string;
  readonly weight?: string;
  /** A second column: the plot is then a 2-D heat map of the first sample's first file. */
  readonly y?: string;
  readonly bins?: number;
  readonly range?: readonly [number, number];
  readonly title?: string;
}

function formatOf(path: string): HistSource['format'] {
  return /\.parquet$/i.test(path) ? 'parquet' : /\.json$/i.test(path) ? 'uhi' : 'root';
}

/**
 * Runs the histogram engine in its worker thread for the extension: a progress notification with Cancel while it
 * bins, the engine's sentence when it fails, and bins for a panel when it succeeds.
 */
export class HistogramJobs implements vscode.Disposable {
  private readonly worker: HistWorker;

  constructor(
    extensionPath: string,
    private readonly log: Log,
  ) {
    this.worker = new HistWorker(join(extensionPath, 'dist', 'histWorker.js'));
  }

  /** What a file holds, for the file editors. */
  list(path: string): Promise<HistResult<FileListing>> {
    return this.worker.list(path);
  }

  /** Draws what a row of a file editor names. */
  async pick(path: string, pick: Pick): Promise<HistResult<HistogramContent>> {
    const name = path.split(/[\\/]/).pop() ?? path;
    const samples = [{ name, files: [path] }];
    if (pick.kind === 'stored') return this.request({ samples, histogram: pick.name, title: `${pick.name} · ${name}` });
    return this.request({ samples, column: pick.column, tree: pick.tree, title: `${pick.column} · ${name}` });
  }

  /** Bins (or reads) what the request names, with a progress notification the user can cancel. */
  request(request: HistogramRequest): Promise<HistResult<HistogramContent>> {
    const first = request.samples[0]?.files[0] ?? '';
    const title = request.title ?? request.histogram ?? request.column ?? 'Histogram';
    const source: HistSource = {
      format: formatOf(first),
      samples: request.samples.map((s) => ({ name: s.name, files: [...s.files] })),
      ...(request.column ? { column: request.column } : {}),
      ...(request.tree ? { tree: request.tree } : {}),
      ...(request.weight ? { weight: request.weight } : {}),
      ...(request.y ? { y: request.y } : {}),
      ...(request.histogram ? { histogram: request.histogram } : {}),
    };
    const run = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Histogram of ${title}`, cancellable: true },
      async (progress, token): Promise<HistResult<HistogramContent>> => {
        const abort = new AbortController();
        const cancelling = token.onCancellationRequested(() => abort.abort());
        try {
          if (request.histogram !== undefined || request.column === undefined) {
            const stored = await this.worker.stored(first, request.histogram, abort.signal);
            return stored.ok ? { ok: true, value: { title, data: toHistData(stored.value, title), source } } : stored;
          }
          const options: HistogramOptions = {
            column: request.column,
            ...(request.tree ? { tree: request.tree } : {}),
            ...(request.weight ? { weight: request.weight } : {}),
            ...(request.y ? { y: request.y } : {}),
            ...(request.bins ? { bins: request.bins } : {}),
            ...(request.range ? { range: request.range } : {}),
          };
          let reported = 0;
          const binned = await histogramSamples(
            (path, opts, control) => this.worker.histogram(path, opts, control),
            request.samples,
            options,
            {
              signal: abort.signal,
              onProgress: (p) => {
                const done = (p.fileIndex / p.files) * 100;
                progress.report({
                  message: `${p.pass === 'range' ? 'finding the range of' : 'binning'} file ${p.fileIndex + 1} of ${p.files}`,
                  increment: done - reported,
                });
                reported = done;
              },
            },
          );
          if (!binned.ok) return binned;
          return { ok: true, value: { title, data: { ...binned.value, title }, source } };
        } finally {
          cancelling.dispose();
        }
      },
    );
    return Promise.resolve(run);
  }

  /** Tells the user why there are no bins; a cancel needs no message. */
  report(result: HistResult<unknown> & { ok: false }): void {
    if (result.error.kind === 'cancelled') return;
    this.log.warn(`Histogram: ${result.error.message}`);
    void vscode.window.showErrorMessage(result.error.message);
  }

  dispose(): void {
    this.worker.dispose();
  }
}
