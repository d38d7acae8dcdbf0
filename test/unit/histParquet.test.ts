import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type * as HyparquetWriter from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import { histogramFile, listFile, type Histogram1D } from '../../server/src/hist';
import { numpyHistogram, scratch, seeded } from './histSupport';

// Parquet through hyparquet and hyparquet-compressors: listing, jagged (list) columns, codecs, and corrupt files.
const folder = scratch('hist-parquet');
after(() => folder.dispose());
const random = seeded(7);

type WriteOptions = Parameters<typeof HyparquetWriter.parquetWriteBuffer>[0];

async function write(name: string, options: WriteOptions): Promise<string> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const path = folder.file(name);
  writeFileSync(path, Buffer.from(parquetWriteBuffer(options)));
  return path;
}

// One event per row: a list of muon pt (some events have none, one is null), a per-event weight, a label.
const events = 3000;
const muonPt: (number[] | null)[] = Array.from({ length: events }, (_, i) =>
  i === 17 ? null : Array.from({ length: Math.floor(random() * 4) }, () => 5 + random() * 95),
);
const weight = Float64Array.from({ length: events }, () => random());
const label = Array.from({ length: events }, (_, i) => `event ${i}`);
const flatPt = muonPt.flatMap((row) => row ?? []);

const jagged = () =>
  write('jagged.parquet', {
    columnData: [
      { name: 'Muon_pt', data: muonPt },
      { name: 'weight', data: weight },
      { name: 'label', data: label },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      { name: 'Muon_pt', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'weight', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ],
    rowGroupSize: 1000,
  });

describe('Parquet columns', () => {
  test('the listing gives each column its type, row count and whether it is a list', async () => {
    const listing = await listFile(await jagged());
    assert.ok(listing.ok);
    assert.equal(listing.value.format, 'parquet');
    const info = listing.value.format === 'parquet' ? listing.value.info : undefined;
    assert.equal(info?.rows, events);
    assert.equal(info?.rowGroups, 3);
    assert.deepEqual(info?.columns, [
      { name: 'Muon_pt', physicalType: 'DOUBLE', jagged: true, rows: events },
      { name: 'weight', physicalType: 'DOUBLE', jagged: false, rows: events },
      { name: 'label', physicalType: 'BYTE_ARRAY', logicalType: 'UTF8', jagged: false, rows: events },
    ]);
  });

  test('a list column is flattened as ak.flatten does and binned as numpy bins the flat values', async () => {
    const result = await histogramFile(await jagged(), { column: 'Muon_pt', bins: 19, range: [0, 95] });
    assert.ok(result.ok, !result.ok ? result.error.message : '');
    const h = result.value as Histogram1D;
    assert.deepEqual([h.underflow, ...h.values, h.overflow], numpyHistogram(flatPt, 19, [0, 95]));
    assert.equal(h.entries, flatPt.length);
  });

  test('a per-event weight is spread over the muons of its event', async () => {
    const result = await histogramFile(await jagged(), { column: 'Muon_pt', weight: 'weight', edges: [0, 50, 100] });
    assert.ok(result.ok);
    const h = result.value as Histogram1D;
    const expected = [0, 0];
    muonPt.forEach((row, i) => row?.forEach((pt) => (expected[pt < 50 ? 0 : 1] += weight[i])));
    h.values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-9, `${v} vs ${expected[i]}`));
  });

  test('a text column is refused with a sentence', async () => {
    const result = await histogramFile(await jagged(), { column: 'label' });
    assert.equal(
      !result.ok && result.error.message,
      'Column "label" holds text, not numbers, so it cannot be histogrammed.',
    );
  });

  test('GZIP and Brotli pages are read through hyparquet-compressors', async () => {
    const values = Float64Array.from({ length: 5000 }, () => random() * 10);
    for (const [codec, compress] of [
      ['GZIP', (input: Uint8Array) => new Uint8Array(gzipSync(input))],
      ['BROTLI', (input: Uint8Array) => new Uint8Array(brotliCompressSync(input))],
    ] as const) {
      const path = await write(`${codec}.parquet`, {
        columnData: [{ name: 'x', data: values, type: 'DOUBLE' }],
        codec,
        compressors: { [codec]: compress },
      });
      const result = await histogramFile(path, { column: 'x', bins: 10, range: [0, 10] });
      assert.ok(result.ok, !result.ok ? result.error.message : '');
      const h = result.value as Histogram1D;
      assert.deepEqual([h.underflow, ...h.values, h.overflow], numpyHistogram(values, 10, [0, 10]), codec);
    }
  });

  test('--tree is refused for a Parquet file, and a missing column names the columns', async () => {
    const path = await jagged();
    const tree = await histogramFile(path, { column: 'Muon_pt', tree: 'Events' });
    assert.match(!tree.ok ? tree.error.message : '', /--tree applies to ROOT files/);
    const missing = await histogramFile(path, { column: 'Muon_eta' });
    assert.equal(!missing.ok && missing.error.kind, 'notFound');
    assert.match(
      !missing.ok ? missing.error.message : '',
      /no column "Muon_eta". Its columns are: Muon_pt, weight, label\./,
    );
  });
});

