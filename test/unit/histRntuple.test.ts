import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fromUhi, histogramFile, listFile, parseUhi, type Histogram1D } from '../../server/src/hist';
import { withLocalFile } from '../../server/src/hist/localFile';
import type { JsrootRntupleDescriptor } from '../../server/src/hist/jsrootApi';
import { rootBranches } from '../../server/src/hist/root';
import { summarizeRntuple } from '../../server/src/hist/rntuple';
import { loadXxh3, xxh3 } from '../../server/src/hist/xxh3';
import { cells, numpy, numpyHistogram, ok, ROOT_DATA, scratch } from './histSupport';

// RNTuple fields through jsroot: a thousand CMS dimuon events written by ROOT 6.34 (RNTuple format 1.0.0.0), whose
// Muon_* fields are RVecs projected onto an untyped collection and whose nMuon is a cardinality of that collection.
const MUONS = join(ROOT_DATA, 'Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root');
const cli = join(__dirname, '..', '..', 'server', 'src', 'cli.js');
const folder = scratch('hist-rntuple');
after(() => folder.dispose());

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Fields as our reader gives them: values flattened, and how many each entry had (1 for a per-entry field). */
async function fieldValues(
  path: string,
  fields: string[],
  tree?: string,
  signal?: AbortSignal,
): Promise<{ values: number[][]; rowLengths: number[][]; progress: number[] }> {
  return withLocalFile(path, signal, async (file) => {
    const source = await rootBranches(file, tree, fields, signal);
    const values: number[][] = fields.map(() => []);
    const rowLengths: number[][] = fields.map(() => []);
    const progress: number[] = [];
    await source.read(
      (chunks) =>
        chunks.forEach((chunk, i) => {
          values[i].push(...chunk.values);
          rowLengths[i].push(...(chunk.rowLengths ?? new Array<number>(chunk.rows).fill(1)));
        }),
      (done, total) => {
        assert.equal(total, source.totalRows);
        progress.push(done);
      },
    );
    return { values, rowLengths, progress };
  });
}

