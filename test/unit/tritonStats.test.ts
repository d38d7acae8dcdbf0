import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError } from '../../client/src/facility/shape';
import {
  averages,
  intervalAverages,
  readModelStats,
  type TritonModelStats,
} from '../../client/src/facility/tritonStats';

/** A `model_stats` entry as the statistics extension sends it (servicex-facts.md §7.2). */
function entry(requests: number, inferences: number, queueNs: number, computeNs: number, last = 1_700_000_000_000) {
  return {
    name: 'particlenet_ak4',
    version: '1',
    last_inference: last,
    inference_count: inferences,
    execution_count: requests,
    inference_stats: {
      success: { count: requests, ns: queueNs + computeNs + requests * 1000 },
      fail: { count: 1, ns: 500 },
      queue: { count: requests, ns: queueNs },
      compute_input: { count: requests, ns: computeNs / 4 },
      compute_infer: { count: requests, ns: computeNs / 2 },
      compute_output: { count: requests, ns: computeNs / 4 },
      cache_hit: { count: 0, ns: 0 },
      cache_miss: { count: 0, ns: 0 },
    },
    response_stats: {},
    batch_stats: [],
    memory_usage: [],
  };
}

function read(...entries: unknown[]): TritonModelStats[] {
  const stats = readModelStats({ model_stats: entries });
  assert.ok(!(stats instanceof ShapeError), stats instanceof ShapeError ? stats.message : '');
  return stats;
}

describe('Triton statistics', () => {
  test('reads counters and the last inference time', () => {
    const [stats] = read(entry(4, 32, 8_000_000, 40_000_000));
    assert.equal(stats.name, 'particlenet_ak4');
    assert.equal(stats.version, '1');
    assert.equal(stats.lastInference?.toISOString(), '2023-11-14T22:13:20.000Z');
    assert.deepEqual(stats.queue, { count: 4, ns: 8_000_000 });
    assert.equal(stats.inferenceCount, 32);
  });

  test('a model that never ran has no last inference and no averages', () => {
    const [stats] = read({ ...entry(0, 0, 0, 0), last_inference: 0 });
    assert.equal(stats.lastInference, undefined);
    assert.deepEqual(averages(stats), {
      requests: 0,
      inferences: 0,
      averageQueueMs: undefined,
      averageComputeMs: undefined,
      averageBatchSize: undefined,
      failures: 1,
    });
  });

  test('averages per request come from the cumulative counters', () => {
    const [stats] = read(entry(4, 32, 8_000_000, 40_000_000));
    assert.deepEqual(averages(stats), {
      requests: 4,
      inferences: 32,
      averageQueueMs: 2,
      averageComputeMs: 10,
      averageBatchSize: 8,
      failures: 1,
    });
  });

  test('interval averages use the difference of two readings', () => {
    const [earlier] = read(entry(4, 32, 8_000_000, 40_000_000));
    const [later] = read(entry(6, 36, 9_000_000, 44_000_000));
    const interval = intervalAverages(earlier, later);
    assert.equal(interval.requests, 2);
    assert.equal(interval.inferences, 4);
    assert.equal(interval.averageQueueMs, 0.5);
    assert.equal(interval.averageComputeMs, 2);
    assert.equal(interval.averageBatchSize, 2);
    assert.equal(interval.failures, 0);
  });

  test('a reloaded model (counters went down) is averaged on its own', () => {
    const [earlier] = read(entry(40, 320, 80_000_000, 400_000_000));
    const [later] = read(entry(2, 4, 2_000_000, 6_000_000));
    assert.deepEqual(intervalAverages(earlier, later), averages(later));
  });

  test('missing or odd fields read as zero; a body without model_stats is a shape error', () => {
    const [stats] = read({ name: 'm', inference_count: -3, inference_stats: { queue: { count: 'x' } } });
    assert.equal(stats.inferenceCount, 0);
    assert.deepEqual(stats.queue, { count: 0, ns: 0 });
    assert.ok(readModelStats({ stats: [] }) instanceof ShapeError);
    assert.ok(readModelStats({ model_stats: [{ version: '1' }] }) instanceof ShapeError);
  });
});
