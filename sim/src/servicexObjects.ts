// The object store behind the simulated ServiceX (MinIO in a real deployment): one bucket per request id, objects
// fetched through presigned URLs (servicex-facts.md §1.9). It serves bytes, byte ranges and S3's XML errors, which the
// JSON router cannot, so it answers on its own port and applies the same faults itself.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultStore } from './faults';
import { Router, type Reply } from './http';
import { log, messageOf } from './log';
import { ROOT_TESTDATA, type InputFile } from './servicexCatalogue';
import type { FileResult, TransformStore } from './servicexTransforms';

const OBJECT_ROUTE = '/{bucket}/{object}';
/** Presigned URLs from the file-urls endpoint last a year (servicex-facts.md §1.4). */
const URL_LIFETIME_SECONDS = 365 * 24 * 3600;

/** S3's error body: XML with a code and a message. */
function s3Error(status: number, code?: string, message?: string): Reply {
  const c = code ?? (status === 404 ? 'NoSuchKey' : status === 403 ? 'AccessDenied' : 'InternalError');
  const m = message ?? STATUS_CODES[status] ?? 'Error';
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${c}</Code><Message>${m}</Message></Error>`;
  return { status, text, contentType: 'application/xml' };
}

/** The bytes of result objects: ROOT results are the test files read in place; Parquet ones are written once. */
export class ObjectContents {
  private readonly parquet = new Map<string, Promise<Buffer>>();

  async bytes(result: FileResult, resultFormat: string): Promise<Buffer> {
    if (resultFormat !== 'parquet') return readFile(join(ROOT_TESTDATA, result.input.source));
    let pending = this.parquet.get(result.input.source);
    if (!pending) {
      pending = writeParquet(result.input);
      this.parquet.set(result.input.source, pending);
    }
    return pending;
  }
}

/** A small Parquet table standing for what a transformer writes: a few muon columns, seeded by the input. */
async function writeParquet(input: InputFile): Promise<Buffer> {
  // hyparquet-writer is ESM only and the simulator is CommonJS, so it is loaded with import().
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  let seed = [...input.source].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const rows = 500;
  const pt = Array.from({ length: rows }, () => 5 + 95 * random());
  const eta = Array.from({ length: rows }, () => -2.5 + 5 * random());
  const charge = Array.from({ length: rows }, () => (random() < 0.5 ? -1 : 1));
  const event = Array.from({ length: rows }, (_, i) => BigInt(input.events + i));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'event', data: event, type: 'INT64' },
      { name: 'mu_pt', data: pt, type: 'DOUBLE' },
      { name: 'mu_eta', data: eta, type: 'DOUBLE' },
      { name: 'mu_charge', data: charge, type: 'INT32' },
    ],
  });
  return Buffer.from(buffer);
}

/** The object store's server, registered as the `servicexStore` service so faults and request counts reach it. */
export class ObjectStore extends Router {
  private readonly secret = randomBytes(32);
  private readonly seen = new Map<string, number>();
  private baseUrl = '';
  /** Downloads still to be answered with half the object and a matching Content-Length (a short, "complete" body). */
  shortBodies = 0;

  constructor(
    private readonly transforms: TransformStore,
    readonly contents: ObjectContents,
    private readonly faultStore: FaultStore,
  ) {
    super({ service: 'servicexStore', faults: faultStore, errorReply: (status) => s3Error(status) });
    // Registered only so the control API can name the route in faults; requests are served by `serve` below.
    this.add('GET', OBJECT_ROUTE, () => s3Error(500));
  }

  /** `host:port`, as the transform record's `minio-endpoint` gives it (servicex-facts.md §1.6). */
  get endpoint(): string {
    return this.baseUrl.replace(/^http:\/\//, '');
  }

  /** A presigned GET URL for one object, with its expiry in epoch seconds. */
  presign(bucket: string, objectName: string, nowMs: number): { url: string; expires: number } {
    const expires = Math.floor(nowMs / 1000) + URL_LIFETIME_SECONDS;
    const signature = this.sign(bucket, objectName, expires);
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=${URL_LIFETIME_SECONDS}&X-Sim-Expires=${expires}&X-Amz-Signature=${signature}`;
    return { url: `${this.baseUrl}/${bucket}/${encodeURIComponent(objectName)}?${query}`, expires };
  }

  override requestCounts(): Record<string, number> {
    return Object.fromEntries(this.seen);
  }

  override resetCounts(): void {
    this.seen.clear();
  }

  override async listen(): Promise<{ server: Server; url: string }> {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        this.serve(req.method ?? 'GET', url, req.headers.range, res).catch((error: unknown) => {
          log(`object store ${url.pathname} failed: ${messageOf(error)}`);
          if (!res.headersSent) send(res, s3Error(500), Buffer.alloc(0));
          else res.destroy();
        });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { server, url: this.baseUrl };
  }

  private sign(bucket: string, objectName: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${bucket}\n${objectName}\n${expires}`).digest('hex');
  }

  private async serve(method: string, url: URL, range: string | undefined, res: ServerResponse): Promise<void> {
    const parts = url.pathname.split('/');
    if (method !== 'GET' || parts.length !== 3 || !parts[1] || !parts[2]) {
      return send(res, s3Error(method === 'GET' ? 404 : 405, method === 'GET' ? 'NoSuchKey' : 'MethodNotAllowed'));
    }
    const key = `GET ${OBJECT_ROUTE}`;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    const fault = this.faultStore.take('servicexStore', key);
    if (fault?.latencyMs) await delay(fault.latencyMs);
    if (fault?.drop) {
      res.destroy();
      return;
    }
    if (fault?.status !== undefined) return send(res, s3Error(fault.status));
    const bucket = decodeURIComponent(parts[1]);
    const objectName = decodeURIComponent(parts[2]);
    const expires = Number(url.searchParams.get('X-Sim-Expires'));
    const given = Buffer.from(url.searchParams.get('X-Amz-Signature') ?? '', 'utf8');
    const wanted = Buffer.from(this.sign(bucket, objectName, expires), 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return send(res, s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match.'));
    }
    if (expires * 1000 < this.transforms.clock.now())
      return send(res, s3Error(403, 'AccessDenied', 'Request has expired'));
    const result = this.transforms.objects(bucket).get(objectName);
    const format = this.transforms.resultFormatOf(bucket);
    if (!result || !format) return send(res, s3Error(404, 'NoSuchKey', 'The specified key does not exist.'));
    const whole = await this.contents.bytes(result, format);
    let body = whole;
    const headers: Record<string, string> = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    let status = 200;
    const wantedRange = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (range && wantedRange) {
      const start = Number(wantedRange[1]);
      const end = wantedRange[2] ? Math.min(Number(wantedRange[2]), whole.length - 1) : whole.length - 1;
      if (start >= whole.length || end < start) {
        return send(res, { ...s3Error(416, 'InvalidRange', 'The requested range is not satisfiable') });
      }
      body = whole.subarray(start, end + 1);
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${whole.length}`;
    }
    if (this.shortBodies > 0) {
      this.shortBodies -= 1;
      body = body.subarray(0, Math.floor(body.length / 2));
    }
    send(res, { status, contentType: headers['Content-Type'] }, body, headers, fault?.truncate);
  }
}

/** Sends a reply or raw bytes; `truncate` announces the full length, sends half, then cuts the connection. */
function send(
  res: ServerResponse,
  reply: Reply,
  bytes?: Buffer,
  extraHeaders: Record<string, string> = {},
  truncate?: boolean,
): void {
  const body = bytes ?? Buffer.from(reply.text ?? '', 'utf8');
  const headers: Record<string, string | number> = { ...extraHeaders, 'Content-Length': body.length };
  if (reply.contentType) headers['Content-Type'] = reply.contentType;
  res.writeHead(reply.status, STATUS_CODES[reply.status] ?? 'Unknown', headers);
  if (!truncate) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
}
