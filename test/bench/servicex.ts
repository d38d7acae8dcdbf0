import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { FacilityHttp } from '../../client/src/facility/http';
import { ServiceXClient } from '../../client/src/servicex/client';
import { downloadFile } from '../../client/src/servicex/download';
import { startSimulator } from '../support/simulator';
import { idleVisibleHidden } from './idle';
import { printTable, type Row } from './report';

const TRANSFORMS = 10_000;
const DOWNLOAD_BYTES = 200 * 1024 * 1024;

/** A loopback server answering the transform list with TRANSFORMS records and one large object. */
async function startFixture(): Promise<{ base: string; close(): Promise<void> }> {
  const requests = Array.from({ length: TRANSFORMS }, (_, i) => ({
    request_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    title: `sample ${i}`,
    did: `rucio://mc:sample_${i}`,
    selection: "(call Select (call EventDataset) (lambda (list e) (attr e 'pt')))",
    'code-gen-image': 'sslhep/servicex_code_gen_raw_uproot:v1.5',
    'result-format': 'parquet',
    'result-destination': 'object-store',
    status: i % 7 === 0 ? 'Running' : 'Complete',
    files: 20,
    'files-completed': i % 7 === 0 ? 7 : 20,
    'files-failed': 0,
    'files-remaining': i % 7 === 0 ? 13 : 0,
    'submit-time': new Date(1_790_000_000_000 + i * 60_000).toISOString(),
    'finish-time': i % 7 === 0 ? 'None' : new Date(1_790_000_000_000 + i * 60_000 + 30_000).toISOString(),
  }));
  const list = Buffer.from(JSON.stringify({ requests }));
  const object = Buffer.alloc(DOWNLOAD_BYTES, 7);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/servicex/transformation')) {
      res.setHeader('Content-Type', 'application/json');
      res.end(list);
    } else {
      res.setHeader('Content-Length', String(object.length));
      res.end(object);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function listRows(http: FacilityHttp, base: string): Promise<Row> {
  const client = new ServiceXClient(http, { url: base });
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    const listed = await client.listTransforms(new AbortController().signal);
    if (!listed.ok || listed.value.length !== TRANSFORMS) throw new Error('the list did not parse');
    [...listed.value].sort((a, b) => (b.submitTime ?? '').localeCompare(a.submitTime ?? ''));
    best = Math.min(best, performance.now() - start);
  }
  return { what: `${TRANSFORMS} transforms fetched, read and sorted for the first render`, ours: best, unit: 'ms' };
}

async function downloadRows(http: FacilityHttp, base: string): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-bench-dl-'));
  const url = `${base}/bucket/result.parquet`;
  let ours = Infinity;
  let plain = Infinity;
  try {
    for (let round = 0; round < 3; round++) {
      let start = performance.now();
      const done = await downloadFile(http, {
        url,
        folder: join(dir, `ours${round}`),
        objectName: 'result.parquet',
        size: DOWNLOAD_BYTES,
        shorten: false,
        signal: new AbortController().signal,
      });
      if (!done.ok) throw new Error(done.error.message);
      ours = Math.min(ours, performance.now() - start);
      start = performance.now();
      const target = join(dir, `plain${round}.parquet`);
      const response = await request(url);
      await pipeline(response.body, createWriteStream(target));
      if (statSync(target).size !== DOWNLOAD_BYTES) throw new Error('the plain copy is short');
      plain = Math.min(plain, performance.now() - start);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = DOWNLOAD_BYTES / 1024 / 1024;
  // Throughput, so that above 1 means faster: the reference is the plain streaming copy (target at least 0.9 of it).
  return {
    what: `download of ${mb} MB, MB/s, ours vs a plain streaming copy (target ratio ≤ 1.1)`,
    ours: mb / (ours / 1000),
    reference: mb / (plain / 1000),
    unit: 'MB/s',
  };
}

/** Idle requests per minute of the Datasets view, visible (transforms and datasets expanded) and hidden. */
async function idleRows(): Promise<Row[]> {
  const sim = await startSimulator({ own: true, hub: false, dask: false });
  try {
    const profile = { name: 'bench', hubUrl: sim.hub1.url, servicexUrl: sim.servicex, allowHttp: true };
    const count = async () => Object.values(await sim.requestCounts('servicex')).reduce((sum, n) => sum + n, 0);
    const clients = new WeakMap<object, ServiceXClient>();
    const { visible, hidden } = await idleVisibleHidden({
      profile,
      token: sim.hub1.token,
      count,
      render: async (facility, _snapshot, signal) => {
        // One client per facility, as the extension keeps one per endpoint, so its access token is reused.
        const client =
          clients.get(facility) ??
          new ServiceXClient(facility.http, { url: sim.servicex, refreshToken: sim.servicexRefreshToken });
        clients.set(facility, client);
        await client.listTransforms(signal);
        await client.datasets(signal);
      },
    });
    return [
      { what: 'idle ServiceX requests/min, Datasets view visible', ours: visible, unit: '' },
      { what: 'idle ServiceX requests/min, Datasets view hidden (must be 0)', ours: hidden, unit: '' },
    ];
  } finally {
    await sim.stop();
  }
}

/**
 * `npm run bench -- servicex`: the data behind the Datasets view's first render with 10,000 transforms, download
 * throughput of a 200 MB result against a plain streaming copy of the same URL, and idle requests per minute.
 */
export async function benchServicex(): Promise<void> {
  const fixture = await startFixture();
  const created = await FacilityHttp.create({ timeoutMs: 120_000 });
  if (!created.ok) throw new Error(created.error.message);
  const rows: Row[] = [];
  try {
    rows.push(await listRows(created.value, fixture.base));
    rows.push(await downloadRows(created.value, fixture.base));
  } finally {
    await created.value.close();
    await fixture.close();
  }
  rows.push(...(await idleRows()));
  printTable('ServiceX', rows);
}
