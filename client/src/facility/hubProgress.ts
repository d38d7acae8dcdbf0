import { fail, ok, type Result } from './result';
import { redact } from './urls';

/**
 * One event of JupyterHub's spawn progress stream (servicex-facts.md §8). The last event of a spawn has `ready` or
 * `failed` set; every other event only moves `progress` and says what happens.
 */
export interface SpawnProgressEvent {
  /** 0 to 100. */
  readonly progress: number;
  readonly message: string;
  readonly htmlMessage?: string;
  readonly ready: boolean;
  readonly failed: boolean;
  /** The server's URL path, on the ready event. */
  readonly url?: string;
}

/** True when no more events follow this one. */
export function isFinalEvent(event: SpawnProgressEvent): boolean {
  return event.ready || event.failed;
}

/**
 * A parser for `text/event-stream` bodies as the hub writes them: `data: <json>` lines, events ended by a blank line,
 * keep-alive blank lines in between. It follows the EventSource rules where they matter here: CR, LF and CRLF all end
 * a line (also when a CRLF is split between two chunks), lines starting with ":" are comments, several `data:` lines
 * of one event are joined with newlines, and other fields (`event:`, `id:`, `retry:`) are ignored. Bytes are decoded
 * as UTF-8 across chunk boundaries. A malformed event becomes a failure value; the parser never throws.
 */
export class SpawnProgressParser {
  private readonly decoder = new TextDecoder('utf-8');
  private line = '';
  private data: string[] = [];
  private afterCarriageReturn = false;

  /** Feeds one chunk and returns the events it completed, in order. */
  push(chunk: Uint8Array | string): Result<SpawnProgressEvent>[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: Result<SpawnProgressEvent>[] = [];
    for (const char of text) {
      if (char === '\n' && this.afterCarriageReturn) {
        // The LF of a CRLF whose CR already ended the line.
        this.afterCarriageReturn = false;
        continue;
      }
      this.afterCarriageReturn = char === '\r';
      if (char === '\r' || char === '\n') {
        const event = this.endLine();
        if (event) events.push(event);
      } else {
        this.line += char;
      }
    }
    return events;
  }

  /**
   * Ends the stream. As in EventSource, an event that never got its closing blank line is dropped: the connection
   * broke before the hub finished writing it, so it may be cut short.
   */
  end(): void {
    this.decoder.decode();
    this.line = '';
    this.data = [];
    this.afterCarriageReturn = false;
  }

  private endLine(): Result<SpawnProgressEvent> | undefined {
    const line = this.line;
    this.line = '';
    if (line === '') {
      if (this.data.length === 0) return undefined;
      const data = this.data.join('\n');
      this.data = [];
      return parseSpawnEvent(data);
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return undefined;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    this.data.push(value.startsWith(' ') ? value.slice(1) : value);
    return undefined;
  }
}

/** Reads the JSON of one progress event; anything that is not a progress event becomes a `badResponse` failure. */
export function parseSpawnEvent(data: string): Result<SpawnProgressEvent> {
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return fail('badResponse', `JupyterHub sent a progress event that is not JSON${preview(data)}.`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('badResponse', `JupyterHub sent a progress event that is not an object${preview(data)}.`);
  }
  const event = body as Record<string, unknown>;
  const ready = event.ready === true;
  const failed = event.failed === true;
  // The hub always sends a number, but a final event is final even without one.
  const progress = typeof event.progress === 'number' ? event.progress : ready || failed ? 100 : undefined;
  if (progress === undefined) {
    return fail('badResponse', `JupyterHub sent a progress event without "progress"${preview(data)}.`);
  }
  return ok({
    progress: Math.min(100, Math.max(0, progress)),
    message: typeof event.message === 'string' ? redact(event.message) : '',
    ...(typeof event.html_message === 'string' ? { htmlMessage: redact(event.html_message) } : {}),
    ready,
    failed,
    ...(typeof event.url === 'string' ? { url: event.url } : {}),
  });
}

function preview(text: string): string {
  const clean = redact(text.replace(/\s+/g, ' ').trim()).slice(0, 80);
  return clean ? ` (it begins "${clean}")` : ' (it was empty)';
}
