// Downloading one result file against small loopback servers that misbehave in ways the simulator's object store
// does not: ignoring a Range request, sending more than announced, and a part file left by an earlier session.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { downloadFile } from '../../client/src/servicex/download';
import { startLoopbackHttp, type LoopbackHttp } from '../support/loopbackHttp';

const BODY = randomBytes(64 * 1024);
const signal = new AbortController().signal;
let scratch: string;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'servicex-download-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A server that records the Range header of each request and answers with `answer`. */
async function serve(
  answer: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<LoopbackHttp & { ranges: (string | undefined)[] }> {
  const ranges: (string | undefined)[] = [];
  const server = await startLoopbackHttp((req, res) => {
    ranges.push(req.headers.range);
    answer(req, res, ranges.length);
  }, 5000);
  return Object.assign(server, { ranges });
}

/** Honours `bytes=N-` with a 206, as S3 does. */
function ranged(req: IncomingMessage, res: ServerResponse): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = match ? Number(match[1]) : 0;
  const part = BODY.subarray(start);
  res.writeHead(match ? 206 : 200, { 'content-length': part.length });
  res.end(part);
}

async function fresh(name: string): Promise<string> {
  return mkdtemp(join(scratch, `${name}-`));
}

describe('one result file', () => {
  test('a part file from an interrupted session is resumed with a Range request', async () => {
    const server = await serve(ranged);
    try {
      const folder = await fresh('resume');
      await writeFile(join(folder, 'out.root.part'), BODY.subarray(0, 1000));
      const job = { url: `${server.base}/b/out.root`, folder, objectName: 'out.root', size: BODY.length };
      const got = await downloadFile(server.http, { ...job, shorten: false, signal });
      assert.ok(got.ok, got.ok ? '' : got.error.message);
      assert.deepEqual(server.ranges, ['bytes=1000-']);
      assert.equal(got.value.resumedBytes, 1000);
      assert.ok((await readFile(join(folder, 'out.root'))).equals(BODY));
      assert.deepEqual(await readdir(folder), ['out.root']);
    } finally {
      await server.close();
    }
  });

  test('a server that ignores the range is caught by the size and the file fetched again from the start', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    });
    try {
      const folder = await fresh('ignored-range');
      await writeFile(join(folder, 'out.root.part'), BODY.subarray(0, 1000));
      const job = { url: `${server.base}/b/out.root`, folder, objectName: 'out.root', size: BODY.length };
      const got = await downloadFile(server.http, { ...job, shorten: false, signal });
      assert.ok(got.ok, got.ok ? '' : got.error.message);
      assert.deepEqual(server.ranges, ['bytes=1000-', undefined]);
      assert.ok((await readFile(join(folder, 'out.root'))).equals(BODY));
    } finally {
      await server.close();
    }
  });

  test('a body longer than announced is refused on every attempt and nothing is kept', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      res.end(BODY);
    });
    try {
      const folder = await fresh('too-long');
      const job = { url: `${server.base}/b/out.root`, folder, objectName: 'out.root', size: BODY.length - 1 };
      const got = await downloadFile(server.http, { ...job, shorten: false, signal });
      assert.equal(got.ok, false);
      assert.match(got.ok ? '' : got.error.message, /more bytes than it announced/);
      assert.deepEqual(await readdir(folder), []);
    } finally {
      await server.close();
    }
  });

  test('a cancelled download removes its part file', async () => {
    const controller = new AbortController();
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      // Half now; the rest never comes, and the test cancels once the first half is on disk.
      res.write(BODY.subarray(0, BODY.length / 2));
    });
    try {
      const folder = await fresh('cancelled');
      const job = { url: `${server.base}/b/out.root`, folder, objectName: 'out.root', size: BODY.length };
      const got = await downloadFile(server.http, {
        ...job,
        shorten: false,
        signal: controller.signal,
        onBytes: (written) => {
          if (written >= BODY.length / 2) controller.abort();
        },
      });
      assert.equal(got.ok ? '' : got.error.kind, 'cancelled');
      assert.deepEqual(await readdir(folder), []);
    } finally {
      await server.close();
    }
  });
});
