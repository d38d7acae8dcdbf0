import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostOf, isLoopbackHost, joinUrl, redact } from '../../client/src/facility/urls';

describe('urls', () => {
  test('joinUrl keeps a base path and never doubles slashes', () => {
    assert.equal(joinUrl('https://af.org/prefix/', '/hub/api'), 'https://af.org/prefix/hub/api');
    assert.equal(joinUrl('https://af.org', 'servicex'), 'https://af.org/servicex');
  });

  test('loopback hosts', () => {
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('127.10.0.3'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('LOCALHOST'), true);
    assert.equal(isLoopbackHost('127.0.0.1.example.org'), false);
    assert.equal(isLoopbackHost('coffea.casa'), false);
  });

  test('redact removes tokens in headers, query strings, URLs and JWTs', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const text = `Authorization: token abc123 url https://u:secret@af.org/x?token=def456&x=1 jwt ${jwt}`;
    const clean = redact(text);
    for (const secret of ['abc123', 'secret', 'def456', jwt])
      assert.ok(!clean.includes(secret), `${secret} leaked: ${clean}`);
    assert.match(clean, /x=1/);
  });

  test('hostOf', () => {
    assert.equal(hostOf('http://127.0.0.1:8000/hub'), '127.0.0.1:8000');
    assert.equal(hostOf('not a url'), 'not a url');
  });
});
