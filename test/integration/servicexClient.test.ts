// The typed ServiceX client against the simulated ServiceX: the whole transform lifecycle, both server generations,
// token renewal and every download fault. A private simulator, because these tests move its clock, switch its server
// generation and rotate its refresh token; each test that changes such state puts it back.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import type { Result } from '../../client/src/facility/result';
import { ServiceXClient } from '../../client/src/servicex/client';
import { downloadResults, type ResultsDownload } from '../../client/src/servicex/download';
import type { TransformRecord } from '../../client/src/servicex/records';
import { useServicexSimulator } from '../support/servicexSimulator';
import type { Simulator } from '../support/simulator';
import { testdataDir } from '../support/testdata';

const ROOT_TESTDATA = join(testdataDir(), 'root');
const STORE_ROUTE = 'GET /{bucket}/{object}';

let sim: Simulator;
let http: FacilityHttp;
let client: ServiceXClient;
let scratch: string;
const signal = new AbortController().signal;

useServicexSimulator('servicex-client-', (fixture) => {
  ({ sim, http, client, scratch } = fixture);
});

async function control(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.control}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(result.error.message);
  return result.value;
}

function submitBody(did: string, format = 'parquet'): Record<string, unknown> {
  return {
    title: `test ${did}`,
    did,
    selection: "(call Select (call EventDataset) (lambda (list e) (attr e 'mu_pt')))",
    codegen: 'uproot',
    'result-destination': 'object-store',
    'result-format': format,
  };
}

/** Steps the simulated clock until the transform is done, recording every status seen. */
async function runToEnd(requestId: string): Promise<{ record: TransformRecord; seen: string[] }> {
  const seen: string[] = [];
  for (;;) {
    const record = value(await client.transform(requestId, signal));
    if (seen.at(-1) !== record.status) seen.push(record.status);
    if (['Complete', 'Fatal', 'Canceled', 'Bad Dataset'].includes(record.status)) return { record, seen };
    await control('/servicex/clock', { advanceSeconds: 0.1 });
  }
}

async function submitAndFinish(did: string, format = 'parquet') {
  const id = value(await client.submit(submitBody(did, format), signal));
  return { id, ...(await runToEnd(id)) };
}

async function folder(name: string): Promise<string> {
  return mkdtemp(join(scratch, `${name}-`));
}

async function download(id: string, into: string): Promise<Result<ResultsDownload>> {
  return downloadResults(client, http, id, into, { shorten: true, signal });
}

async function storeCount(): Promise<number> {
  return (await sim.requestCounts('servicexStore'))[STORE_ROUTE] ?? 0;
}

describe('feature detection', () => {
  test('a current server lists its capabilities and codegens', async () => {
    const features = value(await client.features(signal));
    assert.equal(features.resultsListing, true);
    assert.equal(features.fileUrls, true);
    assert.ok('uproot' in features.codegens);
  });
});