describe('RNTuple fields', () => {
  test('the values are those uproot’s own tests assert for this file', async () => {
    const { values, rowLengths } = await fieldValues(MUONS, ['Muon_pt', 'Muon_charge', 'nMuon'], 'Events');
    // scikit-hep/uproot5 tests/test_1250_rntuple_improvements.py (test_array_methods: 1000 entries; test_iterate:
    // the first event's Muon_pt and Muon_charge) and tests/test_1191_rntuple_fixes.py (test_split_encoding; and
    // test_rntuple_cardinality: nMuon equals the length of each event's Muon_pt).
    assert.equal(rowLengths[2].length, 1000);
    assert.deepEqual(values[0].slice(0, rowLengths[0][0]), [10.763696670532227, 15.736522674560547]);
    assert.deepEqual(values[1].slice(0, rowLengths[1][0]), [-1, -1]);
    assert.deepEqual(rowLengths[0], values[2]);
    assert.deepEqual(rowLengths[1], values[2]);
    // jsroot left to itself reads Muon_pt as one float per entry; the collection has more muons than events.
    assert.equal(values[0].length, sum(values[2]));
    assert.ok(values[0].length > 1000, `${values[0].length} muons`);
  });

  test('every Muon field has one value per muon, and a file without a TTree needs no tree named', async () => {
    const fields = ['Muon_pt', 'Muon_eta', 'Muon_phi', 'Muon_mass', 'Muon_charge', 'nMuon'];
    const { values, rowLengths } = await fieldValues(MUONS, fields);
    const nMuon = values[5];
    for (let i = 0; i < 5; i++) assert.deepEqual(rowLengths[i], nMuon, fields[i]);
    // Physics the file must agree with: every muon has the muon's mass (PDG: 105.6583755 MeV), a charge of ±1, φ
    // within ±π, and |η| within the CMS muon system's reach.
    assert.ok(
      values[3].every((m) => Math.abs(m - 0.1056583755) < 1e-6),
      'the muon mass',
    );
    assert.ok(
      values[1].every((eta) => Math.abs(eta) < 3),
      'muon η',
    );
    assert.ok(
      values[2].every((phi) => Math.abs(phi) <= Math.PI),
      'φ inside ±π',
    );
    assert.ok(
      values[4].every((q) => q === 1 || q === -1),
      'charge ±1',
    );
  });

  test('the bins of nMuon and of Muon_pt equal numpy.histogram on the same values', async () => {
    const { values } = await fieldValues(MUONS, ['Muon_pt', 'nMuon'], 'Events');
    const n = ok(await histogramFile(MUONS, { column: 'nMuon', tree: 'Events', bins: 10, range: [0, 10] }));
    assert.deepEqual(cells(n), numpyHistogram(values[1], 10, [0, 10]));
    assert.equal(sum(cells(n)), 1000);
    const pt = ok(await histogramFile(MUONS, { column: 'Muon_pt', tree: 'Events', bins: 40, range: [0, 80] }));
    assert.deepEqual(cells(pt), numpyHistogram(values[0], 40, [0, 80]));
    const auto = ok(await histogramFile(MUONS, { column: 'Muon_pt', bins: 25 }));
    assert.deepEqual(cells(auto), numpyHistogram(values[0], 25));
    assert.equal(sum(cells(auto)), values[0].length);
  });

  test('Muon_pt weighted by the per-event nMuon spreads each event’s weight over its muons', async () => {
    const { values } = await fieldValues(MUONS, ['Muon_pt', 'nMuon'], 'Events');
    const h = ok(
      await histogramFile(MUONS, { column: 'Muon_pt', weight: 'nMuon', tree: 'Events', bins: 16, range: [0, 80] }),
    ) as Histogram1D;
    const expected = numpy(
      'w = np.repeat(a1, a1.astype(int))\ns, _ = np.histogram(a0, bins=16, range=(0, 80), weights=w)\nprint(json.dumps(s.tolist()))',
      values,
    ) as number[];
    assert.deepEqual(h.values, expected);
  });

  test('a 2-D histogram pairs a jagged field with a per-event one', async () => {
    const { values } = await fieldValues(MUONS, ['Muon_eta', 'nMuon'], 'Events');
    const h = ok(
      await histogramFile(MUONS, {
        column: 'Muon_eta',
        y: 'nMuon',
        tree: 'Events',
        bins: 5,
        range: [-2.5, 2.5],
        yAxis: { bins: 4, range: [0, 8] },
      }),
    );
    const expected = numpy(
      'y = np.repeat(a1, a1.astype(int))\nh, _, _ = np.histogram2d(a0, y, bins=[np.linspace(-2.5, 2.5, 6), np.linspace(0, 8, 5)])\nprint(json.dumps(h.astype(int).tolist()))',
      values,
    );
    assert.deepEqual(h.kind === '2d' && h.values, expected);
  });

  test('progress reaches every entry, and an abort gives a cancelled result', async () => {
    const { progress } = await fieldValues(MUONS, ['Muon_pt'], 'Events');
    assert.equal(progress.at(-1), 1000);
    // The reader itself must refuse to finish once aborted, whatever its caller checks afterwards.
    const controller = new AbortController();
    await withLocalFile(MUONS, undefined, async (file) => {
      const source = await rootBranches(file, 'Events', ['Muon_pt'], controller.signal);
      await assert.rejects(
        source.read(
          () => undefined,
          () => controller.abort(),
        ),
        { name: 'HistError', kind: 'cancelled' },
      );
      await assert.rejects(
        source.read(() => assert.fail('no chunk after an abort')),
        { kind: 'cancelled' },
      );
    });
    const aborted = new AbortController();
    const result = await histogramFile(
      MUONS,
      { column: 'Muon_pt', tree: 'Events', bins: 5, range: [0, 50] },
      { signal: aborted.signal, onProgress: () => aborted.abort() },
    );
    assert.deepEqual(result.ok ? result : result.error.kind, 'cancelled');
  });
});

