import * as assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FacilityHttp } from '../../client/src/facility/http';

/** A plain HTTP server on a loopback port it picks, and a FacilityHttp to call it; `close` stops both. */
export interface LoopbackHttp {
  readonly base: string;
  readonly http: FacilityHttp;
  close(): Promise<void>;
}

export async function startLoopbackHttp(handler: RequestListener, timeoutMs: number): Promise<LoopbackHttp> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const created = await FacilityHttp.create({ timeoutMs });
  assert.ok(created.ok);
  const http = created.value;
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    http,
    close: async () => {
      await http.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
