import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { histogramFile, listFile, readStoredHistogram, type Histogram1D } from '../../server/src/hist';
import { withLocalFile } from '../../server/src/hist/localFile';
import { rootBranches, type RootItem } from '../../server/src/hist/root';
import { cells, numpy, numpyHistogram, ok, ROOT_DATA, scratch } from './histSupport';

// ROOT files through jsroot: the HZZ sample in its four compressions, Zmumu, stored TH1s, nanoAOD and an RNTuple.
const HZZ = ['uproot-HZZ.root', 'uproot-HZZ-lz4.root', 'uproot-HZZ-lzma.root', 'uproot-HZZ-zstd.root'].map((f) =>
  join(ROOT_DATA, f),
);
const folder = scratch('hist-root');
after(() => folder.dispose());

/** The values of branches as our reader flattens them, with the rows each entry had. */
async function branchValues(
  path: string,
  branches: string[],
  tree?: string,
): Promise<{ values: number[][]; rowLengths: number[][] }> {
  return withLocalFile(path, undefined, async (file) => {
    const source = await rootBranches(file, tree, branches, undefined);
    const values: number[][] = branches.map(() => []);
    const rowLengths: number[][] = branches.map(() => []);
    await source.read((chunks) =>
      chunks.forEach((chunk, i) => {
        values[i].push(...chunk.values);
        rowLengths[i].push(...(chunk.rowLengths ?? new Array<number>(chunk.rows).fill(1)));
      }),
    );
    return { values, rowLengths };
  });
}

