import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import { HubApi } from '../../client/src/facility/hub';
import { isRecord, shapeError } from '../../client/src/facility/shape';
import { startLoopbackHttp, type LoopbackHttp } from '../support/loopbackHttp';

// FacilityHttp against a real local HTTP server that misbehaves on purpose, route by route.
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (_req, res) => res.end('{"version": "3.0.0"}'),
  '/not-json': (_req, res) => res.end('<html>Service Unavailable</html>'),
  '/wrong-shape': (_req, res) => res.end('[1, 2]'),
  '/unauthorized': (_req, res) => {
    res.statusCode = 403;
    res.end('{"status": 403, "message": "Action is not authorized with current scopes; requires any of [list:users]"}');
  },
  '/server-error': (_req, res) => {
    res.statusCode = 500;
    res.end('Internal Server Error');
  },
  '/drop': (req) => req.socket.destroy(),
  '/truncate': (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"version": "3.');
    setImmediate(() => res.socket?.destroy());
  },
  '/hang': () => undefined,
  '/echo-auth': (req, res) => res.end(JSON.stringify({ authorization: req.headers.authorization ?? null })),
  '/hub/api/user': (_req, res) =>
    res.end(JSON.stringify({ kind: 'user', name: 'bob', admin: false, server: '/user/bob/', pending: null })),
};

const version = (body: unknown) =>
  isRecord(body) && typeof body.version === 'string' ? body.version : shapeError('no "version" field');

describe('FacilityHttp', () => {
  let loopback: LoopbackHttp;
  let base: string;
  let http: FacilityHttp;
  const signal = new AbortController().signal;

  before(async () => {
    loopback = await startLoopbackHttp(
      (req, res) => (routes[req.url ?? ''] ?? ((_q, r) => ((r.statusCode = 404), r.end())))(req, res),
      500,
    );
    ({ base, http } = loopback);
  });

  after(() => loopback.close());

  const get = (path: string, options: { signal?: AbortSignal; headers?: Record<string, string> } = {}) =>
    http.json(
      `${base}${path}`,
      { service: 'JupyterHub', signal: options.signal ?? signal, headers: options.headers },
      version,
    );

  test('a good answer comes back as a value', async () => {
    assert.deepEqual(await get('/ok'), { ok: true, value: '3.0.0' });
  });

  test('an HTML page instead of JSON is a bad response that quotes its beginning', async () => {
    const result = await get('/not-json');
    assert.deepEqual(result, {
      ok: false,
      error: {
        kind: 'badResponse',
        message: `JupyterHub at ${new URL(base).host} sent an answer that is not JSON (it begins "<html>Service Unavailable</html>").`,
      },
    });
  });

  test('JSON of the wrong shape names what is missing', async () => {
    const result = await get('/wrong-shape');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error.message, /unexpected answer: no "version" field\.$/);
  });

  test('403 is unauthorized and carries the server message', async () => {
    const result = await get('/unauthorized');
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unauthorized');
    assert.equal(result.error.status, 403);
    assert.match(result.error.message, /refused the credentials \(403\): Action is not authorized/);
  });

  test('a plain-text 500 keeps its text', async () => {
    const result = await get('/server-error');
    assert.ok(!result.ok);
    assert.deepEqual([result.error.kind, result.error.status], ['http', 500]);
    assert.match(result.error.message, /answered 500: Internal Server Error$/);
  });

  test('a dropped connection says so', async () => {
    const result = await get('/drop');
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unreachable');
    assert.match(result.error.message, /dropped the connection/);
  });

  test('a body cut short is not taken for an answer', async () => {
    const result = await get('/truncate');
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unreachable');
  });

  test('no answer within the timeout is a timeout', async () => {
    const result = await get('/hang');
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'timeout');
    assert.match(result.error.message, /^JupyterHub at 127\.0\.0\.1:\d+ did not answer within 0\.5 s\.$/);
  });

  test('the caller cancelling is reported as cancelled, not as an error', async () => {
    const controller = new AbortController();
    const pending = get('/hang', { signal: controller.signal });
    controller.abort();
    const result = await pending;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'cancelled');
  });

  test('a refused connection asks whether the service runs', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await http.json(`http://127.0.0.1:${port}/`, { service: 'Triton', signal }, version);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unreachable');
    assert.match(result.error.message, /^Triton at 127\.0\.0\.1:\d+ refused the connection/);
  });

  test('the hub API sends the token as "Authorization: token"', async () => {
    const result = await http.json(
      `${base}/echo-auth`,
      { service: 'x', signal, headers: { authorization: 'token abc' } },
      (b) => b,
    );
    assert.deepEqual(result, { ok: true, value: { authorization: 'token abc' } });
  });

  test('a hub 1.x user model without "servers" still yields the default server', async () => {
    const hub = new HubApi(http, base, 'tok');
    const result = await hub.currentUser(signal);
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      kind: 'user',
      name: 'bob',
      admin: false,
      servers: [{ name: '', ready: true, pending: undefined, url: '/user/bob/' }],
    });
  });

  test('an unreadable CA file is reported when the client is created', async () => {
    const created = await FacilityHttp.create({ timeoutMs: 1000, caFile: '/nonexistent/ca.pem' });
    assert.ok(!created.ok);
    assert.match(created.error.message, /certificate authority file \/nonexistent\/ca\.pem cannot be read: ENOENT/);
  });
});
