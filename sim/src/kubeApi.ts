// What every route of the simulated Kubernetes API server shares: bearer-token authentication, `Status` error bodies
// and label selectors.
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Reply } from './http';

// The reason each HTTP status carries in a Kubernetes Status object (Kubernetes API reference, "Status" v1 meta;
// apimachinery's StatusReason constants).
const REASONS: Record<number, [reason: string, message: string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'forbidden'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['Conflict', 'the object has been modified; please apply your changes to the latest version and try again'],
  410: ['Expired', 'the resource version is too old'],
  422: ['Invalid', 'the server rejected our request due to an error in our request'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'an error on the server has prevented the request from succeeding'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

/** The API server authenticates before it routes, so a bad token gets 401 even on an unknown path. */
export function authorize(request: { readonly headers: IncomingHttpHeaders }, token: string): Reply | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] === token ? undefined : kubeStatus(401);
}

/** A failure `Status` object (Kubernetes API reference, Status v1 meta). */
export function kubeStatus(code: number, message?: string): Reply {
  const [reason, defaultMessage] = REASONS[code] ?? ['', `the server responded with the status code ${code}`];
  const json = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: message ?? defaultMessage,
    ...(reason && { reason }),
    ...(code === 404 && !message && { details: {} }),
    code,
  };
  return { status: code, json };
}

/** The NotFound `Status` of a named object, with the `details` the API server adds (`kind` is the resource). */
export function notFound(kind: string, name: string): Reply {
  const status = kubeStatus(404, `${kind} "${name}" not found`);
  return { ...status, json: { ...(status.json as object), details: { name, kind } } };
}

/** A query parameter that Go's strconv.ParseBool reads as true, as the API server parses `watch` and `follow`. */
export function isTrue(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

export type LabelTest = (labels: Record<string, string>) => boolean;

/**
 * Parses a label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated)
 * into a test, or returns the requirement it could not parse.
 */
export function parseLabelSelector(selector: string): LabelTest | string {
  const tests: LabelTest[] = [];
  for (const raw of splitRequirements(selector)) {
    const requirement = raw.trim();
    if (requirement === '') continue;
    const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(requirement))) {
      const [, k, op, v] = m;
      tests.push(op === '!=' ? (labels) => labels[k] !== v : (labels) => labels[k] === v);
    } else if ((m = new RegExp(`^${key}\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(requirement))) {
      const [, k, op, list] = m;
      const values = new Set(list.split(',').map((v) => v.trim()));
      tests.push(op === 'in' ? (labels) => k in labels && values.has(labels[k]) : (labels) => !values.has(labels[k]));
    } else if ((m = new RegExp(`^(!?)\\s*${key}$`).exec(requirement))) {
      const [, not, k] = m;
      tests.push(not ? (labels) => !(k in labels) : (labels) => k in labels);
    } else {
      return `"${requirement}"`;
    }
  }
  return (labels) => tests.every((test) => test(labels));
}

/** Splits on the commas between requirements, not on those inside `in (…)` value lists. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth++;
    else if (selector[i] === ')') depth--;
    else if (selector[i] === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts;
}

/** An HTTP answer written straight onto a socket whose upgrade is refused. */
export function writeRawReply(socket: Duplex, reply: Reply): void {
  const body = JSON.stringify(reply.json ?? {});
  socket.end(
    `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Unknown'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
