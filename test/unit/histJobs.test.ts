import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { HistWorker } from '../../client/src/hist/histWorkerClient';
import { listingItems, parsePick } from '../../client/src/hist/listing';
import { histogramSamples } from '../../client/src/hist/samples';
import { testdataDir } from '../support/testdata';

// The extension's side of the histogram engine: the bundled worker thread (dist/histWorker.js, as shipped), samples
// of several files on one binning, and the rows of a file editor.
const root = resolve(__dirname, '..', '..', '..');
const data = join(testdataDir(), 'root');
const hzz = join(data, 'uproot-HZZ.root');
const hzzZstd = join(data, 'uproot-HZZ-zstd.root');

describe('the histogram worker thread', () => {
  const worker = new HistWorker(join(root, 'dist', 'histWorker.js'));
  const bin = (...args: Parameters<HistWorker['histogram']>) => worker.histogram(...args);
  after(() => worker.dispose());

  test('two files of one sample are one dataset: the bins add up on a shared binning', async () => {
    const options = { column: 'Muon_Px', tree: 'events', bins: 20 };
    const single = await histogramSamples(bin, [{ name: 'one', files: [hzz] }], options);
    const both = await histogramSamples(bin, [{ name: 'two', files: [hzz, hzzZstd] }], options);
    assert.ok(single.ok && both.ok, !single.ok ? single.error.message : !both.ok ? both.error.message : '');
    assert.ok(single.value.kind === '1d' && both.value.kind === '1d');
    assert.deepEqual(both.value.edges, single.value.edges);
    const [one] = single.value.series;
    const [two] = both.value.series;
    assert.deepEqual(
      two.values,
      one.values.map((v) => 2 * v),
    );
    assert.equal(two.entries, 2 * one.entries);
    assert.ok(Math.abs((two.mean ?? NaN) - (one.mean ?? NaN)) < 1e-9);
  });

  test('a sample whose file lacks the column names that file', async () => {
    const result = await histogramSamples(
      bin,
      [
        { name: 'HZZ', files: [hzz] },
        { name: 'Zmumu', files: [join(data, 'uproot-Zmumu.root')] },
      ],
      { column: 'E1', tree: 'events', bins: 10 },
    );
    // HZZ has no branch E1: the message names the file that lacks it.
    assert.ok(!result.ok);
    assert.match(result.error.message, /uproot-HZZ\.root/);
  });

  test('a stored histogram is read, and a missing file is a clear message', async () => {
    const stored = await worker.stored(join(data, 'uproot-histograms.root'), 'one');
    assert.ok(stored.ok, stored.ok ? '' : stored.error.message);
    assert.equal(stored.value.kind, '1d');
    const missing = await worker.list(join(data, 'no-such-file.root'));
    assert.ok(!missing.ok);
    assert.match(missing.error.message, /no-such-file\.root/);
  });

  test('a job cancelled before it starts says so without running', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await worker.histogram(hzz, { column: 'Muon_Px', tree: 'events' }, { signal: controller.signal });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'cancelled');
  });

  test('a cancel during the fill stops the job', async () => {
    const controller = new AbortController();
    const result = await worker.histogram(
      join(data, 'nanoAOD_2015_CMS_Open_Data_ttbar.root'),
      { column: 'Jet_pt', tree: 'Events' },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    // The engine checks the signal between chunks; a job that finished before the first check is also honest.
    if (!result.ok) assert.equal(result.error.kind, 'cancelled');
    else assert.ok(result.value.kind === '1d');
  });
});

describe('a worker that dies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-worker-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('fails its jobs with a message, and a new worker takes the next job', async () => {
    const script = join(dir, 'dies.js');
    writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const worker = new HistWorker(script);
    const first = await worker.list('/anything');
    assert.ok(!first.ok);
    assert.match(first.error.message, /stopped \(exit code 3\)/);
    const second = await worker.list('/anything');
    assert.ok(!second.ok);
    worker.dispose();
  });
});

describe('the rows of a file editor', () => {
  test('ids made for rows read back, and anything else is refused', () => {
    const items = listingItems({
      format: 'parquet',
      info: {
        rows: 3,
        rowGroups: 1,
        columns: [
          { name: 'pt', physicalType: 'DOUBLE', jagged: false, rows: 3 },
          { name: 'label', physicalType: 'BYTE_ARRAY', logicalType: 'STRING', jagged: false, rows: 3 },
        ],
      },
    });
    const pt = items.find((i) => i.label === 'pt');
    assert.ok(pt?.pickable);
    assert.deepEqual(parsePick(pt.id), { kind: 'column', column: 'pt' });
    assert.equal(items.find((i) => i.label === 'label')?.pickable, false);
    assert.equal(parsePick('../../etc/passwd'), undefined);
    assert.equal(parsePick('column\u0000\u0000'), undefined);
    assert.deepEqual(parsePick('stored\u0000h1'), { kind: 'stored', name: 'h1' });
  });
});