describe('the transform lifecycle', () => {
  test('submit, run to Complete, download Parquet results byte for byte', async () => {
    const { id, record, seen } = await submitAndFinish('rucio://sim:hzz');
    assert.deepEqual(seen, ['Submitted', 'Lookup', 'Running', 'Complete']);
    assert.equal(record.files, 4);
    assert.equal(record.filesCompleted, 4);
    assert.ok(record.finishTime, 'a finished transform has a finish time');
    const into = await folder('parquet');
    const got = value(await download(id, into));
    assert.equal(got.files.length, 4);
    assert.equal(got.failedFiles, 0);
    const urls = value(
      await client.fileUrls(
        id,
        value(await client.results(id, signal)).map((r) => r.objectName),
        signal,
      ),
    );
    // hyparquet is ESM only; the tests are CommonJS.
    const { parquetMetadata, parquetSchema } = await import('hyparquet');
    for (const file of got.files) {
      const bytes = await readFile(file.path);
      const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      assert.equal(Number(metadata.num_rows), 500);
      const columns = parquetSchema(metadata).children.map((child) => child.element.name);
      assert.deepEqual(columns, ['event', 'mu_pt', 'mu_eta', 'mu_charge']);
    }
    // Each file equals what its presigned URL serves.
    for (const [name, url] of urls) {
      const served = Buffer.from(await (await fetch(url)).arrayBuffer());
      const local = got.files.find((f) => f.path.endsWith(name.slice(-19)));
      assert.ok(local, `a file for ${name}`);
      assert.deepEqual(await readFile(local.path), served);
    }
    assert.deepEqual(
      (await readdir(into)).filter((n) => n.endsWith('.part')),
      [],
    );
    const again = value(await download(id, into));
    assert.ok(
      again.files.every((f) => !f.transferred),
      'files already there are not fetched again',
    );
  });

  test('ROOT results are the very input files, and "None" finish times read as running', async () => {
    const id = value(await client.submit(submitBody('rucio://sim:zmumu', 'root-file'), signal));
    const running = value(await client.transform(id, signal));
    assert.equal(running.finishTime, undefined);
    const listed = value(await client.listTransforms(signal));
    assert.ok(listed.some((t) => t.requestId === id));
    await runToEnd(id);
    const into = await folder('root');
    const got = value(await download(id, into));
    const expected = ['uproot-Zmumu.root', 'nanoAOD_2015_CMS_Open_Data_ttbar.root'];
    assert.equal(got.files.length, 2);
    for (const source of expected) {
      const original = await readFile(join(ROOT_TESTDATA, source));
      const matches = await Promise.all(got.files.map(async (f) => (await readFile(f.path)).equals(original)));
      assert.ok(matches.includes(true), `${source} arrived unchanged`);
    }
    const status = value(await client.status(id, signal));
    assert.equal(status.status, 'Complete');
    assert.equal(status.filesCompleted, 2);
  });

  test('cancel is a GET, works once, and leaves the transform Canceled', async () => {
    const id = value(await client.submit(submitBody('rucio://sim:hzz'), signal));
    assert.equal(value(await client.cancel(id, signal)), `Canceled transformation request ${id}`);
    const { record } = await runToEnd(id);
    assert.equal(record.status, 'Canceled');
    const again = await client.cancel(id, signal);
    assert.equal(again.ok, false);
    assert.match(again.ok ? '' : again.error.message, /is not in progress/);
  });

  test('a dataset whose every file fails ends Fatal', async () => {
    const { record } = await submitAndFinish('rucio://sim:broken');
    assert.equal(record.status, 'Fatal');
    assert.equal(record.filesFailed, 2);
    assert.ok(record.failureInfo);
  });

  test('a partly failing dataset completes with failures, and only good files are downloaded', async () => {
    const { id, record } = await submitAndFinish('rucio://sim:partly-broken', 'root-file');
    assert.equal(record.status, 'Complete');
    assert.equal(record.filesFailed, 1);
    const got = value(await download(id, await folder('partly')));
    assert.equal(got.files.length, 2);
    assert.equal(got.failedFiles, 1);
  });

  test('an unknown or malformed DID ends Bad Dataset, with the reason on the dataset', async () => {
    const missing = await submitAndFinish('rucio://sim:no-such-dataset');
    assert.equal(missing.record.status, 'Bad Dataset');
    const dataset = value(await client.dataset(missing.record.didId ?? -1, signal));
    assert.equal(dataset.lookupStatus, 'does_not_exist');
    const badName = await submitAndFinish('rucio://no-scope-here');
    assert.equal(badName.record.status, 'Bad Dataset');
    assert.equal(value(await client.dataset(badName.record.didId ?? -1, signal)).lookupStatus, 'bad_name');
  });

  test('a file-list request runs over exactly the listed files', async () => {
    const body = { ...submitBody(''), did: undefined, 'file-list': ['root://eos.example//a/uproot-HZZ.root'] };
    const id = value(await client.submit(body, signal));
    const { record } = await runToEnd(id);
    assert.deepEqual([record.status, record.files, record.filesCompleted], ['Complete', 1, 1]);
    const both = await client.submit({ ...body, did: 'rucio://sim:hzz' }, signal);
    assert.match(both.ok ? '' : both.error.message, /Must provide did or file-list but not both/);
  });

  test('an unknown codegen is refused with the server words', async () => {
    const refused = await client.submit({ ...submitBody('rucio://sim:hzz'), codegen: 'nope' }, signal);
    assert.equal(refused.ok, false);
    assert.equal(refused.ok ? 0 : refused.error.status, 500);
    assert.match(refused.ok ? '' : refused.error.message, /Invalid Codegen Image Passed in Request: nope/);
  });

  test('a running transform cannot be deleted; a finished one can', async () => {
    const id = value(await client.submit(submitBody('rucio://sim:zmumu'), signal));
    const early = await client.deleteTransform(id, signal);
    assert.match(early.ok ? '' : early.error.message, /still in progress/);
    await runToEnd(id);
    assert.match(value(await client.deleteTransform(id, signal)), /has been archived/);
    const gone = await client.transform(id, signal);
    assert.equal(gone.ok ? 0 : gone.error.kind, 'notFound');
    assert.match(gone.ok ? '' : gone.error.message, /Transformation request not found with id/);
  });
});

