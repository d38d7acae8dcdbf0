import * as assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ColumnSource } from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import type { SchemaElement } from 'hyparquet' with { 'resolution-mode': 'import' };
import { readBranchNames, SampleFileBranches, type BranchNamesResult } from '../../server/src/language/branches';

const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-branches-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Writes a real Parquet file with hyparquet-writer and returns its path. */
async function parquetFile(name: string, columnData: ColumnSource[], schema?: SchemaElement[]): Promise<string> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const path = join(folder, name);
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData, schema })));
  return path;
}

const flat = (name: string): Promise<string> =>
  parquetFile(name, [
    { name: 'run', data: [1, 2, 3], type: 'INT32' },
    { name: 'MET_pt', data: [10.5, 20.25, 30], type: 'DOUBLE' },
    { name: 'nMuon', data: [0, 2, 1], type: 'INT32' },
  ]);

/** The schema awkward writes for a jagged array: `Muon_pt` is a list whose leaf is `Muon_pt.list.element`. */
const jaggedSchema: SchemaElement[] = [
  { name: 'root', num_children: 2 },
  { name: 'run', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'Muon_pt', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', type: 'DOUBLE', repetition_type: 'REQUIRED' },
];

/** A sparse file of `size` bytes that starts with the Parquet magic and ends with `tail`, without writing the rest. */
function sparseFile(name: string, size: number, tail: Uint8Array): string {
  const path = join(folder, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.from('PAR1'), 0, 4, 0);
    writeSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** The footer of a Parquet file: its metadata, the metadata's length and the closing magic. */
function footerOf(bytes: Uint8Array): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  return bytes.subarray(bytes.length - length - 8);
}

describe('branch names from a sample file', () => {
  test('a Parquet file with flat columns offers each column, in file order', async () => {
    assert.deepEqual(await readBranchNames(await flat('flat.parquet')), { names: ['run', 'MET_pt', 'nMuon'] });
  });

  test('a jagged list column offers its top-level name, not its leaf path', async () => {
    const path = await parquetFile(
      'jagged.parquet',
      [
        { name: 'run', data: [1, 2] },
        { name: 'Muon_pt', data: [[31.5, 12.25], []] },
      ],
      jaggedSchema,
    );
    assert.deepEqual(await readBranchNames(path), { names: ['run', 'Muon_pt'] });
  });

  test('a truncated Parquet file offers nothing and says why', async () => {
    const whole = readFileSync(await flat('whole.parquet'));
    const path = join(folder, 'truncated.parquet');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const result = await readBranchNames(path);
    assert.deepEqual(result.names, []);
    assert.match(result.problem ?? '', /truncated\.parquet: it is not a readable Parquet file; it may be truncated/);
  });

  test('a multi-gigabyte file is read through its footer alone', async () => {
    const footer = footerOf(readFileSync(await flat('small.parquet')));
    const size = 3 * 1024 ** 3;
    const path = sparseFile('huge.parquet', size, footer);
    const reads: [number, number][] = [];
    const result = await readBranchNames(path, (start, end) => reads.push([start, end]));
    assert.deepEqual(result, { names: ['run', 'MET_pt', 'nMuon'] });
    const bytesRead = reads.reduce((sum, [start, end]) => sum + end - start, 0);
    assert.ok(bytesRead <= 64 * 1024, `read ${bytesRead} bytes`);
    assert.ok(
      reads.every(([start]) => start >= size - 64 * 1024),
      `read ${JSON.stringify(reads)}`,
    );
  });

  test('a footer claiming gigabytes of metadata is refused before anything that large is read', async () => {
    const size = 3 * 1024 ** 3;
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, 2 * 1024 ** 3, true);
    tail.set(Buffer.from('PAR1'), 4);
    const reads: [number, number][] = [];
    const result = await readBranchNames(sparseFile('claims.parquet', size, tail), (start, end) =>
      reads.push([start, end]),
    );
    assert.deepEqual(result.names, []);
    assert.match(result.problem ?? '', /footer asks for a \d+-byte read of metadata, more than the 64 MiB allowed/);
    assert.ok(
      reads.every(([start, end]) => end - start <= 64 * 1024),
      `read ${JSON.stringify(reads)}`,
    );
  });

  test('a ROOT file offers nothing yet and says the ROOT reader will read it', async () => {
    const path = join(folder, 'events.root');
    writeFileSync(path, 'root');
    const result = await readBranchNames(path);
    assert.deepEqual(result.names, []);
    assert.match(
      result.problem ?? '',
      /events\.root: ROOT sample files are not read yet; .*once the ROOT reader lands/,
    );
  });

  test('another extension offers nothing and says only Parquet is read', async () => {
    const result = await readBranchNames(join(folder, 'events.csv'));
    assert.deepEqual(result, {
      names: [],
      problem: `Sample file ${join(folder, 'events.csv')}: only Parquet files (.parquet) are read for branch names.`,
    });
  });
});

describe('the sample file of the language server', () => {
  const logged = (): { lines: string[]; log: { info(m: string): void; warn(m: string): void } } => {
    const lines: string[] = [];
    return { lines, log: { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) } };
  };

  test('reads the file once, and again only after it changes', async () => {
    const path = await flat('cached.parquet');
    let reads = 0;
    const { lines, log } = logged();
    const branches = new SampleFileBranches(log, (p): Promise<BranchNamesResult> => {
      reads++;
      return readBranchNames(p);
    });
    branches.setPath(path);
    assert.equal(branches.names(), undefined);
    await Promise.all([branches.refresh(), branches.refresh()]);
    await branches.refresh();
    assert.equal(reads, 1);
    assert.deepEqual(branches.names(), ['run', 'MET_pt', 'nMuon']);

    await parquetFile('cached.parquet', [{ name: 'Jet_pt', data: [1.5], type: 'DOUBLE' }]);
    // The rewrite may land within the same clock tick; a later modification time makes the change certain.
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    await branches.refresh();
    assert.equal(reads, 2);
    assert.deepEqual(branches.names(), ['Jet_pt']);
    assert.deepEqual(
      lines.map((line) => line.replace(/ after.*/, '')),
      [`info: Sample file ${path}: offering 3 branch names`, `info: Sample file ${path}: offering 1 branch names`],
    );
  });

  test('a missing or unreadable file is reported once and offers nothing', async () => {
    const { lines, log } = logged();
    const branches = new SampleFileBranches(log);
    branches.setPath(join(folder, 'absent.parquet'));
    await branches.refresh();
    await branches.refresh();
    assert.deepEqual(branches.names(), []);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^warn: Sample file .*absent\.parquet: it cannot be found .*no branch names are offered\.$/);

    branches.setPath(null);
    assert.equal(branches.names(), undefined);
  });
});
