import type { FileListing, Histogram, HistogramOptions, HistogramProgress, HistResult } from '../../../server/src/hist';

/** What the extension asks the histogram worker: list a file, read a stored histogram, or bin a column. */
export type WorkerRequest =
  | { readonly type: 'job'; readonly id: number; readonly op: 'list'; readonly path: string }
  | { readonly type: 'job'; readonly id: number; readonly op: 'stored'; readonly path: string; readonly name?: string }
  | {
      readonly type: 'job';
      readonly id: number;
      readonly op: 'histogram';
      readonly path: string;
      readonly options: HistogramOptions;
    }
  | { readonly type: 'cancel'; readonly id: number };

/** What the worker answers: progress while binning, then one result per job. */
export type WorkerReply =
  | { readonly id: number; readonly type: 'progress'; readonly progress: HistogramProgress }
  | { readonly id: number; readonly type: 'done'; readonly result: HistResult<FileListing | Histogram> };
