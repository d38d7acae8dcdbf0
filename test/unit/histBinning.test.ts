import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { Filler1D, linspace, makeAxis } from '../../server/src/hist/binning';
import { histogramFile, type Histogram, type Histogram1D, type Histogram2D } from '../../server/src/hist';
import { numpy, numpyHistogram, scratch, seeded } from './histSupport';

// Bin contents against numpy.histogram on values the test makes itself and writes to Parquet with hyparquet-writer,
// so numpy sees them without going through our reader.
const folder = scratch('hist-binning');
after(() => folder.dispose());

const random = seeded(20261125);
/** Mostly spread over [-5, 5), with values exactly on edges, outside the usual ranges, and a few repeated ones. */
const values = Float64Array.from({ length: 20000 }, (_, i) => {
  if (i % 97 === 0) return Math.round(random() * 20 - 10) / 2; // on the edges of unit and half-unit bins
  if (i % 101 === 0) return random() < 0.5 ? -40 - random() : 40 + random();
  return random() * 10 - 5;
});
const weights = Float64Array.from(values, () => 0.5 + random());
const second = Float64Array.from(values, (x) => x * 0.5 + (random() - 0.5) * 3);

async function writeParquet(
  name: string,
  columns: Record<string, Float64Array>,
  rowGroupSize: number,
): Promise<string> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const columnData = Object.entries(columns).map(([column, data]) => ({ name: column, data, type: 'DOUBLE' as const }));
  const path = folder.file(name);
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize })));
  return path;
}

let file: Promise<string> | undefined;
const table = () => (file ??= writeParquet('values.parquet', { x: values, w: weights, y: second }, 4096));

function ok(result: Awaited<ReturnType<typeof histogramFile>>): Histogram {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}
const cells = (h: Histogram1D) => [h.underflow, ...h.values, h.overflow];

describe('binning a Parquet column equals numpy.histogram', () => {
  test('regular bins over a given range, flow counted apart', async () => {
    const h = ok(await histogramFile(await table(), { column: 'x', bins: 20, range: [-5, 5] })) as Histogram1D;
    assert.deepEqual(cells(h), numpyHistogram(values, 20, [-5, 5]));
    assert.equal(h.entries, values.length);
  });

  test('odd ranges where the scaled index must be corrected against the linspace edges', async () => {
    for (const [bins, range] of [
      [7, [-3.3, 2.9]],
      [13, [-0.1, 0.7]],
      [3, [-5, -0.5]],
    ] as const) {
      const h = ok(await histogramFile(await table(), { column: 'x', bins, range })) as Histogram1D;
      assert.deepEqual(cells(h), numpyHistogram(values, bins, range), `${bins} bins over ${range.join(':')}`);
    }
  });

  test('the automatic range is the data minimum to maximum, the maximum in the last bin', async () => {
    const h = ok(await histogramFile(await table(), { column: 'x', bins: 40 })) as Histogram1D;
    const expected = numpyHistogram(values, 40);
    assert.deepEqual(cells(h), expected);
    assert.equal(h.underflow + h.overflow, 0);
    const edges = numpy('print(json.dumps(np.histogram_bin_edges(a0, bins=40).tolist()))', [values]) as number[];
    assert.deepEqual(h.edges, edges);
  });

  test('the automatic range comes from the footer statistics when they exist, from a first pass when not', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const bare = folder.file('nostats.parquet');
    const columnData = [{ name: 'x', data: values, type: 'DOUBLE' as const, statistics: false }];
    writeFileSync(bare, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 4096 })));
    const expected = numpyHistogram(values, 25);
    for (const [path, passes] of [
      [await table(), ['fill']],
      [bare, ['range', 'fill']],
    ] as const) {
      const seen = new Set<string>();
      const h = ok(
        await histogramFile(path, { column: 'x', bins: 25 }, { onProgress: (p) => seen.add(p.pass) }),
      ) as Histogram1D;
      assert.deepEqual(cells(h), expected, path);
      assert.deepEqual([...seen], passes, path);
    }
  });

  test('variable edges', async () => {
    const edges = [-5, -2, -1.5, 0, 0.25, 3, 5];
    const h = ok(await histogramFile(await table(), { column: 'x', edges })) as Histogram1D;
    assert.deepEqual(cells(h), numpyHistogram(values, edges));
  });

  test('weights from another column: sums of weights and of squared weights per bin', async () => {
    const h = ok(
      await histogramFile(await table(), { column: 'x', weight: 'w', bins: 10, range: [-5, 5] }),
    ) as Histogram1D;
    const [sums, squares] = numpy(
      [
        's, _ = np.histogram(a0, bins=10, range=(-5, 5), weights=a1)',
        'q, _ = np.histogram(a0, bins=10, range=(-5, 5), weights=a1 * a1)',
        'print(json.dumps([s.tolist(), q.tolist()]))',
      ].join('\n'),
      [values, weights],
    ) as number[][];
    // numpy adds weights in blocks, so the last bits of a sum may differ from a running sum.
    h.values.forEach((v, i) =>
      assert.ok(Math.abs(v - sums[i]) <= 1e-9 * Math.abs(sums[i]), `bin ${i}: ${v} vs ${sums[i]}`),
    );
    h.variances?.forEach((v, i) =>
      assert.ok(Math.abs(v - squares[i]) <= 1e-9 * squares[i], `bin ${i}: ${v} vs ${squares[i]}`),
    );
    assert.equal(h.variances?.length, 10);
  });

  test('2-D from two columns equals numpy.histogram2d', async () => {
    const h = ok(
      await histogramFile(await table(), {
        column: 'x',
        y: 'y',
        bins: 8,
        range: [-4, 4],
        yAxis: { bins: 5, range: [-3, 3] },
      }),
    ) as Histogram2D;
    const expected = numpy(
      'h, _, _ = np.histogram2d(a0, a1, bins=[8, 5], range=[[-4, 4], [-3, 3]])\nprint(json.dumps(h.astype(int).tolist()))',
      [values, second],
    );
    assert.deepEqual(h.values, expected);
    assert.equal(
      h.flowValues.reduce((a, b) => a + b, 0),
      values.length,
    );
  });

  test('progress is reported per row group and reaches every row', async () => {
    const seen: number[] = [];
    ok(
      await histogramFile(
        await table(),
        { column: 'x', bins: 4, range: [0, 1] },
        { onProgress: (p) => seen.push(p.rowsDone) },
      ),
    );
    assert.equal(seen.length, Math.ceil(values.length / 4096));
    assert.equal(seen.at(-1), values.length);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      seen,
    );
  });

  test('an abort between row groups gives a cancelled result', async () => {
    const controller = new AbortController();
    const result = await histogramFile(
      await table(),
      { column: 'x', bins: 4, range: [0, 1] },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'cancelled');
  });
});

