import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';

// The bundled server, spoken to over stdio with the real JSON-RPC framing the client uses.
describe('the language server bundle', () => {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();

  after(() => {
    connection.dispose();
    child.kill();
  });

  test('answers initialize with its name and incremental sync', async () => {
    const result = await connection.sendRequest<{
      capabilities: { textDocumentSync: number };
      serverInfo: { name: string };
    }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(result.serverInfo.name, 'coffea-casa-servicex');
    assert.equal(result.capabilities.textDocumentSync, 2);
  });

  test('shuts down and exits when asked', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
