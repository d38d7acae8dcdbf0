/**
 * Expected failures of facility calls travel as values, so that every caller has to decide what the user sees.
 * Exceptions are kept for programming errors.
 */

/** Why a call to a facility service did not give a usable answer. */
export type FailureKind =
  | 'cancelled' // The caller aborted: not an error to show.
  | 'timeout' // No answer within the configured time.
  | 'unreachable' // DNS, refused connection, dropped socket.
  | 'tls' // Certificate could not be verified.
  | 'unauthorized' // 401/403: the token is missing, expired or lacks a scope.
  | 'notFound' // 404: the route or the object does not exist (often: an older server).
  | 'http' // Any other non-2xx status.
  | 'badResponse' // The server answered 2xx with a body we cannot understand.
  | 'insecure'; // The profile asks for plain HTTP to a remote host without opting in.

export interface Failure {
  readonly kind: FailureKind;
  /** A sentence a physicist understands; never contains a token. */
  readonly message: string;
  readonly status?: number;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: FailureKind, message: string, status?: number): Result<T> {
  return { ok: false, error: status === undefined ? { kind, message } : { kind, message, status } };
}