describe('axes', () => {
  test('linspace edges are numpy.linspace to the last bit', () => {
    const ours = [Array.from(linspace(-3.3, 2.9, 7)), Array.from(linspace(0.1, 0.7, 30))];
    const theirs = numpy(
      'print(json.dumps([np.linspace(-3.3, 2.9, 8).tolist(), np.linspace(0.1, 0.7, 31).tolist()]))',
      [],
    );
    assert.deepEqual(ours, theirs);
  });

  test('values on and one ulp either side of awkward edges land where numpy puts them', () => {
    for (const [bins, lower, upper] of [
      [7, -3.3, 2.9],
      [30, 0.1, 0.7],
      [49, -1e-3, 7e-3],
      [10, 1e6, 1e6 + 1],
    ]) {
      const probes = numpy(
        `e = np.linspace(${lower}, ${upper}, ${bins + 1})\nprint(json.dumps(np.concatenate([e, np.nextafter(e, -np.inf), np.nextafter(e, np.inf)]).tolist()))`,
        [],
      ) as number[];
      const filler = new Filler1D(makeAxis({ type: 'regular', bins, lower, upper }), false);
      filler.fill(probes);
      assert.deepEqual(
        Array.from(filler.counts),
        numpyHistogram(probes, bins, [lower, upper]),
        `${bins} bins over ${lower}:${upper}`,
      );
    }
  });

  test('the upper edge is in the last bin; beyond it, and NaN, is overflow', () => {
    const filler = new Filler1D(makeAxis({ type: 'regular', bins: 4, lower: 0, upper: 1 }), false);
    filler.fill([1, 0, -1e-300, 1 + 1e-15, NaN, -Infinity, Infinity]);
    assert.deepEqual(Array.from(filler.counts), [2, 1, 0, 0, 1, 3]);
  });

  test('the fast fill of evenly spaced bins agrees with the one-value-at-a-time fill, flow, NaN and moments included', () => {
    // The fast path takes values in pairs with separate counts and a second pass for values outside the range; the
    // same edges searched one value at a time (a variable axis) must give the same cells, and plain sums the same
    // moments. Lengths are odd and even, so the value left over from the pairs is covered too.
    const special = fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1, 2.5, 1e3, -1e3);
    const value = fc.oneof(fc.double({ min: -3, max: 4, noNaN: true }), special);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (xs, bins) => {
        const regular = makeAxis({ type: 'regular', bins, lower: -1, upper: 2.5 });
        const fast = new Filler1D(regular, false);
        const each = new Filler1D(makeAxis({ type: 'variable', edges: Array.from(regular.edges) }), false);
        fast.fill(Float64Array.from(xs));
        each.fill(xs);
        assert.deepEqual(Array.from(fast.counts), Array.from(each.counts));
        assert.equal(fast.entries, xs.length);
        const finite = xs.filter((x) => Number.isFinite(x));
        assert.equal(fast.moments.sumW, finite.length);
        // The sums are taken in another order, so they may differ by rounding: a tiny fraction of the terms' size.
        const scale = finite.reduce((s, x) => s + x * x + Math.abs(x), 1);
        const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * scale;
        const sum = finite.reduce((s, x) => s + x, 0);
        const squares = finite.reduce((s, x) => s + x * x, 0);
        assert.ok(close(fast.moments.sumWX, sum), `sum ${fast.moments.sumWX} against ${sum}`);
        assert.ok(close(fast.moments.sumWX2, squares), `sum of squares ${fast.moments.sumWX2} against ${squares}`);
      }),
      { numRuns: 2000, seed: 20261125 },
    );
  });

  test('bad binnings are refused with a sentence', () => {
    assert.throws(() => makeAxis({ type: 'regular', bins: 0, lower: 0, upper: 1 }), /at least 1/);
    assert.throws(() => makeAxis({ type: 'regular', bins: 3, lower: 2, upper: 1 }), /LO < HI/);
    assert.throws(() => makeAxis({ type: 'variable', edges: [0, 1, 1] }), /increase strictly/);
  });
});
