import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAge, formatBytes, plural } from '../../client/src/trees/format';

describe('view formatting', () => {
  test('bytes in binary units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(2147483648), '2.0 GiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(50 * 1024 ** 3), '50 GiB');
  });

  test('ages relative to now', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    assert.equal(formatAge('2026-11-24T11:59:30Z', now), 'just now');
    assert.equal(formatAge('2026-11-24T11:55:00.123456Z', now), '5 min ago');
    assert.equal(formatAge('2026-11-24T09:00:00Z', now), '3 h ago');
    assert.equal(formatAge('2026-11-20T12:00:00Z', now), '4 d ago');
    assert.equal(formatAge('not a date', now), undefined);
    assert.equal(formatAge(undefined, now), undefined);
  });

  test('plurals', () => {
    assert.equal(plural(1, 'worker'), '1 worker');
    assert.equal(plural(2, 'thread'), '2 threads');
  });
});
