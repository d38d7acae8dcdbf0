// The simulated Triton speaks KServe v2 and Triton's extensions as servicex-facts.md §7 documents them: field names,
// status codes and {"error"} bodies, checked over plain HTTP. It starts a private simulator because the tests switch
// its model-control mode and extensions, which a shared one must keep.
import * as assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../support/simulator';

let sim: Simulator;

before(async () => {
  sim = await startSimulator({ hub: false, dask: false, own: true });
});

after(async () => {
  await sim?.stop();
});

/** Steers the simulated Triton through the control API; returns the settings it answers with. */
async function settings(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.control}/triton/settings`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, unknown>;
}

const DEFAULTS = {
  modelControlMode: 'explicit',
  statistics: true,
  modelRepository: true,
  malformedMetrics: false,
  requestsPerSecond: 0,
};

function post(path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.triton}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function json<T>(res: Response, status = 200): Promise<T> {
  assert.equal(res.status, status, `${res.url} answered ${res.status}`);
  return (await res.json()) as T;
}

interface IndexEntry {
  name: string;
  version?: string;
  state: string;
  reason: string;
}

interface Stats {
  model_stats: {
    name: string;
    version: string;
    last_inference: number;
    inference_count: number;
    execution_count: number;
    inference_stats: Record<string, { count: number; ns: number }>;
    batch_stats: { batch_size: number; compute_infer: { count: number; ns: number } }[];
    memory_usage: { type: string; id: number; byte_size: number }[];
  }[];
}

const index = async (body?: unknown) => json<IndexEntry[]>(await post('/v2/repository/index', body));
const stateOf = async (name: string) => (await index()).find((m) => m.name === name);
const stats = async (model: string) =>
  (await json<Stats>(await fetch(`${sim.triton}/v2/models/${model}/stats`))).model_stats[0];

/** A valid inference request for reconstruction_bdt_xgb: `batch` rows of 20 features. */
const bdtRequest = (batch: number) => ({
  id: 'req-1',
  inputs: [{ name: 'input__0', datatype: 'FP32', shape: [batch, 20], data: new Array(batch * 20).fill(0.5) }],
});

beforeEach(() => settings(DEFAULTS));
afterEach(() => sim.clearFaults());

describe('Triton model repository (§7.2)', () => {
  test('the index lists every model with name, version, state and reason', async () => {
    const all = await index();
    assert.deepEqual(
      all.map((m) => [m.name, m.version, m.state]),
      [
        ['particlenet_ak4', '1', 'READY'],
        ['reconstruction_bdt_xgb', '1', 'READY'],
        ['jet_energy_regression', undefined, 'UNAVAILABLE'],
        ['tau_id_tf', '1', 'UNAVAILABLE'],
      ],
    );
    for (const m of all)
      assert.deepEqual(
        Object.keys(m).sort(),
        m.version ? ['name', 'reason', 'state', 'version'] : ['name', 'reason', 'state'],
      );
    assert.match(all[3].reason, /^failed to load 'tau_id_tf' version 1: /);
  });

  test('{"ready": true} lists only the ready models; a broken body is a 400 {"error"}', async () => {
    assert.deepEqual(
      (await index({ ready: true })).map((m) => m.name),
      ['particlenet_ak4', 'reconstruction_bdt_xgb'],
    );
    assert.equal((await index({ ready: false })).length, 4);
    const bad = await post('/v2/repository/index', '{not json');
    assert.deepEqual(await json(bad, 400), { error: 'failed to parse the request JSON buffer' });
  });

  test('explicit mode: load makes a model READY, unload makes it UNAVAILABLE "unloaded"', async () => {
    assert.equal((await post('/v2/repository/models/jet_energy_regression/load')).status, 200);
    assert.deepEqual(await stateOf('jet_energy_regression'), {
      name: 'jet_energy_regression',
      version: '3',
      state: 'READY',
      reason: '',
    });
    assert.equal((await fetch(`${sim.triton}/v2/models/jet_energy_regression/ready`)).status, 200);
    const unload = await post('/v2/repository/models/jet_energy_regression/unload', {
      parameters: { unload_dependents: false },
    });
    assert.equal(unload.status, 200);
    assert.equal(await unload.text(), '');
    assert.deepEqual(await stateOf('jet_energy_regression'), {
      name: 'jet_energy_regression',
      version: '3',
      state: 'UNAVAILABLE',
      reason: 'unloaded',
    });
    assert.equal((await fetch(`${sim.triton}/v2/models/jet_energy_regression/ready`)).status, 400);
  });

  test('a model that fails to load stays UNAVAILABLE and the load answers 400 with the reason', async () => {
    const body = await json<{ error: string }>(await post('/v2/repository/models/tau_id_tf/load'), 400);
    assert.match(body.error, /^load failed for model 'tau_id_tf': version 1 is at UNAVAILABLE state: failed to load/);
    const unknown = await json<{ error: string }>(await post('/v2/repository/models/nope/load'), 400);
    assert.deepEqual(unknown, { error: "failed to load 'nope', failed to poll from model repository" });
    const config = await post('/v2/repository/models/jet_energy_regression/load', { parameters: { config: '{x' } });
    assert.equal(config.status, 400);
  });

  for (const mode of ['none', 'poll']) {
    test(`mode ${mode}: load and unload answer 503 with Triton's message, and change nothing`, async () => {
      await settings({ modelControlMode: mode });
      for (const action of ['load', 'unload']) {
        const res = await post(`/v2/repository/models/particlenet_ak4/${action}`);
        assert.deepEqual(await json(res, 503), {
          error: 'explicit model load / unload is not allowed if polling is enabled',
        });
      }
      assert.equal((await stateOf('particlenet_ak4'))?.state, 'READY');
    });
  }
});