describe('RNTuple fields that cannot be read', () => {
  test('a field that does not exist names the RNTuple’s fields', async () => {
    const result = await histogramFile(MUONS, { column: 'Muon_Pt', tree: 'Events' });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'notFound');
    assert.equal(
      result.error.message,
      `RNTuple Events in ${MUONS} has no field "Muon_Pt". Its fields are: Muon_pt, Muon_eta, Muon_phi, Muon_mass, Muon_charge, nMuon.`,
    );
  });

  test('the hidden untyped collection is refused by name, as records', async () => {
    const result = await histogramFile(MUONS, { column: '_collection0', tree: 'Events' });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'unsupported');
    assert.match(
      result.error.message,
      /^Field "_collection0" of RNTuple Events in .* cannot be histogrammed: .*records/,
    );
  });

  test('a truncated copy is a clear error, for the histogram and the listing', async () => {
    const cut = folder.file('cut.root');
    writeFileSync(cut, readFileSync(MUONS).subarray(0, 20_000));
    for (const result of [await histogramFile(cut, { column: 'Muon_pt' }), await listFile(cut)]) {
      assert.ok(!result.ok);
      assert.equal(result.error.kind, 'corrupt');
      assert.match(result.error.message, /cut\.root is truncated/);
    }
  });

  test('a damaged header is a clear error naming the file, and the listing still shows the RNTuple', async () => {
    // The RNTuple's header envelope lies at bytes 364 to 801 of the file (its anchor's fSeekHeader and fNBytesHeader);
    // it ends with the XXH3 checksum of the rest, checked before jsroot parses it.
    const header = folder.file('header.root');
    writeFileSync(header, Buffer.from(readFileSync(MUONS)).fill(0, 400, 600));
    const result = await histogramFile(header, { column: 'Muon_pt', bins: 5, range: [0, 50] });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'corrupt');
    assert.equal(
      result.error.message,
      `${header} is corrupt: the header of RNTuple Events does not match its checksum.`,
    );
    const listed = ok(await listFile(header));
    const item = listed.format === 'root' ? listed.items[0] : undefined;
    assert.ok(item?.kind === 'rntuple');
    assert.deepEqual(item.fields, []);
    assert.equal(item.problem, result.error.message);
    // The page list, at bytes 26575 to 26712 (the footer's cluster group locator), is checked the same way.
    const pageList = folder.file('page-list.root');
    writeFileSync(pageList, Buffer.from(readFileSync(MUONS)).fill(0, 26580, 26700));
    const broken = await histogramFile(pageList, { column: 'nMuon' });
    assert.ok(!broken.ok);
    assert.equal(broken.error.kind, 'corrupt');
    assert.match(
      broken.error.message,
      /page-list\.root is corrupt: the page list of RNTuple Events cannot be decompressed/,
    );
  });

  test('a page garbled inside its compressed bytes fails its checksum; other fields still read', async () => {
    // Muon_pt's one page lies at bytes 1231 to 9039, followed by its XXH3 checksum (the page list's locator). Zeroed
    // bytes there still decompress, into wrong numbers, so only the checksum can tell.
    const page = folder.file('page.root');
    writeFileSync(page, Buffer.from(readFileSync(MUONS)).fill(0, 4000, 4100));
    const result = await histogramFile(page, { column: 'Muon_pt', bins: 5, range: [0, 50] });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'corrupt');
    assert.equal(
      result.error.message,
      `${page} is corrupt: the page of RNTuple Events at byte 1231 does not match its checksum.`,
    );
    const charge = ok(await histogramFile(page, { column: 'Muon_charge', bins: 2, range: [-1, 1] })) as Histogram1D;
    const intact = ok(await histogramFile(MUONS, { column: 'Muon_charge', bins: 2, range: [-1, 1] })) as Histogram1D;
    assert.deepEqual(cells(charge), cells(intact));
  });
});

describe('XXH3-64, the checksum of RNTuple pages', () => {
  test('matches the reference vectors and the checksums ROOT wrote after each page of the file', async () => {
    await loadXxh3();
    // apache/hbase hbase-common/src/test/resources/xxh3/xxh3_vectors.csv: XXH3_64bits of bytes 0, 1, …, len-1 (mod
    // 256) with seed 0, from the upstream C implementation, printed as signed 64-bit integers. The lengths cover
    // every branch of the algorithm: empty, 1-3, 4-8, 9-16, 17-128, 129-240 and longer than 240.
    const vectors: [number, bigint][] = [
      [0, 3244421341483603138n],
      [1, -4302098779834749733n],
      [3, 6864218090047839419n],
      [4, 6979084321315492338n],
      [8, 4187271766389786872n],
      [9, -1629980255024596516n],
      [16, -8983023575487778597n],
      [17, -6993173599622040792n],
      [33, -1833995589090992552n],
      [65, 7577525643630617296n],
      [97, -1791866940674927372n],
      [128, -8807326403944725397n],
      [129, -1407864491810865574n],
      [148, -1984361661054820977n],
      [240, 3988562325861820517n],
      [241, 209643423615708418n],
      [257, -3446338450597548406n],
      [300, -3152428524199455707n],
    ];
    for (const [length, signed] of vectors) {
      const input = Uint8Array.from({ length }, (_, i) => i % 256);
      assert.equal(xxh3(input), BigInt.asUintN(64, signed), `length ${length}`);
    }
    // The six pages of the file (offsets and sizes from its page list), each followed by ROOT's own checksum: sizes
    // of 52 bytes to three 1 KiB blocks and more.
    const bytes = readFileSync(MUONS);
    for (const [offset, size] of [
      [843, 380],
      [1231, 7808],
      [9047, 8449],
      [17504, 8482],
      [25994, 52],
      [26054, 471],
    ]) {
      assert.equal(
        xxh3(bytes.subarray(offset, offset + size)),
        bytes.readBigUInt64LE(offset + size),
        `page at ${offset}`,
      );
    }
  });
});