describe('ROOT TTree branches', () => {
  test('every compression of the HZZ file gives the same bins, for jagged and flat branches', async () => {
    for (const [column, options] of [
      ['Muon_Px', { bins: 30, range: [-100, 100] as const }],
      ['Jet_E', { bins: 25 }],
      ['MET_px', { bins: 17 }],
      ['NJet', { edges: [0, 1, 2, 3, 5, 10] }],
      ['Jet_ID', { bins: 2, range: [0, 2] as const }],
    ] as const) {
      const results = [];
      for (const path of HZZ) results.push(ok(await histogramFile(path, { column, ...options })));
      for (const result of results.slice(1)) assert.deepEqual(result, results[0], `${column}`);
      assert.ok(cells(results[0]).reduce((a, b) => a + b, 0) > 0, `${column} has entries`);
    }
  });

  test('the bins of a jagged branch equal numpy.histogram on the flattened values', async () => {
    const { values, rowLengths } = await branchValues(HZZ[0], ['Muon_Px', 'NMuon']);
    // The counter branch is an independent witness of the flattening: one value per muon.
    assert.deepEqual(rowLengths[0], values[1]);
    assert.equal(
      values[0].length,
      values[1].reduce((a, b) => a + b, 0),
    );
    const h = ok(await histogramFile(HZZ[0], { column: 'Muon_Px', bins: 30, range: [-100, 100] })) as Histogram1D;
    assert.deepEqual(cells(h), numpyHistogram(values[0], 30, [-100, 100]));
    const auto = ok(await histogramFile(HZZ[0], { column: 'Muon_Px', bins: 30 })) as Histogram1D;
    assert.deepEqual(cells(auto), numpyHistogram(values[0], 30));
  });

  test("the bins equal JSROOT's own TTree::Draw of the same branch, flow bins included", async () => {
    // jsroot ships no types for these modules; this is the little the test uses.
    type Draw = { treeDraw(tree: unknown, expr: string): Promise<{ fArray: ArrayLike<number> }> };
    type Io = { openFile(path: string): Promise<{ readObject(name: string): Promise<unknown> }> };
    /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion -- keeps tsc from looking for missing types */
    const io = (await import('jsroot/io' as string)) as Io;
    const draw = (await import('jsroot/tree' as string)) as Draw;
    /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
    const tree = await (await io.openFile(HZZ[0])).readObject('events');
    for (const [column, bins, low, high] of [
      ['Muon_Px', 30, -100, 100],
      ['MET_px', 7, -20, 15.5],
      ['Jet_E', 11, 20, 300],
    ] as const) {
      const jsroot = await draw.treeDraw(tree, `${column}>>h(${bins},${low},${high})`);
      const ours = ok(await histogramFile(HZZ[0], { column, bins, range: [low, high] }));
      assert.deepEqual(cells(ours), Array.from(jsroot.fArray), column);
    }
  });

  test('a per-event weight is spread over a jagged branch, as numpy.repeat does', async () => {
    const { values } = await branchValues(HZZ[0], ['Muon_Px', 'NMuon', 'EventWeight']);
    const h = ok(
      await histogramFile(HZZ[0], { column: 'Muon_Px', weight: 'EventWeight', bins: 12, range: [-60, 60] }),
    ) as Histogram1D;
    const expected = numpy(
      'w = np.repeat(a2, a1.astype(int))\ns, _ = np.histogram(a0, bins=12, range=(-60, 60), weights=w)\nprint(json.dumps(s.tolist()))',
      values,
    ) as number[];
    h.values.forEach((v, i) =>
      assert.ok(Math.abs(v - expected[i]) <= 1e-9 * Math.abs(expected[i]), `bin ${i}: ${v} vs ${expected[i]}`),
    );
  });

  test('a 2-D histogram of two flat branches of Zmumu equals numpy.histogram2d', async () => {
    const path = join(ROOT_DATA, 'uproot-Zmumu.root');
    const { values } = await branchValues(path, ['eta1', 'phi1'], 'events');
    const h = ok(
      await histogramFile(path, {
        column: 'eta1',
        y: 'phi1',
        tree: 'events',
        bins: 6,
        range: [-3, 3],
        yAxis: { bins: 4 },
      }),
    );
    assert.equal(h.kind, '2d');
    const expected = numpy(
      'h, _, _ = np.histogram2d(a0, a1, bins=[np.linspace(-3, 3, 7), np.histogram_bin_edges(a1, bins=4)])\nprint(json.dumps(h.astype(int).tolist()))',
      values,
    );
    assert.deepEqual(h.kind === '2d' && h.values, expected);
  });

  test('nanoAOD: jagged muon pt, with events without muons', async () => {
    const path = join(ROOT_DATA, 'nanoAOD_2015_CMS_Open_Data_ttbar.root');
    const { values, rowLengths } = await branchValues(path, ['Muon_pt', 'nMuon']);
    assert.deepEqual(rowLengths[0], values[1]);
    const h = ok(await histogramFile(path, { column: 'Muon_pt', bins: 10, range: [0, 100] })) as Histogram1D;
    assert.deepEqual(cells(h), numpyHistogram(values[0], 10, [0, 100]));
  });

  test('progress reaches every entry, and an abort during the read gives a cancelled result', async () => {
    const seen: number[] = [];
    ok(
      await histogramFile(
        HZZ[0],
        { column: 'Muon_Px', bins: 5, range: [-1, 1] },
        { onProgress: (p) => seen.push(p.rowsDone) },
      ),
    );
    assert.equal(seen.at(-1), 2421);
    const controller = new AbortController();
    const result = await histogramFile(
      HZZ[0],
      { column: 'Muon_Px', bins: 5 },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    assert.equal(!result.ok && result.error.kind, 'cancelled');
  });

  test('a missing branch or tree names what exists', async () => {
    const missing = await histogramFile(HZZ[0], { column: 'Muon_Pt' });
    assert.equal(!missing.ok && missing.error.kind, 'notFound');
    assert.match(!missing.ok ? missing.error.message : '', /no branch "Muon_Pt".*Muon_Px/);
    const noTree = await histogramFile(HZZ[0], { column: 'Muon_Px', tree: 'Events' });
    assert.equal(!noTree.ok && noTree.error.kind, 'notFound');
    assert.match(!noTree.ok ? noTree.error.message : '', /uproot-HZZ\.root has no TTree or RNTuple named "Events"\./);
  });
});

describe('listing and stored histograms', () => {
  test('the HZZ file lists its TTree with typed branches', async () => {
    const listing = ok(await listFile(HZZ[0]));
    assert.equal(listing.format, 'root');
    const items = listing.format === 'root' ? listing.items : [];
    const tree = items.find((item): item is Extract<RootItem, { kind: 'tree' }> => item.kind === 'tree');
    assert.equal(tree?.name, 'events');
    assert.equal(tree?.entries, 2421);
    assert.deepEqual(
      tree?.branches.find((b) => b.name === 'Muon_Px'),
      { name: 'Muon_Px', type: 'float[]', jagged: true },
    );
    assert.deepEqual(
      tree?.branches.find((b) => b.name === 'NMuon'),
      { name: 'NMuon', type: 'int32', jagged: false },
    );
    assert.deepEqual(
      tree?.branches.find((b) => b.name === 'triggerIsoMu24'),
      { name: 'triggerIsoMu24', type: 'bool', jagged: false },
    );
  });

  test('the histograms file lists its TH1Fs, and the RNTuple file its RNTuple', async () => {
    const hists = ok(await listFile(join(ROOT_DATA, 'uproot-histograms.root')));
    assert.deepEqual(
      hists.format === 'root' &&
        hists.items.map((item) => [item.kind, item.name, item.kind === 'histogram' && item.className]),
      [
        ['histogram', 'one', 'TH1F'],
        ['histogram', 'two', 'TH1F'],
        ['histogram', 'three', 'TH1F'],
      ],
    );
    const rntuple = ok(
      await listFile(join(ROOT_DATA, 'Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root')),
    );
    const items = rntuple.format === 'root' ? rntuple.items : [];
    assert.deepEqual(
      items.map((item) => [item.kind, item.name]),
      [['rntuple', 'Events']],
    );
    const fields = items[0].kind === 'rntuple' ? items[0].fields : [];
    assert.deepEqual(
      fields.find((field) => field.name === 'Muon_pt'),
      { name: 'Muon_pt', type: 'ROOT::VecOps::RVec<float>' },
    );
    assert.ok(fields.length > 1 && fields.every((field) => !field.name.startsWith('_')), JSON.stringify(fields));
  });

  test('a stored TH1 reads as bins whose total is its entry count', async () => {
    for (const name of ['one', 'two', 'three']) {
      const h = ok(await readStoredHistogram(join(ROOT_DATA, 'uproot-histograms.root'), name)) as Histogram1D;
      assert.equal(h.kind, '1d');
      assert.equal(h.edges.length, h.values.length + 1);
      assert.equal(
        cells(h).reduce((a, b) => a + b, 0),
        h.entries,
        name,
      );
    }
    const notThere = await readStoredHistogram(join(ROOT_DATA, 'uproot-histograms.root'), 'four');
    assert.equal(notThere.ok, false);
  });
});

describe('corrupt ROOT files', () => {
  test('a truncated file gives a clear error at every cut, never a crash or bins of zeros', async () => {
    const bytes = readFileSync(HZZ[0]);
    for (const length of [0, 3, 200, 5000, 100_000, bytes.length - 1000, bytes.length - 1]) {
      const path = folder.file(`truncated-${length}.root`);
      writeFileSync(path, bytes.subarray(0, length));
      const result = await histogramFile(path, { column: 'Muon_Px', bins: 10 });
      assert.equal(result.ok, false, `cut at ${length}`);
      assert.match(
        !result.ok ? result.error.message : '',
        /truncated|corrupt|not a readable ROOT|neither/,
        `cut at ${length}`,
      );
      assert.ok(!result.ok && !/\n\s+at /.test(result.error.message), 'no stack trace');
    }
  });

  test('a file whose baskets were overwritten with garbage is refused', async () => {
    const bytes = Buffer.from(readFileSync(HZZ[0]));
    for (let i = 1000; i < 150_000; i += 7) bytes[i] ^= 0x5a;
    const path = folder.file('garbled.root');
    writeFileSync(path, bytes);
    const result = await histogramFile(path, { column: 'Muon_Px', bins: 10 });
    assert.equal(result.ok, false);
    copyFileSync(HZZ[0], folder.file('intact.root'));
    assert.ok((await histogramFile(folder.file('intact.root'), { column: 'Muon_Px', bins: 10 })).ok);
  });
});