describe('Triton model metadata, config and readiness (§7.1, §7.2)', () => {
  test('metadata gives platform, versions and tensors with datatype and shape', async () => {
    assert.deepEqual(await json(await fetch(`${sim.triton}/v2/models/reconstruction_bdt_xgb`)), {
      name: 'reconstruction_bdt_xgb',
      versions: ['1'],
      platform: 'fil',
      inputs: [{ name: 'input__0', datatype: 'FP32', shape: [-1, 20] }],
      outputs: [{ name: 'output__0', datatype: 'FP32', shape: [-1, 2] }],
    });
    const versioned = await json<{ name: string }>(
      await fetch(`${sim.triton}/v2/models/reconstruction_bdt_xgb/versions/1`),
    );
    assert.equal(versioned.name, 'reconstruction_bdt_xgb');
  });

  test('config gives the model configuration, dims without the batch dimension', async () => {
    const config = await json<Record<string, unknown>>(await fetch(`${sim.triton}/v2/models/particlenet_ak4/config`));
    assert.equal(config.name, 'particlenet_ak4');
    assert.equal(config.platform, 'onnxruntime_onnx');
    assert.equal(config.max_batch_size, 256);
    const input = (config.input as { name: string; data_type: string; dims: number[] }[])[0];
    assert.deepEqual([input.name, input.data_type, input.dims], ['pf_points', 'TYPE_FP32', [2, 100]]);
    assert.equal((config.instance_group as { kind: string }[])[0].kind, 'KIND_GPU');
  });

  test('unknown models, versions and unloaded models answer {"error"}', async () => {
    assert.deepEqual(await json(await fetch(`${sim.triton}/v2/models/nope`), 404), {
      error: "Request for unknown model: 'nope' is not found",
    });
    assert.deepEqual(await json(await fetch(`${sim.triton}/v2/models/particlenet_ak4/versions/9/config`), 404), {
      error: "Request for unknown model: 'particlenet_ak4' version 9 is not found",
    });
    assert.deepEqual(await json(await fetch(`${sim.triton}/v2/models/tau_id_tf`), 400), {
      error: "Request for unknown model: 'tau_id_tf' has no available versions",
    });
    assert.equal((await fetch(`${sim.triton}/v2/models/nope/ready`)).status, 400);
    assert.equal((await fetch(`${sim.triton}/v2/models/particlenet_ak4/versions/1/ready`)).status, 200);
  });
});