describe('which field types are read', () => {
  /**
   * A schema as an RNTuple header describes it: fields as [name, type, parent] (a top-level field is its own parent),
   * with the columns of each field; `deferred` and `representation` mark columns jsroot cannot follow.
   */
  function schema(
    fields: [name: string, type: string, parent: number, columns?: ('plain' | 'deferred' | 'representation')[]][],
  ): JsrootRntupleDescriptor {
    const columnDescriptors: JsrootRntupleDescriptor['columnDescriptors'] = [];
    fields.forEach(([, , , columns = []], fieldId) =>
      columns.forEach((kind) =>
        columnDescriptors.push({
          coltype: 0x0d,
          bitsOnStorage: 64,
          fieldId,
          flags: 0,
          representationIndex: kind === 'representation' ? 1 : 0,
          firstElementIndex: kind === 'deferred' ? 100 : null,
          index: columnDescriptors.length,
        }),
      ),
    );
    return {
      fieldDescriptors: fields.map(([fieldName, typeName, parentFieldId]) => ({
        fieldName,
        typeName,
        parentFieldId,
        structRole: 0,
        flags: 0,
        sourceFieldId: null,
      })),
      columnDescriptors,
      aliasColumns: [],
      clusterGroups: [{ entrySpan: 10n }],
      clusterSummaries: [{ numEntries: 10 }],
    };
  }

  test('numbers and collections of numbers are read; text, records and layouts jsroot misreads are refused', () => {
    const { entries, fields } = summarizeRntuple(
      schema([
        ['x', 'float', 0, ['plain']],
        ['v', 'std::vector<double>', 1, ['plain']],
        ['_0', 'double', 1, ['plain']],
        ['o', 'std::optional<std::int64_t>', 3, ['plain']],
        ['_0', 'std::int64_t', 3, ['plain']],
        ['a', 'std::array<float,3>', 5],
        ['_0', 'float', 5, ['plain']],
        ['vv', 'std::vector<ROOT::VecOps::RVec<float>>', 7, ['plain']],
        ['_0', 'ROOT::VecOps::RVec<float>', 7, ['plain']],
        ['_0', 'float', 8, ['plain']],
        ['s', 'std::string', 10, ['plain', 'plain']],
        ['rec', 'Track', 11],
        ['px', 'float', 11, ['plain']],
        ['twice', 'float', 13, ['plain', 'representation']],
        ['late', 'float', 14, ['deferred']],
        ['c', 'char', 15, ['plain']],
        ['_hidden', 'float', 16, ['plain']],
        ['m', 'std::map<std::int32_t,float>', 17, ['plain']],
        ['_0', 'std::pair<std::int32_t,float>', 17],
        ['_0', 'std::int32_t', 18, ['plain']],
        ['_1', 'float', 18, ['plain']],
      ]),
    );
    assert.equal(entries, 10);
    assert.deepEqual(
      fields.map((field) => [field.name, field.unsupported?.replace('It cannot be histogrammed: ', '')]),
      [
        ['x', undefined],
        ['v', undefined],
        ['o', undefined],
        ['a', undefined],
        ['vv', undefined],
        ['s', 'it holds text (std::string).'],
        ['rec', 'its type Track is not a number or a collection of numbers.'],
        ['twice', 'it changes its column representation between clusters, which jsroot 7.11 cannot follow.'],
        [
          'late',
          'it was added after the first entries were written (a deferred column), which jsroot 7.11 reads wrongly.',
        ],
        ['c', 'it holds text (char).'],
        ['m', 'its type std::map<std::int32_t,float> is not a number or a collection of numbers.'],
      ],
    );
  });
});

describe('coffea-casa hist on an RNTuple', () => {
  test('--tree names the RNTuple and --format uhi prints the engine’s histogram', async () => {
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'hist',
        MUONS,
        '--tree',
        'Events',
        '--column',
        'Muon_pt',
        '--bins',
        '20',
        '--range',
        '0:100',
        '--format',
        'uhi',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
    const printed = fromUhi(parseUhi(run.stdout), 'Muon_pt') as Histogram1D;
    const engine = ok(
      await histogramFile(MUONS, { column: 'Muon_pt', tree: 'Events', bins: 20, range: [0, 100] }),
    ) as Histogram1D;
    assert.deepEqual(cells(printed), cells(engine));
    assert.deepEqual(printed.edges, engine.edges);
    assert.ok(sum(cells(printed)) > 1000);
  });

  test('a damaged RNTuple is one line on stderr, without jsroot’s own logging', () => {
    const header = folder.file('cli-header.root');
    writeFileSync(header, Buffer.from(readFileSync(MUONS)).fill(0, 400, 600));
    const run = spawnSync(process.execPath, [cli, 'hist', header, '--column', 'Muon_pt'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `coffea-casa hist: ${header} is corrupt: the header of RNTuple Events does not match its checksum.\n`,
    );
  });
});
