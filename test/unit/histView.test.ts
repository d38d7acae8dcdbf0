import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { join } from 'node:path';
import { copyAsPython } from '../../client/src/hist/copyAsPython';
import { listingItems, parsePick } from '../../client/src/hist/listing';
import { listFile } from '../../server/src/hist';
import { exportName, pngSize } from '../../client/src/hist/images';
import { drawn1D, mergeBins, niceTicks, rebinToEdges, restrictRange, statsOf } from '../../webviews/shared/hist/model';
import { escapeXml, plot1D, plot2D, StepPath, type Theme } from '../../webviews/shared/hist/plot';
import {
  DEFAULT_OPTIONS,
  isExtensionMessage,
  isWebviewMessage,
  type Hist1D,
  type Hist2D,
} from '../../webviews/shared/protocol';
import { ROOT_DATA } from './histSupport';

const hist: Hist1D = {
  kind: '1d',
  title: 'Muon p_x',
  xLabel: 'px [GeV]',
  edges: [0, 1, 2, 3, 4, 5],
  series: [
    { name: 'data', values: [1, 4, 9, 4, 1], underflow: 2, overflow: 3, entries: 24 },
    { name: 'mc', values: [2, 2, 2, 2, 2], variances: [1, 1, 1, 1, 1], underflow: 0, overflow: 0, entries: 10 },
  ],
};

const light: Theme = {
  foreground: '#111111',
  background: '#ffffff',
  grid: '#cccccc',
  font: 'sans-serif',
  fontSize: 12,
  palette: ['#1f77b4', '#ff7f0e'],
};

describe('histogram bins in the panel', () => {
  test('merging neighbours keeps totals, and a short last group is a bin of its own', () => {
    const merged = mergeBins(hist, 2);
    assert.deepEqual(merged.edges, [0, 2, 4, 5]);
    assert.deepEqual(merged.series[0].values, [5, 13, 1]);
    assert.deepEqual(merged.series[1].variances, [2, 2, 1]);
  });

  test('rebinning onto a subset of the edges moves the cut-off bins into the flow', () => {
    const rebinned = rebinToEdges(hist, [1, 3, 4]);
    assert.ok(typeof rebinned !== 'string');
    assert.deepEqual(rebinned.edges, [1, 3, 4]);
    assert.deepEqual(rebinned.series[0].values, [13, 4]);
    assert.equal(rebinned.series[0].underflow, 2 + 1);
    assert.equal(rebinned.series[0].overflow, 3 + 1);
  });

  test('an edge that is not an existing one is refused with a sentence', () => {
    assert.match(rebinToEdges(hist, [0, 2.5, 5]) as string, /2\.5 is not an edge/);
    assert.match(rebinToEdges(hist, [3, 1]) as string, /increase/);
  });

  test('the range keeps whole bins, and an empty range keeps everything', () => {
    assert.deepEqual(restrictRange(hist, [1, 3.5]).edges, [1, 2, 3]);
    assert.deepEqual(restrictRange(hist, [1.2, 1.8]).edges, hist.edges);
  });

  test('normalising gives unit area; stacking puts each sample on the ones below', () => {
    const normalised = drawn1D(hist, { ...DEFAULT_OPTIONS, normalise: true });
    for (const s of normalised.series) {
      const area = s.values.reduce((sum, v) => sum + v, 0);
      assert.ok(Math.abs(area - 1) < 1e-12);
    }
    const stacked = drawn1D(hist, { ...DEFAULT_OPTIONS, combine: 'stack' });
    assert.deepEqual(stacked.series[1].base, [1, 4, 9, 4, 1]);
  });

  test('the ratio divides by the reference, with its uncertainties', () => {
    const drawn = drawn1D(hist, { ...DEFAULT_OPTIONS, ratioTo: 1 });
    assert.deepEqual(drawn.ratio?.series[0].values, [0.5, 2, 4.5, 2, 0.5]);
    assert.deepEqual(drawn.ratio?.series[0].errors, [0.5, 1, 1.5, 1, 0.5]);
    assert.equal(drawn.ratio?.reference, 'mc');
  });

  test('stats from the bins when the engine sent none, computed as numpy.average would', () => {
    const stats = statsOf(hist.series[0], hist.edges);
    const code = `import numpy as np
c=np.array([0.5,1.5,2.5,3.5,4.5]); w=np.array([1,4,9,4,1])
m=np.average(c,weights=w); print(m, np.sqrt(np.average((c-m)**2,weights=w)))`;
    const run = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
    assert.equal(run.status, 0, `python3-numpy is needed for this check: ${run.stderr}`);
    const [mean, std] = run.stdout.trim().split(/\s+/).map(Number);
    assert.ok(Math.abs(stats.mean - mean) < 1e-12);
    assert.ok(Math.abs(stats.stdDev - std) < 1e-12);
  });

  test('ticks are round numbers inside the range', () => {
    assert.deepEqual(niceTicks(0, 10), [0, 2, 4, 6, 8, 10]);
    assert.deepEqual(niceTicks(0.1, 0.37), [0.1, 0.2, 0.3]);
    assert.deepEqual(niceTicks(-3, 3), [-2, 0, 2]);
  });
});

