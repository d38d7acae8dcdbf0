import type { KubeModule } from './kubeConfig';
import { fail, type FailureKind, type Result } from './result';
import { redact } from './urls';

// What each status means for someone who does not run the cluster. The API server's own `Status.message` follows
// when the library passes the body on; the log and watch calls pass only the code.
const MEANINGS: Record<number, string> = {
  400: 'the request was not accepted',
  401: 'the credentials in the Kubernetes configuration were not accepted (expired or revoked token?)',
  403: 'your account is not allowed to do this in that namespace',
  404: 'it does not exist (any more)',
  410: 'the list it resumed from is too old',
  422: 'a parameter was not valid',
  429: 'the API server is busy; try again shortly',
  500: 'the API server failed internally; try again',
  503: 'the API server is unavailable; try again shortly',
};

/** Turns anything the client library throws into a failure naming `what` was attempted, never with a token. */
export function kubeFailure<T = never>(k8s: KubeModule, error: unknown, what: string, signal?: AbortSignal): Result<T> {
  if (signal?.aborted) return fail('cancelled', 'Kubernetes: cancelled.');
  const code = statusCodeOf(k8s, error);
  if (code !== undefined) {
    const detail = error instanceof k8s.ApiException ? statusMessage(error.body) : undefined;
    const meaning = MEANINGS[code] ?? (code >= 500 ? 'the API server failed; try again' : 'the request failed');
    return fail(
      kindOf(code),
      `The Kubernetes API refused to ${what} (${code}): ${meaning}${detail && detail !== meaning ? ` — ${detail}` : ''}.`,
      code,
    );
  }
  return fail('unreachable', `The Kubernetes API could not be reached to ${what}: ${redact(messageOf(error))}.`);
}

/** A failure from a status code alone, for watch `ERROR` events and refused upgrades. */
export function kubeStatusFailure<T = never>(code: number, what: string, message?: string): Result<T> {
  const meaning = MEANINGS[code] ?? 'the request failed';
  const detail = message ? ` — ${redact(message)}` : '';
  return fail(kindOf(code), `The Kubernetes API refused to ${what} (${code}): ${meaning}${detail}.`, code);
}

function kindOf(code: number): FailureKind {
  return code === 401 || code === 403 ? 'unauthorized' : code === 404 ? 'notFound' : 'http';
}

/** The status code in an ApiException, a watch error (`statusCode`) or a refused websocket upgrade. */
function statusCodeOf(k8s: KubeModule, error: unknown): number | undefined {
  if (error instanceof k8s.ApiException) return error.code;
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === 'number') return statusCode;
  const upgrade = /Unexpected server response: (\d{3})/.exec(messageOf(error));
  return upgrade ? Number(upgrade[1]) : undefined;
}

/** Kubernetes errors carry a `Status` object whose `message` is the useful part. */
export function statusMessage(body: unknown): string | undefined {
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    if (typeof status?.message === 'string' && status.message !== '') return redact(status.message);
  } catch {
    // Not a Status object; the code alone has to do.
  }
  return undefined;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  // The websocket library reports failures as event objects that carry the error or a message.
  const event = error as { error?: unknown; message?: unknown } | null;
  if (event?.error instanceof Error) return event.error.message;
  if (typeof event?.message === 'string') return event.message;
  return String(error);
}
