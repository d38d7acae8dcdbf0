/**
 * Expected failures of the histogram engine: a file that cannot be read, a column that does not exist, bad options.
 * Readers throw `HistError` inside the engine; the entry points hand it back as a `HistResult` so that callers (the
 * CLI, a worker thread, the extension) decide what the user sees. Other exceptions are programming errors.
 */

/** Why the engine could not give bins. */
export type HistErrorKind =
  | 'cancelled' // The caller aborted: not an error to show.
  | 'notFound' // The file, tree, branch, column or histogram does not exist.
  | 'unsupported' // A format, type or layout the engine does not read (yet).
  | 'corrupt' // The file is truncated or its structure contradicts itself.
  | 'invalid' // A UHI document that breaks the schema, or bad options.
  | 'io'; // The operating system refused to read the file.

/** The one error class of the histogram engine; its message is a sentence a physicist understands. */
export class HistError extends Error {
  constructor(
    readonly kind: HistErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HistError';
  }
}

export type HistResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly kind: HistErrorKind; readonly message: string } };

/** Runs `work` and turns a `HistError` into a failed result; anything else is a bug and is rethrown. */
export async function settle<T>(work: () => Promise<T>): Promise<HistResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof HistError) return { ok: false, error: { kind: error.kind, message: error.message } };
    throw error;
  }
}

/** Throws the engine's cancellation error when `signal` has fired; called between chunks. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HistError('cancelled', 'The histogram was cancelled.');
}

/** The message of anything thrown by a library, for wrapping into a `HistError`. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
