// The Triton client of the facility layer against the simulated Triton: every call the GPU Servers view makes, the
// metrics parse, servers that lack the statistics or repository extension, model-control modes and faults. A private
// simulator, because the tests switch its mode and extensions.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import type { Result } from '../../client/src/facility/result';
import { TritonApi, type TritonServer } from '../../client/src/facility/triton';
import { TritonMetricsApi } from '../../client/src/facility/tritonMetrics';
import { TritonModelsApi } from '../../client/src/facility/tritonModels';
import { averages, intervalAverages } from '../../client/src/facility/tritonStats';
import { snippetAddress, tritonClientSnippet } from '../../client/src/gpu/tritonSnippet';
import { startSimulator, type Simulator } from '../support/simulator';

let sim: Simulator;
let http: FacilityHttp;
const signal = new AbortController().signal;

before(async () => {
  sim = await startSimulator({ hub: false, dask: false, own: true });
  const created = await FacilityHttp.create({ timeoutMs: 10_000 });
  assert.ok(created.ok);
  http = created.value;
});

after(async () => {
  await http?.close();
  await sim?.stop();
});

beforeEach(() =>
  settings({ modelControlMode: 'explicit', statistics: true, modelRepository: true, malformedMetrics: false }),
);
afterEach(() => sim.clearFaults());

