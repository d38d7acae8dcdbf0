import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { selfSignedLoopbackCert } from '../support/selfSigned';
import { KernelAPI } from '@jupyterlab/services';
import { WebSocketServer } from 'ws';
import { describeJupyterFailure, serverSettings, type JupyterTls } from '../../client/src/remote/jupyterConnection';

// A real HTTPS server with a certificate from a private CA, standing in for a facility's Jupyter server: the REST
// calls and the websockets must both honour the profile's caFile and tlsVerify, as FacilityHttp does.
describe('TLS trust for Jupyter connections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-jupyter-tls-'));
  const cert = join(dir, 'cert.pem');
  let server: Server;
  let sockets: WebSocketServer;
  let hubUrl: string;
  const seenAuth: string[] = [];

  before(async () => {
    const { key, cert: certPem } = selfSignedLoopbackCert(dir);
    server = createServer({ key, cert: certPem }, (req, res) => {
      seenAuth.push(req.headers.authorization ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end(
        req.url?.startsWith('/user/alice/api/kernels')
          ? '[{"id":"k1","name":"python3","last_activity":"","execution_state":"idle","connections":0}]'
          : '{}',
      );
    });
    sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket) => socket.send('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    hubUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(async () => {
    for (const client of sockets.clients) client.terminate();
    await new Promise((resolve) => sockets.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const list = (tls?: JupyterTls) => KernelAPI.listRunning(serverSettings(hubUrl, '/user/alice/', 'secret-token', tls));

  /** Opens a websocket with the settings' constructor; resolves with the first message or rejects with the error. */
  const greet = (tls?: JupyterTls) =>
    new Promise<string>((resolve, reject) => {
      const settings = serverSettings(hubUrl, '/user/alice/', 'secret-token', tls);
      const socket = new settings.WebSocket(`${settings.wsUrl}api/kernels/k1/channels`);
      socket.onmessage = (event) => {
        resolve(String(event.data));
        socket.close();
      };
      socket.onerror = (event) => reject(new Error(String((event as unknown as { message?: string }).message)));
    });

  test('REST calls are trusted with the CA file and send the token as a header', async () => {
    const kernels = await list({ caFile: cert });
    assert.deepEqual(
      kernels.map((k) => k.id),
      ['k1'],
    );
    assert.equal(seenAuth.at(-1), 'token secret-token');
  });

  test('REST calls are refused without the CA file, with a message that keeps the token out', async () => {
    const failure = await list().then(
      () => assert.fail('an unknown CA was accepted'),
      (error: unknown) => describeJupyterFailure(error),
    );
    assert.match(failure, /could not be reached/);
    assert.doesNotMatch(failure, /secret-token/);
  });

  test('REST calls are accepted with tlsVerify false', async () => {
    assert.equal((await list({ tlsVerify: false })).length, 1);
  });

  test('an unreadable CA file is named in the failure', async () => {
    const failure = await list({ caFile: join(dir, 'missing.pem') }).then(
      () => assert.fail('a missing CA file was ignored'),
      (error: unknown) => describeJupyterFailure(error),
    );
    assert.match(failure, /missing\.pem cannot be read \(ENOENT\)/);
  });

  test('websockets are trusted with the CA file, refused without, accepted with tlsVerify false', async () => {
    assert.equal(await greet({ caFile: cert }), 'hello');
    await assert.rejects(greet(), /certificate/);
    assert.equal(await greet({ tlsVerify: false }), 'hello');
  });
});