describe('the plot', () => {
  test('uses the theme colours, and a different theme gives a different picture', () => {
    const svg = plot1D(hist, DEFAULT_OPTIONS, light, { width: 600, height: 400 }).svg;
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="600" height="400"/);
    assert.ok(svg.includes('stroke="#1f77b4"') && svg.includes('fill="#ffffff"'));
    const dark = { ...light, foreground: '#eeeeee', background: '#1e1e1e', palette: ['#4fc1ff', '#f48771'] };
    const darkSvg = plot1D(hist, DEFAULT_OPTIONS, dark, { width: 600, height: 400 }).svg;
    assert.ok(darkSvg.includes('fill="#1e1e1e"') && !darkSvg.includes('#1f77b4'));
  });

  test('names from a file cannot inject markup', () => {
    const hostile = {
      ...hist,
      title: '<script>alert(1)</script>',
      series: [{ ...hist.series[0], name: '"/><img src=x>' }],
    };
    const svg = plot1D(hostile, DEFAULT_OPTIONS, light, { width: 600, height: 400 }).svg;
    assert.ok(!svg.includes('<script>') && !svg.includes('<img'));
    assert.equal(escapeXml(`<a b="c">&'`), '&lt;a b=&quot;c&quot;&gt;&amp;&#39;');
  });

  test('log y keeps empty bins on the plot, and the hover read-out names the bin and each sample', () => {
    const plot = plot1D(hist, { ...DEFAULT_OPTIONS, logY: true }, light, { width: 600, height: 400 });
    assert.doesNotMatch(plot.svg, /NaN|Infinity/);
    assert.equal(plot.cells, 5);
    assert.equal(plot.describe(2).text, '[2, 3)\ndata: 9 ± 3\nmc: 2 ± 1');
    assert.equal(plot.hit(5, 5), undefined);
  });

  test('a 2-D heat map has a cell per bin with content and a colour bar', () => {
    const data: Hist2D = {
      kind: '2d',
      title: 'eta vs phi',
      xLabel: 'eta',
      yLabel: 'phi',
      xEdges: [0, 1, 2],
      yEdges: [0, 1, 2, 3],
      values: [
        [1, 0, 3],
        [4, 5, 6],
      ],
      entries: 19,
    };
    const plot = plot2D(data, DEFAULT_OPTIONS, light, { width: 600, height: 400 });
    assert.equal(plot.cells, 6);
    assert.equal(plot.describe(1).text, 'x [0, 1)\ny [1, 2)\n0');
    assert.equal((plot.svg.match(/<rect /g) ?? []).length, 1 + 5 + 50 + 1);
  });

  test('a fine 2-D binning draws: more cells than a call takes arguments, same-coloured cells of a column merged', () => {
    const n = 1500;
    const edges = Array.from({ length: n + 1 }, (_, i) => i);
    // Every column holds one count throughout, the count growing from column to column; one empty column.
    const values = Array.from({ length: n }, (_, i) => new Array<number>(n).fill(i === 7 ? 0 : i + 1));
    const data: Hist2D = {
      kind: '2d',
      title: 'fine',
      xLabel: 'x',
      yLabel: 'y',
      xEdges: edges,
      yEdges: edges,
      values,
      entries: n * n,
    };
    const plot = plot2D(data, DEFAULT_OPTIONS, light, { width: 800, height: 600 });
    assert.equal(plot.cells, n * n);
    // The background, one rectangle per non-empty column, the 50 steps of the colour bar, and the legend box.
    assert.equal((plot.svg.match(/<rect /g) ?? []).length, 1 + (n - 1) + 50 + 1);
  });
});

