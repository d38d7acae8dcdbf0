import { readFile } from 'node:fs/promises';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { fail, ok, type Failure, type Result } from './result';
import { ShapeError } from './shape';
import { hostOf, redact } from './urls';

/** How one facility's services are reached: timeouts and TLS trust. */
export interface HttpSettings {
  readonly timeoutMs: number;
  readonly caFile?: string;
  readonly tlsVerify?: boolean;
}

export interface RequestOptions {
  /** The service's name for messages ("JupyterHub", "ServiceX"…). */
  readonly service: string;
  readonly signal: AbortSignal;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** Answers larger than this are refused rather than buffered: no facility API sends them. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The HTTP client of one facility. It owns one connection pool with that facility's TLS settings, and turns every
 * failure into a `Failure` whose message names the service and never contains a credential.
 */
export class FacilityHttp {
  private constructor(
    private readonly dispatcher: Dispatcher,
    private readonly timeoutMs: number,
  ) {}

  static async create(settings: HttpSettings): Promise<Result<FacilityHttp>> {
    let ca: string | undefined;
    if (settings.caFile) {
      try {
        ca = await readFile(settings.caFile, 'utf8');
      } catch (error) {
        return fail('tls', `The certificate authority file ${settings.caFile} cannot be read: ${errorCode(error)}.`);
      }
    }
    const agent = new Agent({
      connect: { rejectUnauthorized: settings.tlsVerify !== false, ...(ca ? { ca } : {}) },
      keepAliveTimeout: 10_000,
    });
    return ok(new FacilityHttp(agent, settings.timeoutMs));
  }

  /** Sends a request and checks the JSON answer's shape. */
  async json<T>(url: string, options: RequestOptions, check: (body: unknown) => T | ShapeError): Promise<Result<T>> {
    const text = await this.text(url, options);
    if (!text.ok) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.value);
    } catch {
      return fail(
        'badResponse',
        `${options.service} at ${hostOf(url)} sent an answer that is not JSON${preview(text.value)}.`,
      );
    }
    const checked = check(parsed);
    if (checked instanceof ShapeError) {
      return fail('badResponse', `${options.service} at ${hostOf(url)} sent an unexpected answer: ${checked.message}.`);
    }
    return ok(checked);
  }

  /** Sends a request and returns the body of a 2xx answer as text. */
  async text(url: string, options: RequestOptions): Promise<Result<string>> {
    const answer = await this.send(url, options);
    return answer.ok ? ok(answer.value.text) : answer;
  }

  /** Sends a request and returns the status and body of a 2xx answer, for APIs where 201 and 202 differ. */
  async send(url: string, options: RequestOptions): Promise<Result<{ status: number; text: string }>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([options.signal, timeout]);
    const { headers, body } = requestParts(options, 'application/json');
    try {
      const response = await request(url, {
        method: options.method ?? 'GET',
        headers,
        body,
        signal,
        dispatcher: this.dispatcher,
      });
      const text = await readCapped(response.body);
      if (response.statusCode >= 200 && response.statusCode < 300) return ok({ status: response.statusCode, text });
      return { ok: false, error: statusFailure(options.service, url, response.statusCode, text) };
    } catch (error) {
      if (options.signal.aborted) return fail('cancelled', `${options.service}: cancelled.`);
      if (timeout.aborted) {
        return fail(
          'timeout',
          `${options.service} at ${hostOf(url)} did not answer within ${seconds(this.timeoutMs)} s.`,
        );
      }
      return { ok: false, error: transportFailure(options.service, url, error) };
    }
  }

  /**
   * Reads a long-lived answer (an event stream) chunk by chunk. There is no overall deadline, since a stream may
   * rightly last minutes; instead the timeout applies to the headers and to every silence between chunks. Any
   * failure, including one in the middle of the stream, is the last value yielded.
   */
  async *stream(url: string, options: RequestOptions): AsyncGenerator<Result<Buffer>, void, undefined> {
    const { headers, body } = requestParts(options, 'text/event-stream');
    try {
      const response = await request(url, {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = await readCapped(response.body);
        yield { ok: false, error: statusFailure(options.service, url, response.statusCode, text) };
        return;
      }
      for await (const chunk of response.body) yield ok(chunk as Buffer);
    } catch (error) {
      if (options.signal.aborted) {
        yield fail('cancelled', `${options.service}: cancelled.`);
      } else if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
        yield fail('timeout', `${options.service} at ${hostOf(url)} was silent for ${seconds(this.timeoutMs)} s.`);
      } else {
        yield { ok: false, error: transportFailure(options.service, url, error) };
      }
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

function requestParts(options: RequestOptions, accept: string): { headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { accept, ...options.headers };
  if (options.body === undefined) return { headers };
  headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(options.body) };
}

async function readCapped(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class BodyTooLarge extends Error {}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1);
}

function preview(text: string): string {
  const clean = redact(text.replace(/\s+/g, ' ').trim()).slice(0, 80);
  return clean ? ` (it begins "${clean}")` : ' (the body was empty)';
}

/** Pulls the human message out of the error bodies of the services we speak to. */
export function serverMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'error', 'msg']) {
      if (typeof body?.[key] === 'string' && body[key]) return redact(body[key]);
    }
  } catch {
    // Not JSON: fall through to the raw text, as the ServiceX client does.
  }
  const raw = text.trim();
  return raw && raw.length < 300 && !raw.startsWith('<') ? redact(raw) : undefined;
}

function statusFailure(service: string, url: string, status: number, text: string): Failure {
  const detail = serverMessage(text);
  const suffix = detail ? `: ${detail}` : '.';
  const where = `${service} at ${hostOf(url)}`;
  if (status === 401 || status === 403) {
    return { kind: 'unauthorized', status, message: `${where} refused the credentials (${status})${suffix}` };
  }
  if (status === 404)
    return { kind: 'notFound', status, message: `${where} has no ${new URL(url).pathname} (404)${suffix}` };
  return { kind: 'http', status, message: `${where} answered ${status}${suffix}` };
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

function transportFailure(service: string, url: string, error: unknown): Failure {
  const where = `${service} at ${hostOf(url)}`;
  if (error instanceof BodyTooLarge) {
    return {
      kind: 'badResponse',
      message: `${where} sent more than ${MAX_BODY_BYTES >> 20} MiB; the answer was dropped.`,
    };
  }
  const cause = (error as { cause?: unknown })?.cause ?? error;
  const code = errorCode(cause);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|SSL/i.test(code)) {
    return {
      kind: 'tls',
      message: `${where} presented a certificate that cannot be verified (${code}). Add the facility's CA file to its profile ("caFile").`,
    };
  }
  if (code === 'ECONNREFUSED')
    return { kind: 'unreachable', message: `${where} refused the connection: is the service running?` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      kind: 'unreachable',
      message: `${where}: the host name could not be resolved (check the URL and your network).`,
    };
  }
  if (error instanceof undiciErrors.SocketError || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    return { kind: 'unreachable', message: `${where} dropped the connection before the answer was complete.` };
  }
  return { kind: 'unreachable', message: `${where} could not be reached (${redact(code)}).` };
}
