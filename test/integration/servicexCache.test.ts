// Downloads of complete transforms into the ServiceX Python client's cache layout, against the simulated ServiceX: the
// files land under <cache>/<request id>/, and db.json gets the record a later deliver() in Python looks up by hash.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readLocalCache } from '../../client/src/delivery/localCache';
import { requestHash, transformRequestBody } from '../../client/src/delivery/transformRequest';
import type { Result } from '../../client/src/facility/result';
import { readableSelection } from '../../client/src/servicex/readableSelection';
import { downloadTransform } from '../../client/src/servicex/resultsCache';
import type { TransformRecord } from '../../client/src/servicex/records';
import { useServicexSimulator } from '../support/servicexSimulator';

const fixture = useServicexSimulator('servicex-cache-');
const signal = new AbortController().signal;
const SELECTION = "(call Select (call EventDataset) (lambda (list e) (attr e 'Muon_Px')))";

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(result.error.message);
  return result.value;
}

async function finished(body: Record<string, unknown>): Promise<TransformRecord> {
  const id = value(await fixture.client.submit(body, signal));
  for (;;) {
    const record = value(await fixture.client.transform(id, signal));
    if (['Complete', 'Fatal', 'Canceled', 'Bad Dataset'].includes(record.status)) return record;
    const res = await fetch(`${fixture.sim.control}/servicex/clock`, {
      method: 'POST',
      body: '{"advanceSeconds": 0.2}',
    });
    assert.equal(res.status, 200);
  }
}

describe('downloads into the Python client cache', () => {
  test('the files and a db.json record keyed by the request hash', async () => {
    const body = {
      title: 'HZZ muons',
      did: 'rucio://sim:hzz',
      selection: SELECTION,
      codegen: 'uproot',
      'result-destination': 'object-store',
      'result-format': 'parquet',
    };
    const transform = await finished(body);
    assert.equal(transform.status, 'Complete');
    const cache = join(fixture.scratch, 'cache');
    const features = value(await fixture.client.features(signal));
    const done = value(
      await downloadTransform(fixture.client, fixture.http, transform, features, { cache }, { shorten: false, signal }),
    );
    assert.equal(done.recorded, true, done.note);
    assert.equal(done.folder, join(cache, transform.requestId));
    assert.ok(done.files.length > 0 && done.files.every((f) => f.startsWith(done.folder) && existsSync(f)));

    const contents = await readLocalCache(cache);
    assert.deepEqual(contents.problems, []);
    assert.deepEqual(contents.orphanFolders, []);
    const [record] = contents.records;
    const expected = requestHash(
      transformRequestBody({
        title: 'HZZ muons',
        did: 'rucio://sim:hzz',
        selection: SELECTION,
        codegen: 'uproot',
        resultFormat: 'parquet',
      }),
    );
    assert.equal(record.hash, expected);
    assert.equal(record.requestId, transform.requestId);
    assert.deepEqual([...record.fileList].sort(), [...done.files].sort());
    // The file the Python client reads is JSON with TinyDB's table name.
    const db = JSON.parse(await readFile(join(cache, '.servicex', 'db.json'), 'utf8')) as Record<string, unknown>;
    assert.ok('_default' in db);
  });

  test('a transform that is not complete is refused with its status', async () => {
    const transform = await finished({
      did: 'rucio://sim:broken',
      selection: SELECTION,
      codegen: 'uproot',
      'result-destination': 'object-store',
      'result-format': 'parquet',
    });
    const features = value(await fixture.client.features(signal));
    const result = await downloadTransform(
      fixture.client,
      fixture.http,
      transform,
      features,
      { cache: join(fixture.scratch, 'c2') },
      {
        shorten: false,
        signal,
      },
    );
    assert.ok(!result.ok);
    assert.match(result.error.message, /Fatal/);
    assert.equal(existsSync(join(fixture.scratch, 'c2')), false);
  });

  test('the query shows as func_adl', async () => {
    const readable = await readableSelection(SELECTION);
    assert.equal(readable.language, 'python');
    assert.equal(readable.content, 'Select(EventDataset(), lambda e: e.Muon_Px)\n');
    const raw = await readableSelection('[{"treename": "events"}]');
    assert.equal(raw.language, 'json');
    const source = await readableSelection(Buffer.from('def run(x):\n    return x\n').toString('base64'));
    assert.equal(source.content, 'def run(x):\n    return x\n');
  });
});