describe('datasets', () => {
  test('datasets are listed, marked stale once, and hidden unless deleted ones are asked for', async () => {
    await submitAndFinish('rucio://sim:hzz?files=1');
    const listed = value(await client.datasets(signal));
    const one = listed.find((d) => d.name === 'rucio://sim:hzz?files=1');
    assert.ok(one);
    assert.equal(one.files, 1);
    assert.equal(one.lookupStatus, 'complete');
    value(await client.markStale(one.id, signal));
    assert.ok(!value(await client.datasets(signal)).some((d) => d.id === one.id));
    const withDeleted = value(await client.datasets(signal, { showDeleted: true }));
    assert.equal(withDeleted.find((d) => d.id === one.id)?.stale, true);
    const twice = await client.markStale(one.id, signal);
    assert.match(twice.ok ? '' : twice.error.message, /has already been deleted/);
    const byFinder = value(await client.datasets(signal, { didFinder: 'cernopendata' }));
    assert.deepEqual(byFinder, []);
  });
});

describe('an older ServiceX server', () => {
  test('has no capabilities, results, file URLs, datasets or delete, and says so', async () => {
    const finished = await submitAndFinish('rucio://sim:zmumu');
    await control('/servicex/generation', { generation: 'old' });
    try {
      const features = value(await client.features(signal));
      assert.deepEqual(features.capabilities, []);
      assert.equal(features.resultsListing, false);
      assert.equal(features.fileUrls, false);
      for (const [answer, status] of [
        [await client.datasets(signal), 404],
        [await client.results(finished.id, signal), 404],
        [await client.fileUrls(finished.id, ['x'], signal), 405],
        [await client.deleteTransform(finished.id, signal), 405],
      ] as const) {
        assert.equal(answer.ok, false);
        assert.equal(answer.ok ? 0 : answer.error.status, status);
        assert.match(answer.ok ? '' : answer.error.message, /older server/);
      }
      const bad = await submitAndFinish('rucio://sim:no-such-dataset');
      assert.equal(bad.record.status, 'Fatal', 'the 2024 server has no Bad Dataset status');
    } finally {
      await control('/servicex/generation', { generation: 'current' });
    }
  });
});

