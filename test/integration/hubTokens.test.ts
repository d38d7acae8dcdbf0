import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import { HubApi } from '../../client/src/facility/hub';
import {
  createExtensionToken,
  EXTENSION_TOKEN_LIFETIME_SECONDS,
  extensionTokenNote,
  renewExtensionToken,
  shouldRenew,
} from '../../client/src/facility/hubTokens';
import { startSimulator, type Simulator } from '../support/simulator';

// The extension's own hub token against the real JupyterHub 3.0 the simulator starts: created with alice's token,
// listed with its note and expiry, renewed (the old one revoked), and refused for a bad token without echoing it.
describe('extension tokens on a real hub', () => {
  let sim: Simulator;
  let http: FacilityHttp;
  let hubUrl: string;
  let alice: HubApi;
  const signal = new AbortController().signal;
  const created: string[] = [];
  const hostname = 'test-host.example';

  before(async () => {
    sim = await startSimulator({ dask: false });
    assert.ok('userToken' in sim.hub, `the real hub is needed: ${'unavailable' in sim.hub ? sim.hub.unavailable : ''}`);
    hubUrl = sim.hub.url;
    const opened = await FacilityHttp.create({ timeoutMs: 20_000 });
    assert.ok(opened.ok);
    http = opened.value;
    alice = new HubApi(http, hubUrl, sim.hub.userToken);
  });

  after(async () => {
    // Tokens this file created are revoked with alice's own token, so that other tests see the hub as they expect.
    for (const id of created) await alice?.deleteToken('alice', id, signal);
    await http?.close();
    await sim?.stop();
  });

  test('creates a token with the note, an expiry and the scopes, which then signs in as alice', async () => {
    const before = Date.now();
    const token = await createExtensionToken(alice, 'alice', hostname, signal);
    assert.ok(token.ok, token.ok ? '' : token.error.message);
    created.push(token.value.model.id);
    assert.equal(token.value.model.note, extensionTokenNote(hostname));
    assert.equal(token.value.model.note, 'Coffea-Casa for VS Code on test-host.example');
    assert.ok(token.value.model.expiresAt);
    const lifetime = Date.parse(token.value.model.expiresAt) - before;
    assert.ok(Math.abs(lifetime / 1000 - EXTENSION_TOKEN_LIFETIME_SECONDS) < 120, `lifetime ${lifetime} ms`);
    assert.ok(token.value.model.scopes?.includes('tokens!user=alice'), token.value.model.scopes?.join(' '));
    assert.ok(!shouldRenew(token.value.model.expiresAt, new Date(), token.value.model.created));

    const own = await new HubApi(http, hubUrl, token.value.secret).currentUser(signal);
    assert.ok(own.ok, own.ok ? '' : own.error.message);
    assert.equal(own.value.name, 'alice');
    assert.ok(
      own.value.servers.some((s) => s.name === '' && s.ready),
      'the token reads alice’s servers',
    );

    const listed = await alice.listTokens('alice', signal);
    assert.ok(listed.ok, listed.ok ? '' : listed.error.message);
    const entry = listed.value.find((t) => t.id === token.value.model.id);
    assert.equal(entry?.note, 'Coffea-Casa for VS Code on test-host.example');
    assert.equal(entry?.expiresAt, token.value.model.expiresAt);
    assert.ok(!JSON.stringify(listed.value).includes(token.value.secret), 'a listing never holds a secret');
  });

  test('renewal creates a new token with the old one and revokes the old one', async () => {
    const first = await createExtensionToken(alice, 'alice', hostname, signal);
    assert.ok(first.ok, first.ok ? '' : first.error.message);
    created.push(first.value.model.id);
    const old = new HubApi(http, hubUrl, first.value.secret);

    const renewed = await renewExtensionToken(old, 'alice', first.value.model.id, hostname, signal);
    assert.ok(renewed.ok, renewed.ok ? '' : renewed.error.message);
    created.push(renewed.value.model.id);
    assert.notEqual(renewed.value.model.id, first.value.model.id);
    assert.equal(renewed.value.oldDeleted, true);

    const fresh = await new HubApi(http, hubUrl, renewed.value.secret).currentUser(signal);
    assert.ok(fresh.ok && fresh.value.name === 'alice');
    const stale = await old.currentUser(signal);
    assert.ok(!stale.ok);
    assert.equal(stale.error.kind, 'unauthorized');
    assert.equal(stale.error.status, 403);

    const listed = await alice.listTokens('alice', signal);
    assert.ok(listed.ok);
    const ids = listed.value.map((t) => t.id);
    assert.ok(ids.includes(renewed.value.model.id) && !ids.includes(first.value.model.id), ids.join(' '));
  });

  test('a bad token cannot create one, and the message does not contain it', async () => {
    const bad = 'bad-token-0123456789abcdef';
    const refused = await createExtensionToken(new HubApi(http, hubUrl, bad), 'alice', hostname, signal);
    assert.ok(!refused.ok);
    assert.equal(refused.error.kind, 'unauthorized');
    assert.ok(!refused.error.message.includes(bad), refused.error.message);
  });

  test('deleting a token that is gone answers notFound, as the best-effort revocation expects', async () => {
    const gone = await alice.deleteToken('alice', 'a999999', signal);
    assert.ok(!gone.ok);
    assert.equal(gone.error.kind, 'notFound');
  });
});
