import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HubServer } from '../../client/src/facility/hub';
import {
  offeredServers,
  ServerCatalog,
  serverId,
  startCommands,
  type FacilityServers,
} from '../../client/src/remote/jupyterServers';

const running = (name: string): HubServer => ({
  name,
  ready: true,
  url: name === '' ? '/user/alice/' : `/user/alice/${name}/`,
});

const facility = (name: string, servers: HubServer[], hubUrl = 'https://hub.example.org'): FacilityServers => ({
  facility: name,
  hubUrl,
  user: 'alice',
  servers,
});

describe('servers offered to notebooks', () => {
  test('only running servers with an address, labelled "<facility> · <server>", default server first', () => {
    const offered = offeredServers([
      facility('UNL', [
        running('gpu'),
        { name: 'spawning', ready: false, pending: 'spawn', url: '/user/alice/spawning/' },
        { name: 'stopping', ready: true, pending: 'stop', url: '/user/alice/stopping/' },
        { name: 'nourl', ready: true },
        running(''),
      ]),
    ]);
    assert.deepEqual(
      offered.map((s) => [s.label, s.baseUrl]),
      [
        ['UNL · default server', 'https://hub.example.org/user/alice/'],
        ['UNL · gpu', 'https://hub.example.org/user/alice/gpu/'],
      ],
    );
  });

  test('a hub under a base path keeps it, since the server URL already holds it', () => {
    const [server] = offeredServers([
      facility('CERN', [{ name: '', ready: true, url: '/hub-base/user/alice' }], 'https://x.org/hub-base/'),
    ]);
    assert.equal(server?.baseUrl, 'https://x.org/hub-base/user/alice/');
  });

  test('ids depend on facility and server name only, and names cannot forge one another', () => {
    assert.equal(serverId('UNL', 'gpu'), offeredServers([facility('UNL', [running('gpu')])])[0]?.id);
    assert.notEqual(serverId('a:b', 'c'), serverId('a', 'b:c'));
    const moved = offeredServers([facility('UNL', [running('gpu')], 'https://other.example.org')]);
    assert.equal(moved[0]?.id, serverId('UNL', 'gpu'));
  });

  test('a facility without a running server gets a start command, one with a server does not', () => {
    const commands = startCommands([
      facility('UNL', [running('')]),
      facility('CERN', [{ name: '', ready: false, pending: 'spawn' }]),
      facility('Fermilab', []),
    ]);
    assert.deepEqual(commands, [
      { label: 'Start a server on CERN…', facility: 'CERN' },
      { label: 'Start a server on Fermilab…', facility: 'Fermilab' },
    ]);
  });
});

describe('the server catalog', () => {
  test('tells its listeners only when the set of servers changes', () => {
    const catalog = new ServerCatalog();
    let changes = 0;
    const subscription = catalog.onDidChange(() => changes++);
    assert.equal(catalog.update([facility('UNL', [running('')])]), true);
    // A refresh that brings the same servers, even with new activity times, is not a change.
    assert.equal(catalog.update([facility('UNL', [{ ...running(''), lastActivity: '2026-01-01T00:00:00Z' }])]), false);
    assert.equal(catalog.update([facility('UNL', [running(''), running('gpu')])]), true);
    assert.equal(changes, 2);
    subscription.dispose();
    catalog.update([]);
    assert.equal(changes, 2);
  });

  test('resolves with the token the facility holds now, in a header and not in the URL', () => {
    const catalog = new ServerCatalog();
    catalog.update([facility('UNL', [running('')])]);
    const id = serverId('UNL', '');
    let token = 'first-token';
    assert.deepEqual(
      catalog.resolve(id, () => token),
      {
        baseUrl: 'https://hub.example.org/user/alice/',
        headers: { Authorization: 'token first-token' },
      },
    );
    token = 'renewed-token';
    const info = catalog.resolve(id, () => token);
    assert.equal(info?.headers.Authorization, 'token renewed-token');
    assert.doesNotMatch(info?.baseUrl ?? '', /token/);
  });

  test('a stopped server disappears and no longer resolves; a disconnected facility does not resolve', () => {
    const catalog = new ServerCatalog();
    catalog.update([facility('UNL', [running(''), running('gpu')])]);
    catalog.update([facility('UNL', [running(''), { name: 'gpu', ready: false }])]);
    assert.deepEqual(
      catalog.servers().map((s) => s.label),
      ['UNL · default server'],
    );
    assert.equal(
      catalog.resolve(serverId('UNL', 'gpu'), () => 't'),
      undefined,
    );
    assert.equal(
      catalog.resolve(serverId('UNL', ''), () => undefined),
      undefined,
    );
  });
});
