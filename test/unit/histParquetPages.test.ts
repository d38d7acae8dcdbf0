import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type * as HyparquetWriter from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import { spawnSync } from 'node:child_process';
import { copyAsPython } from '../../client/src/hist/copyAsPython';
import { histogramFile, listFile, type Histogram1D } from '../../server/src/hist';
import { DEFAULT_OPTIONS } from '../../webviews/shared/protocol';
import type { ColumnChunk } from '../../server/src/hist/chunk';
import { withLocalFile } from '../../server/src/hist/localFile';
import { parquetColumns } from '../../server/src/hist/parquet';
import { numpy, numpyHistogram, scratch, seeded } from './histSupport';
import { asVersion1Pages, withFooter } from './parquetV1';

// The page-by-page Parquet reader against hyparquet's own row reader (parquetReadObjects, the library's assembly of
// the same file into JavaScript rows): every leaf — record fields inside lists, nulls at every level, nested lists,
// dictionary pages, 64-bit and boolean columns — must give the same values, row by row, in version 2 pages as
// hyparquet-writer writes them and in version 1 pages as pyarrow writes them.
const folder = scratch('hist-parquet-pages');
after(() => folder.dispose());
const random = seeded(424242);

type WriteOptions = Parameters<typeof HyparquetWriter.parquetWriteBuffer>[0];
type Muon = { pt: number | null; eta: number; charge: number };

const events = 2500;
const muons: (Muon[] | null)[] = Array.from({ length: events }, (_, i) => {
  if (i % 41 === 0) return null;
  return Array.from({ length: Math.floor(random() * 4) }, (_, j) => ({
    pt: (i + j) % 13 === 0 ? null : 5 + random() * 95,
    eta: Math.fround(random() * 5 - 2.5),
    charge: random() < 0.5 ? -1 : 1,
  }));
});
const jets: number[][][] = Array.from({ length: events }, () =>
  Array.from({ length: Math.floor(random() * 3) }, () =>
    Array.from({ length: Math.floor(random() * 3) }, () => random()),
  ),
);
const count: (bigint | null)[] = muons.map((row, i) => (i % 7 === 3 ? null : BigInt(row?.length ?? 0)));
const run = Int32Array.from({ length: events }, (_, i) => 190000 + (i % 5));
const flag = Array.from({ length: events }, () => random() < 0.3);
const weight = Float64Array.from({ length: events }, () => random() * 2);

function options(codec: 'SNAPPY' | 'UNCOMPRESSED'): WriteOptions {
  return {
    columnData: [
      { name: 'Muon', data: muons, offsetIndex: false },
      { name: 'jets', data: jets, offsetIndex: false },
      { name: 'n', data: count, offsetIndex: false },
      { name: 'run', data: run, offsetIndex: false },
      { name: 'flag', data: flag, offsetIndex: false },
      { name: 'weight', data: weight, offsetIndex: false },
    ],
    schema: [
      { name: 'root', num_children: 6 },
      { name: 'Muon', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'REQUIRED', num_children: 3 },
      { name: 'pt', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'eta', type: 'FLOAT', repetition_type: 'REQUIRED' },
      { name: 'charge', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'jets', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'n', type: 'INT64', repetition_type: 'OPTIONAL' },
      { name: 'run', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'flag', type: 'BOOLEAN', repetition_type: 'REQUIRED' },
      { name: 'weight', type: 'DOUBLE', repetition_type: 'REQUIRED' },
    ],
    codec,
    rowGroupSize: 1000,
    // Small pages, so that every column chunk has many, and lists continue across them.
    pageSize: 2000,
  };
}

async function writeFile(
  name: string,
  codec: 'SNAPPY' | 'UNCOMPRESSED',
  version1: boolean,
  statisticsBytes = 0,
): Promise<string> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  let bytes: Uint8Array = new Uint8Array(parquetWriteBuffer(options(codec)));
  if (version1) bytes = await asVersion1Pages(bytes, statisticsBytes);
  const path = folder.file(name);
  writeFileSync(path, bytes);
  return path;
}

