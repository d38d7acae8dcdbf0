import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { selfSignedLoopbackCert } from '../support/selfSigned';
import { FacilityHttp } from '../../client/src/facility/http';

// A real HTTPS server with a certificate from a private CA, as some facilities have.
describe('TLS trust per facility', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-tls-'));
  let server: Server;
  let url: string;
  const signal = new AbortController().signal;
  const get = async (settings: { caFile?: string; tlsVerify?: boolean }) => {
    const http = await FacilityHttp.create({ timeoutMs: 5000, ...settings });
    assert.ok(http.ok);
    try {
      return await http.value.json(url, { service: 'ServiceX', signal }, (b) => b);
    } finally {
      await http.value.close();
    }
  };

  before(async () => {
    const { key, cert: certPem } = selfSignedLoopbackCert(dir);
    server = createServer({ key, cert: certPem }, (_req, res) => res.end('{"ok": true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/servicex`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  test('an unknown certificate authority is refused with advice', async () => {
    const result = await get({});
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'tls');
    assert.match(
      result.error.message,
      /cannot be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Add the facility's CA file/,
    );
  });

  test('the facility CA file makes it trusted', async () => {
    assert.deepEqual(await get({ caFile: join(dir, 'cert.pem') }), { ok: true, value: { ok: true } });
  });

  test('turning verification off for the facility is honoured', async () => {
    assert.deepEqual(await get({ tlsVerify: false }), { ok: true, value: { ok: true } });
  });
});
