import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeExpiry,
  extensionTokenNote,
  extensionTokenRequest,
  hubSupportsScopes,
  readCreatedToken,
  readTokenList,
  shouldRenew,
  tokenRequestBody,
} from '../../client/src/facility/hubTokens';
import { ShapeError } from '../../client/src/facility/shape';

const DAY = 86_400_000;
const now = new Date('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('when the extension token is renewed', () => {
  test('a token that never expires is never renewed', () => {
    assert.equal(shouldRenew(undefined, now), false);
  });

  test('a 30-day token is renewed in its last three days', () => {
    const created = at(-27 * DAY + 60_000);
    assert.equal(shouldRenew(at(3 * DAY + 60_000), now, created), false);
    assert.equal(shouldRenew(at(3 * DAY - 60_000), now, created), true);
    assert.equal(shouldRenew(at(29 * DAY), now), false, 'without a creation time the three days apply');
    assert.equal(shouldRenew(at(2 * DAY), now), true);
  });

  test('a short-lived token is renewed in the last tenth of its life, not at once', () => {
    assert.equal(shouldRenew(at(30 * 60_000), now, at(-30 * 60_000)), false, 'one-hour token at half-life');
    assert.equal(shouldRenew(at(5 * 60_000), now, at(-55 * 60_000)), true, 'one-hour token with five minutes left');
  });

  test('an expired token is due, and an unreadable date is left alone', () => {
    assert.equal(shouldRenew(at(-DAY), now), true);
    assert.equal(shouldRenew('not a date', now), false);
  });
});

describe('the extension token request', () => {
  test('hubs with scopes get them; hub 1.x gets only the note and the expiry', () => {
    assert.equal(hubSupportsScopes('3.0.0'), true);
    assert.equal(hubSupportsScopes('5.2.1'), true);
    assert.equal(hubSupportsScopes('1.2.0'), false);
    assert.equal(hubSupportsScopes('unknown'), false);
    assert.deepEqual(Object.keys(tokenRequestBody(extensionTokenRequest('1.2.0', 'laptop'))).sort(), [
      'expires_in',
      'note',
    ]);
    const body = tokenRequestBody(extensionTokenRequest('3.0.0', 'laptop'));
    assert.equal(body.note, 'Coffea-Casa for VS Code on laptop');
    assert.equal(body.expires_in, 30 * 86_400);
    assert.ok(Array.isArray(body.scopes) && body.scopes.includes('tokens!user'));
  });

  test('the note keeps only plain host-name characters', () => {
    assert.equal(extensionTokenNote('my<b>host</b>'), 'Coffea-Casa for VS Code on mybhostb');
    assert.equal(extensionTokenNote(''), 'Coffea-Casa for VS Code on this computer');
  });
});

describe('reading token answers', () => {
  test('the creation answer of hub 3.0 gives the model and the secret', () => {
    const created = readCreatedToken({
      user: 'alice',
      id: 'a4',
      kind: 'api_token',
      scopes: ['access:servers!user=alice'],
      created: '2026-11-24T22:00:00Z',
      expires_at: '2026-12-24T22:00:00Z',
      note: 'vscode-ext',
      token: 'secret',
    });
    assert.ok(!(created instanceof ShapeError));
    assert.deepEqual(created.model, {
      id: 'a4',
      note: 'vscode-ext',
      created: '2026-11-24T22:00:00Z',
      expiresAt: '2026-12-24T22:00:00Z',
      scopes: ['access:servers!user=alice'],
    });
    assert.equal(created.secret, 'secret');
  });

  test('an answer without the secret or a list without api_tokens is a shape error', () => {
    assert.ok(readCreatedToken({ id: 'a4' }) instanceof ShapeError);
    assert.ok(readTokenList({ oauth_tokens: [] }) instanceof ShapeError);
    assert.deepEqual(readTokenList({ api_tokens: [{ id: 7, expires_at: null }], oauth_tokens: [] }), [
      { id: '7', note: undefined, created: undefined, expiresAt: undefined },
    ]);
  });

  test('the tooltip says how long is left', () => {
    assert.equal(describeExpiry(at(29 * DAY + 3_600_000), now), 'token expires in 29 days');
    assert.equal(describeExpiry(at(DAY), now), 'token expires in 1 day');
    assert.equal(describeExpiry(at(5 * 3_600_000 + 1), now), 'token expires in 5 hours');
    assert.equal(describeExpiry(at(90_000), now), 'token expires in 1 minute');
    assert.equal(describeExpiry(at(-1), now), 'token has expired');
    assert.equal(describeExpiry(undefined, now), 'token does not expire');
  });
});