describe('tokens', () => {
  test('the access token is bought once, renewed 60 s before it expires, and a 401 is retried once', async () => {
    let now = Date.now() / 1000;
    const clocked = new ServiceXClient(http, { url: sim.servicex, refreshToken: sim.servicexRefreshToken }, () => now);
    const refreshes = async () => (await sim.requestCounts('servicex'))['POST /token/refresh'] ?? 0;
    const start = await refreshes();
    value(await clocked.listTransforms(signal));
    value(await clocked.listTransforms(signal));
    assert.equal((await refreshes()) - start, 1, 'one exchange for two calls');
    const exp = clocked.token.expiresAt ?? 0;
    assert.ok(exp - now > 21000, 'a six-hour token');
    now = exp - 61;
    value(await clocked.listTransforms(signal));
    assert.equal((await refreshes()) - start, 1, '61 s before expiry the token is kept');
    now = exp - 59;
    value(await clocked.listTransforms(signal));
    assert.equal((await refreshes()) - start, 2, '59 s before expiry it is renewed');
    now = Date.now() / 1000; // back to real time, where the renewed token has hours left
    await sim.fault({ service: 'servicex', route: 'GET /servicex/transformation', status: 401, times: 1 });
    value(await clocked.listTransforms(signal));
    assert.equal((await refreshes()) - start, 3, 'a 401 buys a new token and the call is repeated');
  });

  test('tokens the server already considers expired fail after exactly one retry', async () => {
    await control('/servicex/access-token-seconds', { seconds: 0 });
    try {
      const fresh = new ServiceXClient(http, { url: sim.servicex, refreshToken: sim.servicexRefreshToken });
      const before = (await sim.requestCounts('servicex'))['GET /servicex/transformation'] ?? 0;
      const answer = await fresh.listTransforms(signal);
      assert.equal(answer.ok ? 0 : answer.error.status, 401);
      assert.match(answer.ok ? '' : answer.error.message, /Token has expired/);
      const afterCount = (await sim.requestCounts('servicex'))['GET /servicex/transformation'] ?? 0;
      assert.equal(afterCount - before, 2);
    } finally {
      await control('/servicex/access-token-seconds', { seconds: 21600 });
    }
  });

  test('an outdated refresh token gets a message naming the profile page, and no token', async () => {
    const outdated = sim.servicexRefreshToken;
    const rotated = (await control('/servicex/rotate-refresh-token', {})) as { refreshToken: string };
    try {
      const stale = new ServiceXClient(http, { url: sim.servicex, refreshToken: outdated });
      const answer = await stale.listTransforms(signal);
      assert.equal(answer.ok ? '' : answer.error.kind, 'unauthorized');
      const message = answer.ok ? '' : answer.error.message;
      assert.ok(message.includes(`${sim.servicex}/profile`), message);
      assert.ok(!message.includes(outdated) && !message.includes(rotated.refreshToken) && !/eyJ/.test(message));
      const renewed = new ServiceXClient(http, { url: sim.servicex, refreshToken: rotated.refreshToken });
      value(await renewed.listTransforms(signal));
    } finally {
      // Later tests use the client built with the first token: make it current again is impossible, so swap it.
      client = new ServiceXClient(http, { url: sim.servicex, refreshToken: rotated.refreshToken });
    }
  });
});

