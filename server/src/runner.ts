import type { CancellationToken } from 'vscode-languageserver';

/** Where the runner reports failures: the connection's console in the server. */
export interface FailureLog {
  error(message: string): void;
}

/**
 * The server's one policy for cancellation and failure: `work` does not start when its token is already cancelled,
 * its result is dropped when the token is cancelled meanwhile, and any exception is logged and replaced by
 * `fallback`, so no handler can take the server down.
 */
export async function runSafe<T>(
  log: FailureLog,
  what: string,
  fallback: T,
  work: () => T | Promise<T>,
  token?: CancellationToken,
): Promise<T> {
  if (token?.isCancellationRequested) return fallback;
  try {
    const result = await work();
    return token?.isCancellationRequested ? fallback : result;
  } catch (error) {
    log.error(formatError(what, error));
    return fallback;
  }
}

/** A failure as one log entry, with the stack when there is one. */
export function formatError(what: string, error: unknown): string {
  if (error instanceof Error) return `${what} failed: ${error.message}\n${error.stack ?? ''}`.trimEnd();
  return `${what} failed: ${String(error)}`;
}