describe('messages across the webview boundary', () => {
  test('exports are checked: SVG must be SVG, PNG must be base64, nothing oversized', () => {
    assert.ok(isWebviewMessage({ type: 'export', format: 'svg', data: '<svg></svg>' }));
    assert.ok(isWebviewMessage({ type: 'export', format: 'png', data: 'iVBORw0KGgo=' }));
    assert.ok(!isWebviewMessage({ type: 'export', format: 'png', data: 'not base64!' }));
    assert.ok(!isWebviewMessage({ type: 'export', format: 'svg', data: '<html>' }));
    assert.ok(!isWebviewMessage({ type: 'export', format: 'exe', data: 'AAAA' }));
    assert.ok(!isWebviewMessage({ type: 'runCommand', command: 'rm -rf /' }));
    assert.ok(!isWebviewMessage({ type: 'copyPython', options: { ...DEFAULT_OPTIONS, merge: 0 } }));
    assert.ok(!isWebviewMessage({ type: 'copyPython', options: DEFAULT_OPTIONS, edges: [2, 1] }));
    assert.ok(isWebviewMessage({ type: 'copyPython', options: DEFAULT_OPTIONS, edges: [1, 2] }));
    assert.ok(isWebviewMessage({ type: 'redraw', weight: 'column\u0000events\u0000w' }));
    assert.ok(!isWebviewMessage({ type: 'redraw', y: 42 }));
    assert.ok(!isWebviewMessage({ type: 'redraw', y: 'x'.repeat(5000) }));
  });

  test('bins from the extension are checked for shape before drawing', () => {
    assert.ok(isExtensionMessage({ type: 'histogram', data: hist }));
    assert.ok(!isExtensionMessage({ type: 'histogram', data: { ...hist, edges: [0, 1] } }));
    assert.ok(!isExtensionMessage({ type: 'histogram', data: { ...hist, edges: [0, 2, 1, 3, 4, 5] } }));
  });
});

describe('exports and Copy as Python', () => {
  test('PNG size is read from the IHDR chunk; anything else is not a PNG', () => {
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    assert.deepEqual(pngSize(png), { width: 640, height: 480 });
    assert.equal(pngSize(Buffer.from('<svg/>')), undefined);
  });

  test('file names from titles keep only safe characters', () => {
    assert.equal(exportName('Muon p_x / GeV', 'png'), 'Muon_p_x_GeV.png');
    assert.equal(exportName('../../.bashrc', 'svg'), 'bashrc.svg');
    assert.equal(exportName('', 'png'), 'histogram.png');
  });

  test('the Python is valid, quotes every name, and uses the edges shown', () => {
    const code = copyAsPython(
      hist,
      {
        format: 'root',
        tree: 'events',
        column: 'Muon_Px',
        samples: [
          { name: 'data', files: ['/data/a"b.root'] },
          { name: "mc'", files: ['/mc/1.root', '/mc/2.root'] },
        ],
      },
      { ...DEFAULT_OPTIONS, logY: true, combine: 'stack' },
      [0, 2, 4, 5],
    );
    assert.match(code, /\.Variable\(\[0, 2, 4, 5\], name="x", label="px \[GeV\]"\)/);
    assert.match(code, /stack=True/);
    assert.match(code, /plt\.yscale\("log"\)/);
    const compiled = spawnSync('/usr/bin/python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], {
      input: code,
      encoding: 'utf8',
    });
    assert.equal(compiled.status, 0, compiled.stderr);
  });
});