describe('downloads under faults', () => {
  let id: string;
  before(async () => {
    // One file, so that every request the store counts belongs to it.
    id = (await submitAndFinish('rucio://sim:zmumu?files=1', 'root-file')).id;
  });

  async function expectWhole(into: string): Promise<ResultsDownload> {
    const got = value(await download(id, into));
    for (const file of got.files) {
      const original = await readFile(
        join(
          ROOT_TESTDATA,
          file.path.endsWith('ttbar.root') ? 'nanoAOD_2015_CMS_Open_Data_ttbar.root' : 'uproot-Zmumu.root',
        ),
      );
      assert.ok((await readFile(file.path)).equals(original), `${file.path} is byte-identical`);
    }
    assert.deepEqual(
      (await readdir(into)).filter((n) => n.endsWith('.part')),
      [],
    );
    return got;
  }

  test('a connection dropped mid-download resumes from the bytes already written', async () => {
    await sim.fault({ service: 'servicexStore', route: STORE_ROUTE, truncate: true, times: 1 });
    const got = await expectWhole(await folder('dropped'));
    const first = got.files[0];
    assert.equal(first.requests, 2);
    assert.ok(first.resumedBytes > 0, 'the second request asked for the rest only');
  });

  test('a connection refused before any byte, and a 503, are retried', async () => {
    await sim.fault({ service: 'servicexStore', route: STORE_ROUTE, drop: true, times: 1 });
    await sim.fault({ service: 'servicexStore', route: STORE_ROUTE, status: 503, times: 1 });
    const got = await expectWhole(await folder('retried'));
    assert.equal(got.files[0].requests, 3);
  });

  test('a body that ends early is caught by the size check and completed', async () => {
    await control('/servicex/short-downloads', { times: 1 });
    const got = await expectWhole(await folder('short'));
    assert.equal(got.files[0].requests, 2);
  });

  test('a body that keeps ending early fails with nothing left behind', async () => {
    const into = await folder('always-short');
    await control('/servicex/short-downloads', { times: 100 });
    try {
      const before = await storeCount();
      const answer = await download(id, into);
      assert.equal(answer.ok, false);
      assert.match(answer.ok ? '' : answer.error.message, /did not arrive whole after 3 attempts.*of \d+ bytes/);
      assert.equal((await storeCount()) - before, 3);
      assert.deepEqual(await readdir(into), []);
    } finally {
      await control('/servicex/short-downloads', { times: 0 });
    }
  });

  test('a refused object is not retried and leaves nothing', async () => {
    const into = await folder('refused');
    await sim.fault({ service: 'servicexStore', route: STORE_ROUTE, status: 403, times: 1 });
    const before = await storeCount();
    const answer = await download(id, into);
    assert.equal(answer.ok ? 0 : answer.error.status, 403);
    assert.equal((await storeCount()) - before, 1);
    assert.deepEqual(await readdir(into), []);
  });

  test('one refused file among several stops the rest, and no part file remains', async () => {
    const { id: many } = await submitAndFinish('rucio://sim:hzz', 'root-file');
    const into = await folder('one-refused');
    await sim.fault({ service: 'servicexStore', route: STORE_ROUTE, status: 403, times: 1 });
    const answer = await download(many, into);
    assert.equal(answer.ok ? 0 : answer.error.status, 403);
    assert.deepEqual(
      (await readdir(into)).filter((n) => n.endsWith('.part')),
      [],
    );
  });

  test('a 500 from the ServiceX API is reported with its status', async () => {
    await sim.fault({ service: 'servicex', route: 'GET /servicex/transformation/{id}/results', status: 500, times: 1 });
    const answer = await download(id, await folder('api-500'));
    assert.equal(answer.ok ? 0 : answer.error.status, 500);
  });

  test('a slow API answer beyond the timeout is a timeout, not a hang', async () => {
    const quick = value(await FacilityHttp.create({ timeoutMs: 200 }));
    try {
      const impatient = new ServiceXClient(quick, { url: sim.servicex });
      await sim.fault({ service: 'servicex', route: 'GET /servicex', latencyMs: 2000, times: 1 });
      const answer = await impatient.features(signal);
      assert.equal(answer.ok ? '' : answer.error.kind, 'timeout');
    } finally {
      await quick.close();
    }
  });

  test('malicious object names stay inside the download folder', async () => {
    const { id: evil } = await submitAndFinish('rucio://sim:malicious', 'root-file');
    const parent = await folder('malicious');
    const into = join(parent, 'a', 'b');
    const got = value(await download(evil, into));
    assert.deepEqual((await readdir(into)).sort(), ['.._.._.bashrc', '_tmp_sim-escape.root']);
    assert.equal(got.files.length, 2);
    assert.equal(existsSync(join(into, '..', '..', '.bashrc')), false);
    assert.equal(existsSync('/tmp/sim-escape.root'), false);
  });
});