describe('Triton statistics (§7.2)', () => {
  test('every inference adds to the cumulative counters', async () => {
    const before = await stats('reconstruction_bdt_xgb');
    const res = await json<{ model_name: string; model_version: string; id: string; outputs: unknown[] }>(
      await post('/v2/models/reconstruction_bdt_xgb/infer', bdtRequest(8)),
    );
    assert.deepEqual(res, {
      model_name: 'reconstruction_bdt_xgb',
      model_version: '1',
      id: 'req-1',
      outputs: [{ name: 'output__0', datatype: 'FP32', shape: [8, 2], data: new Array(16).fill(0.5) }],
    });
    await post('/v2/models/reconstruction_bdt_xgb/infer', bdtRequest(4));
    const after = await stats('reconstruction_bdt_xgb');
    assert.equal(after.inference_count - before.inference_count, 12);
    assert.equal(after.execution_count - before.execution_count, 2);
    for (const key of ['success', 'queue', 'compute_input', 'compute_infer', 'compute_output']) {
      assert.equal(after.inference_stats[key].count - before.inference_stats[key].count, 2, key);
      assert.ok(after.inference_stats[key].ns > before.inference_stats[key].ns, key);
    }
    assert.ok(after.last_inference >= before.last_inference && after.last_inference > 0);
    assert.ok(after.batch_stats.some((b) => b.batch_size === 8));
    assert.deepEqual(after.memory_usage[0].type, 'GPU');
  });

  test('a request that does not match the metadata is refused and counted as a failure', async () => {
    const before = await stats('reconstruction_bdt_xgb');
    const wrongName = { inputs: [{ ...bdtRequest(1).inputs[0], name: 'x' }] };
    assert.deepEqual(await json(await post('/v2/models/reconstruction_bdt_xgb/infer', wrongName), 400), {
      error: "unexpected inference input 'x' for model 'reconstruction_bdt_xgb'",
    });
    const wrongShape = { inputs: [{ ...bdtRequest(1).inputs[0], shape: [1, 19] }] };
    assert.equal((await post('/v2/models/reconstruction_bdt_xgb/infer', wrongShape)).status, 400);
    const after = await stats('reconstruction_bdt_xgb');
    assert.equal(after.inference_stats.fail.count - before.inference_stats.fail.count, 2);
    assert.equal(after.inference_count, before.inference_count);
  });

  test('simulated traffic makes the counters grow by themselves', async () => {
    const before = await stats('particlenet_ak4');
    await settings({ requestsPerSecond: 1000 });
    let now = before;
    // Each read lets simulated time pass; this waits on the condition, not on a clock.
    for (let attempt = 0; attempt < 10_000 && now.execution_count === before.execution_count; attempt++) {
      now = await stats('particlenet_ak4');
    }
    assert.ok(now.execution_count > before.execution_count);
    assert.ok(now.inference_count > before.inference_count);
    assert.ok(now.last_inference > before.last_inference);
  });

  test('all models at once lists the ready ones', async () => {
    const all = await json<Stats>(await fetch(`${sim.triton}/v2/models/stats`));
    assert.deepEqual(
      all.model_stats.map((s) => s.name),
      ['particlenet_ak4', 'reconstruction_bdt_xgb'],
    );
  });
});

describe('a Triton without an extension', () => {
  test('without statistics: not advertised, and its routes are 404 {"error"}', async () => {
    await settings({ statistics: false });
    const metadata = await json<{ extensions: string[] }>(await fetch(`${sim.triton}/v2`));
    assert.ok(!metadata.extensions.includes('statistics'));
    assert.ok(metadata.extensions.includes('model_repository'));
    for (const path of ['/v2/models/stats', '/v2/models/particlenet_ak4/stats']) {
      assert.deepEqual(await json(await fetch(`${sim.triton}${path}`), 404), { error: 'Not Found' });
    }
  });

  test('without the model repository: not advertised, and index, load and unload are 404', async () => {
    await settings({ modelRepository: false });
    const metadata = await json<{ extensions: string[] }>(await fetch(`${sim.triton}/v2`));
    assert.ok(!metadata.extensions.some((e) => e.startsWith('model_repository')));
    for (const path of ['/v2/repository/index', '/v2/repository/models/particlenet_ak4/unload']) {
      assert.equal((await post(path)).status, 404, path);
    }
    assert.equal((await fetch(`${sim.triton}/v2/models/particlenet_ak4`)).status, 200);
  });

  test('bad settings get a 400 naming the field', async () => {
    for (const [body, pattern] of [
      [{ modelControlMode: 'EXPLICIT' }, /modelControlMode/],
      [{ statistics: 'no' }, /"statistics" must be true or false/],
      [{ requestsPerSecond: -1 }, /requestsPerSecond/],
      [{ mode: 'none' }, /Unknown Triton setting\(s\): mode/],
    ] as const) {
      const res = await fetch(`${sim.control}/triton/settings`, { method: 'POST', body: JSON.stringify(body) });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { message: string }).message, pattern);
    }
    assert.deepEqual(await (await fetch(`${sim.control}/triton/settings`)).json(), DEFAULTS);
  });
});

