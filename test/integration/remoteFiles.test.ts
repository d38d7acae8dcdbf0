import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ServerConnection } from '@jupyterlab/services';
import { ContentsClient, type ContentsLimits, type ContentsResult } from '../../client/src/remote/contents';
import { serverSettings } from '../../client/src/remote/jupyterConnection';
import { startSimulator, type Simulator } from '../support/simulator';

/** The value of a result that must have succeeded, with the failure's message otherwise. */
function value<T>(result: ContentsResult<T>): T {
  if (!result.ok) assert.fail(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

/** The kind of a result that must have failed. */
function failure<T>(result: ContentsResult<T>): string {
  assert.equal(result.ok, false, 'the call succeeded');
  return result.ok ? '' : result.error.kind;
}

const text = new TextEncoder().encode('héllo\nwörld\r\n');
const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
const create = { create: true, overwrite: false };
const overwrite = { create: false, overwrite: true };

// Files on alice's default server of the simulator's real JupyterHub 3.0 (a classic Notebook 6 server), through the
// same client the extension's file system provider uses, without VS Code.
describe('files on a hub server', { timeout: 60_000 }, () => {
  let sim: Simulator;
  let settings: ServerConnection.ISettings;
  let token: string;
  let hubUrl: string;
  let serverUrl: string;
  let user: string;
  const root = `coffea-casa-files-${Date.now()}`;

  /** A client whose requests go through `intercept`, which may fail them as a dropped connection would. */
  const clientWith = (
    intercept: (request: Request) => boolean | Promise<boolean>,
    limits?: ContentsLimits,
  ): ContentsClient => {
    const fetchThrough = async (request: Request) => {
      if (await intercept(request)) throw new TypeError('fetch failed: connection reset');
      return fetch(request);
    };
    return new ContentsClient({ ...settings, fetch: fetchThrough as typeof fetch }, limits);
  };
  /** The names in a directory that a save or replace would leave behind if it did not clean up. */
  const leftovers = async (client: ContentsClient, dir: string) =>
    value(await client.list(dir)).filter((e) => e.name.includes('~coffea-casa-'));

  before(async () => {
    sim = await startSimulator();
    assert.ok('userToken' in sim.hub, `the real hub is needed: ${'unavailable' in sim.hub ? sim.hub.unavailable : ''}`);
    ({ url: hubUrl, userToken: token, user } = sim.hub);
    serverUrl = `/user/${user}/`;
    settings = serverSettings(hubUrl, serverUrl, token);
    value(await new ContentsClient(settings).createDirectory(root));
  });

  after(async () => {
    await sim?.stop();
  });

  test('creates, writes, reads, lists, renames, stats and deletes', async () => {
    const client = new ContentsClient(settings);
    const dir = `${root}/basic`;
    value(await client.createDirectory(dir));
    assert.equal(failure(await client.createDirectory(dir)), 'exists');
    assert.equal(failure(await client.createDirectory(`${root}/missing/child`)), 'notFound');

    assert.equal(value(await client.write(`${dir}/a.txt`, text, create)).size, text.byteLength, 'size in bytes');
    assert.equal(value(await client.write(`${dir}/bytes.bin`, everyByte, create)).size, 256);
    assert.deepEqual(await client.read(`${dir}/a.txt`), { ok: true, value: text });
    assert.deepEqual(await client.read(`${dir}/bytes.bin`), { ok: true, value: everyByte });
    assert.equal(failure(await client.read(dir)), 'isDirectory');
    assert.equal(failure(await client.read(`${dir}/nope.txt`)), 'notFound');

    assert.equal(failure(await client.write(`${dir}/a.txt`, everyByte, create)), 'exists');
    assert.equal(failure(await client.write(`${dir}/new.txt`, text, overwrite)), 'notFound');
    assert.equal(failure(await client.write(dir, text, { create: true, overwrite: true })), 'isDirectory');

    const listed = value(await client.list(dir));
    assert.deepEqual(listed.map((e) => [e.name, e.type, e.size]).sort(), [
      ['a.txt', 'file', text.byteLength],
      ['bytes.bin', 'file', 256],
    ]);

    value(await client.rename(`${dir}/a.txt`, `${dir}/b.txt`, false));
    assert.equal(failure(await client.stat(`${dir}/a.txt`)), 'notFound');
    assert.equal(value(await client.stat(`${dir}/b.txt`)).size, text.byteLength);
    assert.equal(failure(await client.rename(`${dir}/bytes.bin`, `${dir}/b.txt`, false)), 'exists');
    value(await client.rename(`${dir}/bytes.bin`, `${dir}/b.txt`, true));
    assert.deepEqual(await client.read(`${dir}/b.txt`), { ok: true, value: everyByte });
    assert.deepEqual(await leftovers(client, dir), []);

    assert.equal(failure(await client.delete(dir, false)), 'failed', 'the server keeps non-empty directories');
    value(await client.delete(dir, true));
    assert.equal(failure(await client.stat(dir)), 'notFound');
  });

  test('uploads large files in chunks and refuses to read files over the limit', async () => {
    const chunks: number[] = [];
    const limits = { maxReadBytes: 4000, chunkThreshold: 1000, chunkBytes: 700 };
    const client = clientWith(async (request) => {
      if (request.method === 'PUT') chunks.push(((await request.clone().json()) as { chunk?: number }).chunk ?? 0);
      return false;
    }, limits);
    const bytes = new Uint8Array(randomBytes(2500));
    value(await client.write(`${root}/big.bin`, bytes, create));
    assert.deepEqual(chunks, [1, 2, 3, -1], 'four chunks of at most 700 bytes, the last marked -1');
    assert.deepEqual(await client.read(`${root}/big.bin`), { ok: true, value: bytes });

    value(await client.write(`${root}/big.bin`, new Uint8Array(5000), overwrite));
    const refused = await client.read(`${root}/big.bin`);
    assert.ok(!refused.ok && refused.error.kind === 'tooLarge');
    assert.match(refused.error.message, /big\.bin is 5000 bytes, over the 4000 bytes .* sends whole files/);
    value(await client.delete(`${root}/big.bin`, false));
  });

  test('an interrupted save leaves the old content and no temporary file behind', async () => {
    const plain = new ContentsClient(settings);
    const path = `${root}/kept.txt`;
    value(await plain.write(path, text, create));

    // The final step, moving the uploaded copy onto the file, is lost on the way.
    const lostRename = clientWith((request) => request.method === 'PATCH' && request.url.includes('.tmp'));
    const renamed = await lostRename.write(path, everyByte, overwrite);
    assert.equal(failure(renamed), 'unavailable');
    assert.deepEqual(await plain.read(path), { ok: true, value: text });
    assert.deepEqual(await leftovers(plain, root), []);

    // A chunked upload loses its connection half-way.
    let puts = 0;
    const limits = { maxReadBytes: 10_000, chunkThreshold: 100, chunkBytes: 100 };
    const lostChunk = clientWith((request) => request.method === 'PUT' && ++puts === 2, limits);
    assert.equal(failure(await lostChunk.write(path, everyByte, overwrite)), 'unavailable');
    assert.deepEqual(await plain.read(path), { ok: true, value: text });
    assert.deepEqual(await leftovers(plain, root), []);
  });

  test('a wrong token fails with a clear message that holds no token', async () => {
    const wrong = 'not-a-valid-token-0123456789';
    const client = new ContentsClient(serverSettings(hubUrl, serverUrl, wrong));
    const result = await client.stat(root);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'noPermissions');
    assert.match(result.error.message, /refused access|sign-in may have expired/);
    assert.ok(!result.error.message.includes(wrong), result.error.message);
  });
  // Runs last: it stops alice's server, after removing what the tests created, and starts it again afterwards,
  // because the simulator may be shared with the other test files and layers, which expect it running.
  test('a stopped server is reported as not running', async () => {
    const client = new ContentsClient(settings);
    value(await client.delete(root, true));
    const headers = { authorization: `token ${token}` };
    const stop = await fetch(`${hubUrl}/hub/api/users/${user}/server`, { method: 'DELETE', headers });
    assert.ok(stop.status === 204 || stop.status === 202, `stop answered ${stop.status}`);
    try {
      let result = await client.stat('');
      // A 202 means the hub stops the server in the background; the proxy route goes once it has stopped.
      while (result.ok) result = await client.stat('');
      assert.equal(failure(result), 'unavailable');
      assert.match(result.ok ? '' : result.error.message, /not running/);
    } finally {
      await restartDefaultServer(hubUrl, user, headers);
    }
  });
});

/** Starts a user's default server again and waits (on the hub's own answers) until it is ready. */
async function restartDefaultServer(hubUrl: string, user: string, headers: Record<string, string>): Promise<void> {
  const api = `${hubUrl}/hub/api/users/${user}`;
  for (;;) {
    const model = (await (await fetch(api, { headers })).json()) as { servers?: Record<string, { ready?: boolean }> };
    const server = model.servers?.[''];
    if (server?.ready) return;
    // Stopping may still be under way: the hub answers 400 "pending stop" until it has finished, so ask again.
    if (!server) await fetch(`${api}/server`, { method: 'POST', headers });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