describe('corrupt Parquet files', () => {
  const good = () =>
    write('good.parquet', {
      columnData: [{ name: 'x', data: Float64Array.from({ length: 1000 }, (_, i) => i), type: 'DOUBLE' }],
    });

  async function refused(path: string, pattern: RegExp): Promise<void> {
    const result = await histogramFile(path, { column: 'x', bins: 10 });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'corrupt');
    assert.match(!result.ok ? result.error.message : '', pattern);
    const listing = await listFile(path);
    // Listing reads only the footer, so only a broken footer stops it.
    assert.equal(listing.ok, /bigcolumn/.test(path));
  }

  test('a footer with garbage in it', async () => {
    const bytes = readFileSync(await good());
    for (const at of [9, 20, 30, 45]) bytes[bytes.length - at] ^= 0xff;
    const path = folder.file('badfooter.parquet');
    writeFileSync(path, bytes);
    await refused(path, /badfooter\.parquet is not a readable Parquet file; it may be truncated or corrupt/);
  });

  test('a footer length claiming 2 GB', async () => {
    const bytes = readFileSync(await good());
    bytes.writeUInt32LE(0x7fffffff, bytes.length - 8);
    const path = folder.file('bigfooter.parquet');
    writeFileSync(path, bytes);
    await refused(path, /bigfooter\.parquet is not a readable Parquet file.*2147483647/);
  });

  test('a column chunk claiming 2 GB is refused before anything is allocated', async () => {
    // The footer is decoded and re-encoded with hyparquet's and hyparquet-writer's own Thrift code, with the column
    // chunk's compressed and uncompressed sizes set to 2 GiB.
    const { deserializeTCompactProtocol } = await import('hyparquet/src/thrift.js');
    const { serializeTCompactProtocol } = await import('hyparquet-writer/src/thrift.js');
    const { ByteWriter } = await import('hyparquet-writer');
    const bytes = readFileSync(await good());
    const length = bytes.readUInt32LE(bytes.length - 8);
    const start = bytes.length - 8 - length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Thrift field ids of parquet.thrift: FileMetaData.row_groups = 4, RowGroup.columns = 1, ColumnChunk.meta_data = 3,
    // ColumnMetaData.total_uncompressed_size = 6 and total_compressed_size = 7.
    type Footer = { field_4: { field_1: { field_3: { field_6: bigint; field_7: bigint } }[] }[] };
    const footer = deserializeTCompactProtocol({ view, offset: start }) as Footer;
    const meta = footer.field_4[0].field_1[0].field_3;
    meta.field_6 = 2n ** 31n;
    meta.field_7 = 2n ** 31n;
    const writer = new ByteWriter();
    serializeTCompactProtocol(writer, footer);
    const encoded = Buffer.from(writer.getBuffer());
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(encoded.length, 0);
    tail.write('PAR1', 4, 'latin1');
    const path = folder.file('bigcolumn.parquet');
    writeFileSync(path, Buffer.concat([bytes.subarray(0, start), encoded, tail]));
    await refused(
      path,
      /bigcolumn\.parquet is truncated or corrupt: its column chunk needs bytes up to 214748\d+, but the file has only \d+\./,
    );
  });

  test('a page header claiming 2 GB once decompressed is refused before anything is allocated', async () => {
    // The first page header is re-encoded with uncompressed_page_size (PageHeader field 2) at the largest i32, and the
    // footer's column chunk sizes and row group size grow by the bytes the header grew (no offset index to move).
    const { deserializeTCompactProtocol } = await import('hyparquet/src/thrift.js');
    const { serializeTCompactProtocol } = await import('hyparquet-writer/src/thrift.js');
    const { ByteWriter, parquetWriteBuffer } = await import('hyparquet-writer');
    const data = Float64Array.from({ length: 1000 }, (_, i) => i);
    const bytes = Buffer.from(
      parquetWriteBuffer({ columnData: [{ name: 'x', data, type: 'DOUBLE', offsetIndex: false }] }),
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const encode = (value: Parameters<typeof serializeTCompactProtocol>[1]) => {
      const writer = new ByteWriter();
      serializeTCompactProtocol(writer, value);
      return Buffer.from(writer.getBuffer());
    };
    const at = { view, offset: 4 };
    const header = deserializeTCompactProtocol(at) as { field_2: number };
    const headerLength = at.offset - 4;
    header.field_2 = 2 ** 31 - 1;
    const bigHeader = encode(header);
    const grown = BigInt(bigHeader.length - headerLength);
    const length = bytes.readUInt32LE(bytes.length - 8);
    const start = bytes.length - 8 - length;
    type Footer = {
      field_4: { field_6: bigint; field_1: { field_3: { field_6: bigint; field_7: bigint } }[] }[];
    };
    const footer = deserializeTCompactProtocol({ view, offset: start }) as Footer;
    footer.field_4[0].field_6 += grown;
    footer.field_4[0].field_1[0].field_3.field_6 += grown;
    footer.field_4[0].field_1[0].field_3.field_7 += grown;
    const encoded = encode(footer);
    const tail = Buffer.alloc(8);
    tail.writeUInt32LE(encoded.length, 0);
    tail.write('PAR1', 4, 'latin1');
    const path = folder.file('bigpage.parquet');
    const body = bytes.subarray(4 + headerLength, start);
    writeFileSync(path, Buffer.concat([bytes.subarray(0, 4), bigHeader, body, encoded, tail]));
    const result = await histogramFile(path, { column: 'x', bins: 10 });
    assert.equal(!result.ok && result.error.kind, 'corrupt');
    assert.match(
      !result.ok ? result.error.message : '',
      /bigpage\.parquet could not be decoded in rows 0–1000 of column x; .*claims 2048 MiB once decompressed/,
    );
  });

  test('a file cut short and a file that is not Parquet at all', async () => {
    const bytes = readFileSync(await good());
    const path = folder.file('cut.parquet');
    writeFileSync(path, bytes.subarray(0, bytes.length - 40));
    await refused(path, /cut\.parquet is not a readable Parquet file/);
    const text = folder.file('notes.parquet');
    writeFileSync(text, 'PAR1 these are notes, not a table');
    await refused(text, /notes\.parquet is not a readable Parquet file/);
  });
});
