import type { Histogram } from '../../server/src/hist';
import { testdataDir } from '../support/testdata';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Shared by the hist*.test.ts files: numpy (Debian's python3-numpy through /usr/bin/python3) as the reference for
// bin contents, and a scratch folder for files the tests write.

export const TESTDATA = testdataDir();
export const ROOT_DATA = join(TESTDATA, 'root');
export const UHI_DATA = join(TESTDATA, 'uhi');
export const PYTHON = '/usr/bin/python3';

/** A scratch folder, removed by `dispose()`. */
export function scratch(prefix: string): { readonly dir: string; file(name: string): string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `coffea-casa-${prefix}-`));
  return { dir, file: (name) => join(dir, name), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `script` in numpy with each of `arrays` written as little-endian float64 and bound to a0, a1, …; the script
 * prints one JSON document, which is returned. Fails with what to install when numpy is missing.
 */
export function numpy(script: string, arrays: readonly ArrayLike<number>[]): unknown {
  const check = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
  assert.equal(
    check.status,
    0,
    `numpy is needed as the reference for bin contents: install python3-numpy (apt-get install python3-numpy). ${check.stderr ?? ''}`,
  );
  const folder = scratch('numpy');
  try {
    const loads = arrays.map((values, i) => {
      const path = folder.file(`a${i}.f8`);
      writeFileSync(path, Buffer.from(Float64Array.from(values).buffer));
      return `a${i} = np.fromfile(${JSON.stringify(path)}, dtype='<f8')`;
    });
    const program = ['import json, sys', 'import numpy as np', ...loads, script].join('\n');
    const run = spawnSync(PYTHON, ['-c', program], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(run.status, 0, `numpy script failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    folder.dispose();
  }
}

/** numpy.histogram's counts plus what it leaves out below and above the range, as [underflow, ...bins, overflow]. */
export function numpyHistogram(
  values: ArrayLike<number>,
  bins: number | readonly number[],
  range?: readonly [number, number],
): number[] {
  const binArg = typeof bins === 'number' ? String(bins) : `np.array(${JSON.stringify(bins)}, dtype='<f8')`;
  const rangeArg = range ? `, range=(${range[0].toString()}, ${range[1].toString()})` : '';
  return numpy(
    [
      `counts, edges = np.histogram(a0, bins=${binArg}${rangeArg})`,
      'under = int(np.count_nonzero(a0 < edges[0]))',
      'over = int(np.count_nonzero(a0 > edges[-1]) + np.count_nonzero(np.isnan(a0)))',
      'print(json.dumps([under] + [int(c) for c in counts] + [over]))',
    ].join('\n'),
    [values],
  ) as number[];
}

/** A deterministic pseudo-random sequence (a linear congruential generator), so the tests see the same values every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The value of a successful engine result; a failed one fails the test with its message. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

/** A histogram's cells with flow: [underflow, ...bins, overflow] in 1-D, every cell in 2-D. */
export const cells = (h: Histogram): number[] =>
  h.kind === '1d' ? [h.underflow, ...h.values, h.overflow] : h.flowValues;