/** What a leaf's values are, row by row, from hyparquet's own assembled rows: nulls left out, lists flattened. */
function expectedRows(rows: Record<string, unknown>[], name: string): number[][] {
  const [column, field] = name.split('.');
  const flat = (value: unknown): number[] => {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value.flatMap(flat);
    if (typeof value === 'bigint') return [Number(value)];
    if (typeof value === 'boolean') return [value ? 1 : 0];
    return [value as number];
  };
  return rows.map((row) => {
    const value = row[column];
    if (field === undefined) return flat(value);
    return Array.isArray(value) ? value.flatMap((record: Record<string, unknown>) => flat(record[field])) : [];
  });
}

/** Our reader's values of one column, row by row. */
async function ourRows(path: string, column: string): Promise<number[][]> {
  const chunks: ColumnChunk[] = [];
  await withLocalFile(path, undefined, async (file) => {
    const source = await parquetColumns(file, [column], undefined);
    // The chunk's arrays are the reader's buffers, reused by the next row group: copied here.
    await source.read(([chunk]) =>
      chunks.push({
        values: chunk.values.slice(),
        rows: chunk.rows,
        ...(chunk.rowLengths ? { rowLengths: chunk.rowLengths.slice() } : {}),
      }),
    );
  });
  const rows: number[][] = [];
  for (const chunk of chunks) {
    let k = 0;
    for (let r = 0; r < chunk.rows; r++) {
      const length = chunk.rowLengths ? chunk.rowLengths[r] : 1;
      rows.push(Array.from(chunk.values.subarray(k, k + length)));
      k += length;
    }
    assert.equal(k, chunk.values.length, 'every value belongs to a row');
  }
  return rows;
}

const LEAVES = ['Muon.pt', 'Muon.eta', 'Muon.charge', 'jets', 'n', 'run', 'flag', 'weight'];