describe('the rows of a ROOT file with an RNTuple', () => {
  test('the RNTuple is a row with its entry count, and its fields are pickable rows that read back', async () => {
    const listed = await listFile(join(ROOT_DATA, 'Run2012BC_DoubleMuParked_Muons_1000evts_rntuple_v1-0-0-0.root'));
    assert.ok(listed.ok);
    const items = listingItems(listed.value);
    assert.deepEqual(
      items.map((item) => [item.label, item.description, item.depth, item.pickable]),
      [
        ['Events', 'RNTuple, 1000 entries', 0, false],
        ['Muon_pt', 'ROOT::VecOps::RVec<float>', 1, true],
        ['Muon_eta', 'ROOT::VecOps::RVec<float>', 1, true],
        ['Muon_phi', 'ROOT::VecOps::RVec<float>', 1, true],
        ['Muon_mass', 'ROOT::VecOps::RVec<float>', 1, true],
        ['Muon_charge', 'ROOT::VecOps::RVec<std::int32_t>', 1, true],
        ['nMuon', 'ROOT::RNTupleCardinality<std::uint32_t>', 1, true],
      ],
    );
    for (const item of items.slice(1)) {
      assert.deepEqual(parsePick(item.id), { kind: 'column', tree: 'Events', column: item.label });
    }
    assert.equal(parsePick(items[0].id), undefined);
  });

  test('a field that cannot be binned is listed with the reason and cannot be picked', () => {
    const items = listingItems({
      format: 'root',
      items: [
        {
          kind: 'rntuple',
          path: 'dir/ntuple',
          name: 'ntuple',
          className: 'ROOT::RNTuple',
          fields: [
            { name: 'x', type: 'float' },
            {
              name: 'label',
              type: 'std::string',
              unsupported: 'It cannot be histogrammed: it holds text (std::string).',
            },
          ],
        },
      ],
    });
    assert.deepEqual(
      items.map((item) => [item.label, item.description, item.pickable]),
      [
        ['ntuple', 'RNTuple', false],
        ['x', 'float', true],
        ['label', 'std::string: It cannot be histogrammed: it holds text (std::string).', false],
      ],
    );
    assert.deepEqual(parsePick(items[1].id), { kind: 'column', tree: 'dir/ntuple', column: 'x' });
  });
});

describe('the step path of many bins', () => {
  /** For each pixel column, the lowest and highest y a path of M/H/V moves (in hundredths of a pixel) reaches. */
  function coverage(d: string): Map<number, [number, number]> {
    const seen = new Map<number, [number, number]>();
    const mark = (column: number, y: number) => {
      const [low, high] = seen.get(column) ?? [y, y];
      seen.set(column, [Math.min(low, y), Math.max(high, y)]);
    };
    let x = 0;
    let y = 0;
    for (const [, command, a, b] of d.matchAll(/([MHV])(-?\d+)(?:,(-?\d+))?/g)) {
      if (command === 'M') [x, y] = [Number(a), Number(b)];
      else if (command === 'V') {
        mark(Math.floor(x / 100), y);
        y = Number(a);
      } else {
        const to = Number(a);
        const [from, end] = x < to ? [x, to] : [to, x];
        // A horizontal move covers the columns it passes through (its far end only when it goes into that column).
        for (let c = Math.floor(from / 100); c <= Math.floor((end - 1) / 100); c++) mark(c, y);
        x = to;
      }
      mark(Math.floor(x / 100), y);
    }
    return seen;
  }

  /** The same steps drawn naively: every bin's vertical and horizontal move. */
  function naive(starts: number[], ends: number[], heights: number[], y0: number): string {
    const parts = [`M${starts[0]},${y0}`];
    heights.forEach((h, i) => parts.push(`V${h}`, `H${ends[i]}`));
    return parts.join('');
  }

  test('bins narrower than a pixel cover, column by column, exactly what the naive path covers', () => {
    const random = (() => {
      let state = 7;
      return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    })();
    for (const [bins, width] of [
      [10_000, 110_000],
      [3_000, 100_000],
      [40, 100_000],
      [500, 73_321],
    ]) {
      const xs = Array.from({ length: bins + 1 }, (_, i) => Math.round(5_000 + (i * width) / bins));
      const heights = Array.from({ length: bins }, () => Math.round(1_000 + random() * 50_000));
      const starts = xs.slice(0, -1);
      const ends = xs.slice(1);
      const path = new StepPath(xs[0], heights[0]);
      path.steps(starts, ends, heights);
      const d = path.end();
      assert.deepEqual(coverage(d), coverage(naive(starts, ends, heights, heights[0])), `${bins} bins over ${width}`);
      // At most four vertical moves and one horizontal one per pixel column.
      assert.ok((d.match(/[HV]/g) ?? []).length <= 5 * (width / 100 + 1), `${bins} bins: ${d.length} characters`);
    }
  });
});