async function settings(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sim.control}/triton/settings`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

function value<T>(result: Result<T>): T {
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

function failure<T>(result: Result<T>) {
  assert.ok(!result.ok, 'expected a failure');
  return result.error;
}

const server = async (): Promise<TritonServer> => value(await new TritonApi(http, sim.triton).server(signal));
const models = async () => new TritonModelsApi(http, sim.triton, (await server()).extensions);

describe('Triton server and models', () => {
  test('the server is live and ready, with its version and extensions', async () => {
    const s = await server();
    assert.equal(s.live, true);
    assert.equal(s.ready, true);
    assert.equal(s.name, 'triton');
    assert.equal(s.version, '2.59.0');
    assert.ok(s.extensions.includes('statistics') && s.extensions.includes('model_repository'));
  });

  test('the index gives each model with state and reason', async () => {
    const all = value(await (await models()).index(signal));
    assert.deepEqual(
      all.map((m) => [m.name, m.version, m.state]),
      [
        ['particlenet_ak4', '1', 'READY'],
        ['reconstruction_bdt_xgb', '1', 'READY'],
        ['jet_energy_regression', undefined, 'UNAVAILABLE'],
        ['tau_id_tf', '1', 'UNAVAILABLE'],
      ],
    );
    assert.match(all[3].reason, /unexpected inference output 'dense_3'/);
    const ready = value(await (await models()).index(signal, true));
    assert.deepEqual(
      ready.map((m) => m.name),
      ['particlenet_ak4', 'reconstruction_bdt_xgb'],
    );
  });

  test('details: metadata, config and statistics of one model', async () => {
    const details = value(await (await models()).details('particlenet_ak4', signal));
    assert.equal(details.metadata.platform, 'onnxruntime_onnx');
    assert.deepEqual(details.metadata.versions, ['1']);
    assert.deepEqual(
      details.metadata.inputs.map((t) => [t.name, t.datatype, t.shape]),
      [
        ['pf_points', 'FP32', [-1, 2, 100]],
        ['pf_features', 'FP32', [-1, 20, 100]],
        ['pf_mask', 'FP32', [-1, 1, 100]],
      ],
    );
    assert.deepEqual(details.metadata.outputs, [{ name: 'softmax', datatype: 'FP32', shape: [-1, 5] }]);
    assert.equal(details.config.max_batch_size, 256);
    const stats = value(details.statistics);
    assert.equal(stats?.name, 'particlenet_ak4');
  });

  test('statistics grow with inferences; averages come from the counters', async () => {
    await settings({ requestsPerSecond: 0 });
    const api = await models();
    const [before] = value(await api.statistics(signal, 'reconstruction_bdt_xgb'));
    for (const batch of [10, 30]) {
      const res = await fetch(`${sim.triton}/v2/models/reconstruction_bdt_xgb/infer`, {
        method: 'POST',
        body: JSON.stringify({
          inputs: [{ name: 'input__0', datatype: 'FP32', shape: [batch, 20], data: new Array(batch * 20).fill(1) }],
        }),
      });
      assert.equal(res.status, 200);
    }
    const [after] = value(await api.statistics(signal, 'reconstruction_bdt_xgb'));
    const interval = intervalAverages(before, after);
    assert.equal(interval.requests, 2);
    assert.equal(interval.inferences, 40);
    assert.equal(interval.averageBatchSize, 20);
    assert.ok(interval.averageQueueMs !== undefined && interval.averageQueueMs > 0);
    assert.ok(interval.averageComputeMs !== undefined && interval.averageComputeMs > 0);
    assert.ok(after.lastInference && (!before.lastInference || after.lastInference >= before.lastInference));
    const whole = averages(after);
    assert.equal(whole.requests, after.success.count);
    const all = value(await api.statistics(signal));
    assert.deepEqual(
      all.map((s) => s.name),
      ['particlenet_ak4', 'reconstruction_bdt_xgb'],
    );
  });

  test('readiness of a model is true, false for an unloaded or unknown one', async () => {
    const api = await models();
    assert.equal(value(await api.ready('particlenet_ak4', signal)), true);
    assert.equal(value(await api.ready('tau_id_tf', signal)), false);
    assert.equal(value(await api.ready('nope', signal)), false);
  });

  test('explicit mode: unload and load change the state in the index', async () => {
    const api = await models();
    const stateOf = async (name: string) =>
      value(await api.index(signal)).find((m) => m.name === name)?.state ?? 'missing';
    value(await api.unload('reconstruction_bdt_xgb', signal, true));
    assert.equal(await stateOf('reconstruction_bdt_xgb'), 'UNAVAILABLE');
    const metadata = failure(await api.metadata('reconstruction_bdt_xgb', signal));
    assert.match(metadata.message, /has no available versions/);
    value(await api.load('reconstruction_bdt_xgb', signal));
    assert.equal(await stateOf('reconstruction_bdt_xgb'), 'READY');
  });

  test('a model that cannot load reports Triton’s reason', async () => {
    const error = failure(await (await models()).load('tau_id_tf', signal));
    assert.equal(error.status, 400);
    assert.match(error.message, /load failed for model 'tau_id_tf'.*unexpected inference output 'dense_3'/);
  });

  for (const mode of ['none', 'poll']) {
    test(`mode ${mode}: load and unload say that model control is not explicit`, async () => {
      await settings({ modelControlMode: mode });
      const api = await models();
      for (const call of [api.load('jet_energy_regression', signal), api.unload('particlenet_ak4', signal)]) {
        const error = failure(await call);
        assert.equal(error.status, 503);
        assert.match(error.message, /model control mode is not "explicit"/);
        assert.match(error.message, /--model-control-mode=none or poll/);
      }
      assert.equal(
        value(await api.index(signal)).find((m) => m.name === 'particlenet_ak4')?.state,
        'READY',
        'nothing changed',
      );
    });
  }

  test('an unknown model keeps Triton’s words', async () => {
    const error = failure(await (await models()).config('nope', signal));
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /Request for unknown model: 'nope' is not found/);
  });
});

describe('a Triton without an extension', () => {
  test('without statistics: no request is sent and the message says why; details still come', async () => {
    await settings({ statistics: false });
    const api = await models();
    const before = (await sim.requestCounts('triton'))['GET /v2/models/{model}/stats'] ?? 0;
    const error = failure(await api.statistics(signal, 'particlenet_ak4'));
    assert.equal(error.kind, 'notFound');
    assert.match(error.message, /does not offer the statistics extension, so it keeps no inference statistics/);
    assert.equal((await sim.requestCounts('triton'))['GET /v2/models/{model}/stats'] ?? 0, before);
    const details = value(await api.details('particlenet_ak4', signal));
    assert.equal(details.metadata.name, 'particlenet_ak4');
    assert.match(failure(details.statistics).message, /statistics extension/);
  });

  test('an extension advertised earlier but gone now gives the same message, not a bare 404', async () => {
    const stale = await models();
    await settings({ statistics: false, modelRepository: false });
    assert.match(failure(await stale.statistics(signal)).message, /does not offer the statistics extension/);
    assert.match(failure(await stale.index(signal)).message, /does not offer the model repository extension/);
    assert.match(failure(await stale.unload('particlenet_ak4', signal)).message, /cannot be unloaded from here/);
  });

  test('without the model repository: models cannot be listed, loaded or unloaded', async () => {
    await settings({ modelRepository: false });
    const api = await models();
    assert.match(
      failure(await api.index(signal)).message,
      /^Triton at 127\.0\.0\.1:\d+ does not offer the model repository extension, so its models cannot be listed\.$/,
    );
    assert.match(failure(await api.load('jet_energy_regression', signal)).message, /cannot be loaded from here/);
  });
});

describe('Triton faults', () => {
  test('a dropped connection reads as unreachable', async () => {
    await sim.fault({ service: 'triton', route: 'POST /v2/repository/index', drop: true });
    const error = failure(await (await models()).index(signal));
    assert.equal(error.kind, 'unreachable');
  });

  test('a 5xx keeps the server’s error text', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2/models/{model}/config', status: 500 });
    const error = failure(await (await models()).config('particlenet_ak4', signal));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 500);
    assert.match(error.message, /answered 500: Internal Server Error/);
  });

  test('a truncated statistics answer is a failure, not half a result', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2/models/stats', truncate: true });
    assert.ok(!(await (await models()).statistics(signal)).ok);
  });

  test('latency past the timeout reads as a timeout', async () => {
    const quick = value(await FacilityHttp.create({ timeoutMs: 300 }));
    try {
      await sim.fault({ service: 'triton', route: 'GET /v2/models/{model}', latencyMs: 3_000 });
      const error = failure(
        await new TritonModelsApi(quick, sim.triton, ['model_repository']).metadata('particlenet_ak4', signal),
      );
      assert.equal(error.kind, 'timeout');
    } finally {
      await quick.close();
    }
  });
});

describe('Triton metrics', () => {
  const metrics = () => new TritonMetricsApi(http, sim.tritonMetrics);

  test('GPU summaries: utilisation, memory used and total, power per GPU uuid', async () => {
    const read = value(await metrics().read(signal));
    assert.equal(read.skippedLines, 0);
    assert.equal(read.warning, undefined);
    assert.deepEqual(
      read.gpus.map((g) => g.uuid),
      ['GPU-6f1c1a0e-3b8e-4d0c-9a47-2f5d1c8e7b21', 'GPU-b3a9d7c4-58e2-4f61-8d0b-7c3e9a1f2d64'],
    );
    for (const gpu of read.gpus) {
      assert.ok(gpu.utilization !== undefined && gpu.utilization >= 0 && gpu.utilization < 1);
      assert.equal(gpu.memoryTotalBytes, 48_305_799_168);
      assert.ok(gpu.memoryUsedBytes !== undefined && gpu.memoryUsedBytes < gpu.memoryTotalBytes);
      assert.ok(gpu.powerWatts !== undefined && gpu.powerWatts > 0);
      assert.equal(gpu.powerLimitWatts, 350);
    }
  });

  test('per-model counters agree with the statistics extension', async () => {
    await settings({ requestsPerSecond: 0 });
    const [stats] = value(await (await models()).statistics(signal, 'particlenet_ak4'));
    const model = value(await metrics().read(signal)).models.find((m) => m.model === 'particlenet_ak4');
    assert.deepEqual(model, {
      model: 'particlenet_ak4',
      version: '1',
      success: stats.success.count,
      failure: stats.fail.count,
      inferences: stats.inferenceCount,
      executions: stats.executionCount,
      pending: 0,
    });
  });

  test('malformed lines are skipped and counted; the GPUs still come through', async () => {
    await settings({ malformedMetrics: true });
    const read = value(await metrics().read(signal));
    assert.equal(read.skippedLines, 3);
    assert.match(
      read.warning ?? '',
      /^Triton metrics at 127\.0\.0\.1:\d+: 3 lines could not be read and were left out \(lines \d+, \d+, \d+\)\.$/,
    );
    assert.equal(read.gpus.length, 2);
    assert.ok(read.gpus.every((g) => g.utilization !== undefined && g.memoryUsedBytes !== undefined));
  });

  test('a dropped or truncated metrics answer and a 5xx are failures', async () => {
    await sim.fault({ service: 'tritonMetrics', route: 'GET /metrics', drop: true, times: 1 });
    assert.equal(failure(await metrics().read(signal)).kind, 'unreachable');
    await sim.fault({ service: 'tritonMetrics', route: 'GET /metrics', truncate: true, times: 1 });
    assert.equal(failure(await metrics().read(signal)).kind, 'unreachable');
    await sim.fault({ service: 'tritonMetrics', route: 'GET /metrics', status: 503, times: 1 });
    const error = failure(await metrics().read(signal));
    assert.equal(error.status, 503);
    assert.ok(value(await metrics().read(signal)).gpus.length === 2, 'answers again once the faults are used up');
  });

  test('a page that is not Prometheus text at all is a bad response', async () => {
    await sim.fault({ service: 'tritonMetrics', route: 'GET /metrics', status: 200, body: { not: 'metrics' } });
    const error = failure(await metrics().read(signal));
    assert.equal(error.kind, 'badResponse');
    assert.match(error.message, /not in the Prometheus text format/);
  });
});

describe('tritonclient snippet from the server’s metadata', () => {
  test('uses the model’s real inputs and compiles as Python', async (t) => {
    value(await (await models()).load('jet_energy_regression', signal));
    const meta = value(await (await models()).metadata('jet_energy_regression', signal));
    const text = tritonClientSnippet({
      model: meta.name,
      version: meta.versions[0],
      inputs: meta.inputs,
      outputs: meta.outputs,
      protocol: 'grpc',
      ...snippetAddress(sim.triton, 'grpc'),
      batchSize: 32,
    });
    assert.match(text, /grpcclient\.InferInput\("INPUT__0", \[32, 16\], "FP32"\)/);
    assert.match(text, /grpcclient\.InferInput\("INPUT__1", \[32, 1\], "INT64"\)/);
    assert.match(text, /np\.zeros\(\(32, 1\), dtype=np\.int64\)/);
    assert.match(text, /InferRequestedOutput\("OUTPUT__0"\)/);
    assert.match(text, /url="127\.0\.0\.1:8001"/);
    const python = spawnSync('/usr/bin/python3', ['-c', 'import sys; compile(sys.stdin.read(), "s", "exec")'], {
      input: text,
      encoding: 'utf8',
    });
    if (python.error) return t.skip('no /usr/bin/python3');
    assert.equal(python.status, 0, python.stderr);
  });
});