describe('Parquet pages', () => {
  for (const [label, codec, version1, statisticsBytes] of [
    ['version 2 pages, Snappy', 'SNAPPY', false, 0],
    ['version 1 pages, GZIP', 'UNCOMPRESSED', true, 0],
    // Longer than the first window a page header is read through, so the reader must widen it.
    ['version 1 pages with 9 kB page statistics', 'UNCOMPRESSED', true, 9000],
  ] as const) {
    test(`every leaf, row by row, equals hyparquet's own rows (${label})`, async () => {
      const path = await writeFile(`${codec}-${version1}-${statisticsBytes}.parquet`, codec, version1, statisticsBytes);
      const { parquetReadObjects } = await import('hyparquet');
      const { compressors } = await import('hyparquet-compressors');
      const buffer = readFileSync(path);
      const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      const rows = (await parquetReadObjects({ file, compressors })) as Record<string, unknown>[];
      assert.equal(rows.length, events);
      for (const leaf of LEAVES) assert.deepEqual(await ourRows(path, leaf), expectedRows(rows, leaf), leaf);
    });
  }

  test('the file is really in version 1 pages with a dictionary, and the listing names record fields with dots', async () => {
    const path = await writeFile('v1-listing.parquet', 'UNCOMPRESSED', true);
    const { parquetMetadata } = await import('hyparquet');
    const buffer = readFileSync(path);
    const metadata = parquetMetadata(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
    const runChunk = metadata.row_groups[0].columns.find((c) => c.meta_data?.path_in_schema[0] === 'run');
    assert.ok(runChunk?.meta_data?.dictionary_page_offset !== undefined, 'run is dictionary-encoded');
    assert.equal(runChunk?.meta_data?.codec, 'GZIP');
    const listing = await listFile(path);
    assert.ok(listing.ok);
    const columns = listing.value.format === 'parquet' ? listing.value.info.columns : [];
    assert.deepEqual(
      columns.map((c) => [c.name, c.physicalType, c.jagged]),
      [
        ['Muon.pt', 'DOUBLE', true],
        ['Muon.eta', 'FLOAT', true],
        ['Muon.charge', 'INT32', true],
        ['jets', 'DOUBLE', true],
        ['n', 'INT64', false],
        ['run', 'INT32', false],
        ['flag', 'BOOLEAN', false],
        ['weight', 'DOUBLE', false],
      ],
    );
  });

  test('a record field binned with a per-event weight spreads the weight over the record list', async () => {
    const path = await writeFile('weighted.parquet', 'SNAPPY', false);
    const result = await histogramFile(path, { column: 'Muon.eta', weight: 'weight', bins: 10, range: [-2.5, 2.5] });
    assert.ok(result.ok, !result.ok ? result.error.message : '');
    const h = result.value as Histogram1D;
    const etas = muons.flatMap((row) => (row ?? []).map((m) => m.eta));
    const weights = muons.flatMap((row, i) => (row ?? []).map(() => weight[i]));
    const expected = numpy(
      'c, _ = np.histogram(a0, bins=10, range=(-2.5, 2.5), weights=a1)\nprint(json.dumps(c.tolist()))',
      [etas, weights],
    ) as number[];
    h.values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `bin ${i}: ${v} against ${expected[i]}`));
    assert.deepEqual(
      numpyHistogram(etas, 10, [-2.5, 2.5]).reduce((a, b) => a + b, 0),
      h.entries,
    );
  });

  test('a record asked for by its own name names its fields', async () => {
    const path = await writeFile('record.parquet', 'SNAPPY', false);
    const result = await histogramFile(path, { column: 'Muon' });
    assert.equal(!result.ok && result.error.kind, 'notFound');
    assert.match(
      !result.ok ? result.error.message : '',
      /Column "Muon" of .*record\.parquet is a record; name one of its fields: Muon\.pt, Muon\.eta, Muon\.charge\./,
    );
  });

  test('Copy as Python selects a record field by its path and indexes it inside its record', () => {
    const hist = {
      kind: '1d' as const,
      title: 'Muon.pt',
      xLabel: 'Muon.pt',
      edges: [0, 50, 100],
      series: [{ name: 'data', values: [3, 1], underflow: 0, overflow: 0, entries: 4 }],
    };
    const source = {
      format: 'parquet' as const,
      column: 'Muon.pt',
      samples: [{ name: 'data', files: ['/d/a.parquet'] }],
    };
    const code = copyAsPython(hist, source, DEFAULT_OPTIONS, hist.edges);
    assert.match(code, /ak\.from_parquet\(f, columns=\["Muon\.pt"\]\)\["Muon", "pt"\]/);
    const parsed = spawnSync('/usr/bin/python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
      input: code,
      encoding: 'utf8',
    });
    assert.equal(parsed.status, 0, parsed.stderr);
  });

  test('a footer claiming 2^40 rows in a row group, or a tenth of the real ones, is refused with a sentence', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const good = new Uint8Array(
      parquetWriteBuffer({ columnData: [{ name: 'x', data: Float64Array.from({ length: 1000 }, (_, i) => i) }] }),
    );
    for (const [name, rows, pattern] of [
      ['huge.parquet', 2n ** 40n, /claims 1099511627776 rows in one row group/],
      ['few.parquet', 100n, /the footer says 100 rows but the pages hold 1000/],
    ] as const) {
      const path = folder.file(name);
      writeFileSync(
        path,
        await withFooter(good, (footer) => {
          const group = (footer.field_4 as Record<string, unknown>[])[0];
          group.field_3 = rows;
          footer.field_3 = rows;
        }),
      );
      const result = await histogramFile(path, { column: 'x', bins: 10, range: [0, 1000] });
      assert.equal(!result.ok && result.error.kind, 'corrupt', name);
      assert.match(!result.ok ? result.error.message : '', pattern);
    }
  });
});
