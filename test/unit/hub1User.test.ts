import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HubApi } from '../../client/src/facility/hub';
import { startLoopbackHttp, type LoopbackHttp } from '../support/loopbackHttp';

// `HubApi.currentUser` on hub 1.x, whose `GET /user` answers `"servers": null` (jupyterhub 1.5.0
// apihandlers/users.py SelfAPIHandler): the servers come from `GET /users/{name}`, and a failure there is not hidden.
describe('the current user on a hub 1.x', () => {
  let loopback: LoopbackHttp;
  let hub: HubApi;
  const signal = new AbortController().signal;
  let self: unknown;
  let user: (res: ServerResponse) => void;
  let asked: string[];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  before(async () => {
    loopback = await startLoopbackHttp((req: IncomingMessage, res: ServerResponse) => {
      asked.push(req.url ?? '');
      if (req.url === '/hub/api/user') return json(res, 200, self);
      if (req.url === '/hub/api/users/bob') return user(res);
      json(res, 404, { status: 404, message: 'Not Found' });
    }, 2000);
    hub = new HubApi(loopback.http, loopback.base, 'tok');
  });

  beforeEach(() => {
    asked = [];
    self = { kind: 'user', name: 'bob', admin: false, server: '/user/bob/', pending: null, servers: null };
  });

  after(() => loopback.close());

  test('the servers come from GET /users/{name}', async () => {
    user = (res) =>
      json(res, 200, {
        ...(self as object),
        servers: {
          '': { name: '', ready: true, pending: null, url: '/user/bob/', started: '2026-11-25T06:00:00.000000Z' },
          gpu: { name: 'gpu', ready: false, pending: 'spawn', url: '/user/bob/gpu/', started: null },
        },
      });
    const result = await hub.currentUser(signal);
    assert.deepEqual(result, {
      ok: true,
      value: {
        kind: 'user',
        name: 'bob',
        admin: false,
        servers: [
          {
            name: '',
            ready: true,
            pending: undefined,
            url: '/user/bob/',
            started: '2026-11-25T06:00:00.000000Z',
            lastActivity: undefined,
          },
          {
            name: 'gpu',
            ready: false,
            pending: 'spawn',
            url: '/user/bob/gpu/',
            started: undefined,
            lastActivity: undefined,
          },
        ],
      },
    });
    assert.deepEqual(asked, ['/hub/api/user', '/hub/api/users/bob']);
  });

  test('a failure of GET /users/{name} is the result, with the hub’s message', async () => {
    user = (res) => json(res, 503, { status: 503, message: 'Service Unavailable' });
    const result = await hub.currentUser(signal);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'http');
    assert.match(result.error.message, /answered 503: Service Unavailable$/);
  });

  test('a model that lists its servers, or a service, needs no second request', async () => {
    self = { kind: 'user', name: 'bob', admin: false, server: null, pending: null, servers: {} };
    assert.deepEqual(await hub.currentUser(signal), {
      ok: true,
      value: { kind: 'user', name: 'bob', admin: false, servers: [] },
    });
    self = { kind: 'service', name: 'sim-admin', admin: true };
    const service = await hub.currentUser(signal);
    assert.ok(service.ok);
    assert.equal(service.value.kind, 'service');
    assert.deepEqual(asked, ['/hub/api/user', '/hub/api/user']);
  });
});