describe('Triton metrics (§7.3)', () => {
  const page = async () => {
    const res = await fetch(sim.tritonMetrics);
    assert.equal(res.status, 200);
    return res.text();
  };
  const valueOf = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    assert.ok(line, series);
    return Number(line.slice(series.length + 1));
  };

  test('per-model nv_inference_* series agree with the statistics extension', async () => {
    await post('/v2/models/particlenet_ak4/infer', {
      inputs: [
        { name: 'pf_points', datatype: 'FP32', shape: [1, 2, 100], data: new Array(200).fill(0) },
        { name: 'pf_features', datatype: 'FP32', shape: [1, 20, 100], data: new Array(2000).fill(0) },
        { name: 'pf_mask', datatype: 'FP32', shape: [1, 1, 100], data: new Array(100).fill(1) },
      ],
    });
    const model = await stats('particlenet_ak4');
    const text = await page();
    const labels = '{model="particlenet_ak4",version="1"}';
    assert.equal(valueOf(text, `nv_inference_count${labels}`), model.inference_count);
    assert.equal(valueOf(text, `nv_inference_exec_count${labels}`), model.execution_count);
    assert.equal(valueOf(text, `nv_inference_request_success${labels}`), model.inference_stats.success.count);
    assert.equal(
      valueOf(text, `nv_inference_queue_duration_us${labels}`),
      Math.round(model.inference_stats.queue.ns / 1000),
    );
    assert.match(text, /^# TYPE nv_inference_count counter$/m);
    assert.match(text, /^nv_inference_request_failure\{model="particlenet_ak4",version="1",reason="REJECTED"\} \d+$/m);
  });

  test('GPU utilisation changes over time and unloading a model frees its GPU memory', async () => {
    const uuid = 'GPU-6f1c1a0e-3b8e-4d0c-9a47-2f5d1c8e7b21';
    const utilization = (text: string) => valueOf(text, `nv_gpu_utilization{gpu_uuid="${uuid}"}`);
    const energy = (text: string) => valueOf(text, `nv_energy_consumption{gpu_uuid="${uuid}"}`);
    const first = await page();
    let later = first;
    // Each read samples the simulated GPUs at that moment; this waits for the condition, not for a clock.
    for (let attempt = 0; attempt < 20_000 && utilization(later) === utilization(first); attempt++) {
      later = await page();
    }
    assert.notEqual(utilization(later), utilization(first));
    assert.ok(energy(later) >= energy(first));
    const used = valueOf(later, `nv_gpu_memory_used_bytes{gpu_uuid="${uuid}"}`);
    assert.equal((await post('/v2/repository/models/particlenet_ak4/unload')).status, 200);
    const freed = valueOf(await page(), `nv_gpu_memory_used_bytes{gpu_uuid="${uuid}"}`);
    assert.ok(freed < used, `${freed} < ${used}`);
    assert.doesNotMatch(await page(), /model="particlenet_ak4"/);
    assert.equal((await post('/v2/repository/models/particlenet_ak4/load')).status, 200);
  });

  test('malformed metrics text adds three broken lines to an otherwise valid page', async () => {
    const clean = (await page()).split('\n').length;
    await settings({ malformedMetrics: true });
    const text = await page();
    assert.equal(text.split('\n').length, clean + 3);
    assert.match(text, /^this line is not in the exposition format$/m);
  });
});
