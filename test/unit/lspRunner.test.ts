import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { runSafe } from '../../server/src/runner';

// The server's one policy for cancellation and failure.
describe('runSafe', () => {
  const logged: string[] = [];
  const log = { error: (message: string) => logged.push(message) };

  test('returns what the work returns', async () => {
    assert.equal(await runSafe(log, 'Adding', 0, () => 1 + 1), 2);
    assert.equal(await runSafe(log, 'Adding later', 0, () => Promise.resolve(3)), 3);
  });

  test('does not start work whose token is already cancelled', async () => {
    const source = new CancellationTokenSource();
    source.cancel();
    let ran = false;
    const result = await runSafe(log, 'Checking', 'fallback', () => ((ran = true), 'done'), source.token);
    assert.deepEqual([result, ran], ['fallback', false]);
  });

  test('drops the result of work cancelled while it ran', async () => {
    const source = new CancellationTokenSource();
    const result = await runSafe(log, 'Checking', 'fallback', () => (source.cancel(), 'stale'), source.token);
    assert.equal(result, 'fallback');
  });

  test('logs an exception with its stack and returns the fallback', async () => {
    logged.length = 0;
    const result = await runSafe(log, 'Checking file:///a.yaml', [], () => {
      throw new Error('boom');
    });
    assert.deepEqual(result, []);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /^Checking file:\/\/\/a\.yaml failed: boom\nError: boom\n {4}at /);
    assert.equal(await runSafe(log, 'Rejecting', 'safe', () => Promise.reject(new Error('later'))), 'safe');
  });
});
