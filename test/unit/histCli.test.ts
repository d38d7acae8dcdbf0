import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fromUhi, histogramFile, parseUhi, type Histogram1D } from '../../server/src/hist';
import { numpy, ROOT_DATA, scratch, seeded } from './histSupport';

// `coffea-casa hist` end to end: the compiled CLI in a child process, as a script would run it.
const cli = join(__dirname, '..', '..', 'server', 'src', 'cli.js');
const runCli = (...args: string[]) => spawnSync(process.execPath, [cli, 'hist', ...args], { encoding: 'utf8' });
const HZZ = join(ROOT_DATA, 'uproot-HZZ.root');
const folder = scratch('hist-cli');
after(() => folder.dispose());

/** A Parquet file in the scratch folder with one DOUBLE column per entry of `columns`. */
async function writeDoubles(name: string, columns: Record<string, Float64Array>): Promise<string> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const columnData = Object.entries(columns).map(([column, data]) => ({ name: column, data, type: 'DOUBLE' as const }));
  const path = folder.file(name);
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData })));
  return path;
}

describe('coffea-casa hist', () => {
  test('prints UHI JSON that our reader accepts, with the engine’s bins', async () => {
    const run = runCli(HZZ, '--column', 'Muon_Px', '--bins', '20', '--range', '-100:100');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    const printed = fromUhi(parseUhi(run.stdout), 'Muon_Px') as Histogram1D;
    const engine = await histogramFile(HZZ, { column: 'Muon_Px', bins: 20, range: [-100, 100] });
    assert.ok(engine.ok);
    const expected = engine.value as Histogram1D;
    assert.deepEqual(
      [printed.underflow, printed.values, printed.overflow],
      [expected.underflow, expected.values, expected.overflow],
    );
    assert.deepEqual(printed.edges, expected.edges);
  });

  test('--format text prints one line per bin with flow bins', () => {
    const run = runCli(HZZ, '--column', 'NJet', '--edges', '0,1,2,5', '--format', 'text', '--tree', 'events');
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^# NJet in uproot-HZZ\.root \(events\): 2421 entries, mean /);
    assert.match(lines[1], /^bin\s+low\s+high\s+count$/);
    assert.deepEqual(
      lines.slice(2).map((line) => line.split(/\s+/).slice(0, 3)),
      [
        ['underflow', '-inf', '0'],
        ['0', '0', '1'],
        ['1', '1', '2'],
        ['2', '2', '5'],
        ['overflow', '5', 'inf'],
      ],
    );
    const counts = lines.slice(2).map((line) => Number(line.split(/\s+/)[3]));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      2421,
    );
  });

  test('--y makes a 2-D histogram; --format text prints it as a grid whose inner cells are numpy.histogram2d', async () => {
    const random = seeded(99);
    const x = Float64Array.from({ length: 4000 }, () => random() * 12 - 6);
    const y = Float64Array.from(x, (v) => v * 0.5 + random() * 4 - 2);
    const path = await writeDoubles('xy.parquet', { x, y });
    const run = runCli(path, '--column', 'x', '--bins', '4', '--range', '-4:4', '--y', 'y', '--y-edges', '-3,-1,0,2,3');
    assert.equal(run.status, 0, run.stderr);
    const text = runCli(
      path,
      '--column',
      'x',
      '--bins',
      '4',
      '--range',
      '-4:4',
      '--y',
      'y',
      '--y-edges',
      '-3,-1,0,2,3',
      '--format',
      'text',
    );
    assert.equal(text.status, 0, text.stderr);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines[0], '# y vs x in xy.parquet: 4000 entries');
    assert.deepEqual(lines[1].split(/\s{2,}/), ['x \\ y', '< -3', '-3..-1', '-1..0', '0..2', '2..3', '> 3']);
    const grid = lines.slice(2).map((line) => line.split(/\s{2,}/));
    assert.deepEqual(
      grid.map((row) => row[0]),
      ['< -4', '-4..-2', '-2..0', '0..2', '2..4', '> 4'],
    );
    const counts = grid.map((row) => row.slice(1).map(Number));
    assert.equal(
      counts.flat().reduce((a, b) => a + b, 0),
      4000,
    );
    const expected = numpy(
      'h, _, _ = np.histogram2d(a0, a1, bins=[np.linspace(-4, 4, 5), np.array([-3, -1, 0, 2, 3.0])])\nprint(json.dumps(h.astype(int).tolist()))',
      [x, y],
    ) as number[][];
    assert.deepEqual(
      counts.slice(1, -1).map((row) => row.slice(1, -1)),
      expected,
    );
    // The UHI output of the same call holds the same inner cells.
    const printed = fromUhi(parseUhi(run.stdout), 'x');
    assert.equal(printed.kind, '2d');
    assert.deepEqual(printed.kind === '2d' ? printed.values : [], expected);
  });

  test('--y-bins without --y is refused with a sentence', () => {
    const run = runCli(HZZ, '--column', 'Muon_Px', '--y-bins', '3');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^coffea-casa hist: --y-bins, --y-range and --y-edges need --y NAME\./);
  });

  test('a Parquet file with a weight column', async () => {
    const x = Float64Array.from([0.5, 1.5, 1.5, 2.5, 9]);
    const w = Float64Array.from([1, 2, 3, 4, 5]);
    const path = await writeDoubles('w.parquet', { x, w });
    const run = runCli(path, '--column', 'x', '--weight', 'w', '--bins', '3', '--range', '0:3');
    assert.equal(run.status, 0, run.stderr);
    const storage = parseUhi(run.stdout).x.storage;
    assert.equal(storage.type, 'weighted');
    assert.deepEqual(storage.values, [0, 1, 5, 4, 5]);
    assert.deepEqual(storage.variances, [0, 1, 13, 16, 25]);
  });

  test('failures are one line on stderr with a non-zero exit and no stack trace', () => {
    const cut = folder.file('cut.root');
    writeFileSync(cut, readFileSync(HZZ).subarray(0, 50_000));
    for (const [args, status, pattern] of [
      [[HZZ, '--column', 'Muon_Pt'], 1, /no branch "Muon_Pt"/],
      [[folder.file('missing.root'), '--column', 'x'], 1, /missing\.root does not exist/],
      [[cut, '--column', 'Muon_Px'], 1, /cut\.root is truncated/],
      [[HZZ, '--column', 'Muon_Px', '--range', '5:1'], 2, /--range must be LO:HI/],
      [[HZZ, '--column', 'Muon_Px', '--bins', 'many'], 2, /--bins must be a whole number/],
      [[HZZ, '--column', 'Muon_Px', '--format', 'csv'], 2, /--format must be uhi or text/],
      [[HZZ], 2, /--column NAME is needed/],
    ] as const) {
      const run = runCli(...args);
      assert.equal(run.status, status, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, pattern);
      assert.match(run.stderr.split('\n')[0], /^coffea-casa hist: /);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      if (status === 1) assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    }
  });

  test('--help prints the usage', () => {
    const run = runCli('--help');
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: coffea-casa hist FILE --column NAME/);
  });
});
