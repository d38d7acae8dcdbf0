import { STATUS_CODES } from 'node:http';
import type { FaultStore } from './faults';
import { Router, type Reply, type SimRequest } from './http';
import { inferReply } from './tritonInfer';
import { metricsText } from './tritonMetrics';
import type { ModelEntry, TritonState } from './tritonModels';

// Triton 2.59.0 (NGC container 25.06) with two L40S GPUs, like the coffea-casa deployment (servicex-facts.md §7.4).
const VERSION = '2.59.0';
const EXTENSIONS = [
  'classification',
  'sequence',
  'model_repository',
  'model_repository(unload_dependents)',
  'schedule_policy',
  'model_configuration',
  'system_shared_memory',
  'cuda_shared_memory',
  'binary_tensor_data',
  'parameters',
  'statistics',
  'trace',
  'logging',
];

/** Triton's KServe v2 HTTP routes (servicex-facts.md §7.1, §7.2) over `state`, with faults from `faults`. */
export function tritonRouter(faults: FaultStore, state: TritonState): Router {
  const router = new Router({ service: 'triton', faults, errorReply: tritonError })
    // servicex-facts.md §7.1: readiness and liveness are status codes with an empty body.
    .add('GET', '/v2/health/ready', () => ({ status: 200 }))
    .add('GET', '/v2/health/live', () => ({ status: 200 }))
    // servicex-facts.md §7.1 and §7.2: server metadata advertises the protocol extensions; a server started
    // without one (switched off through the control API) neither lists it nor serves its routes.
    .add('GET', '/v2', () => ({
      status: 200,
      json: { name: 'triton', version: VERSION, extensions: EXTENSIONS.filter((e) => offers(state, e)) },
    }))
    // servicex-facts.md §7.2: the repository index, all models or with {"ready": true} only the ready ones.
    .add('POST', '/v2/repository/index', (request) => {
      if (!state.repositoryExtension) return tritonError(404);
      const body = jsonBody(request);
      if (body === INVALID || (body !== undefined && !isObject(body))) {
        return tritonError(400, 'failed to parse the request JSON buffer');
      }
      const readyOnly = isObject(body) && body.ready === true;
      return {
        status: 200,
        json: state.models
          .filter((m) => !readyOnly || m.state === 'READY')
          .map((m) => ({
            name: m.definition.name,
            // A model never loaded has no version yet [I: Triton omits it, §7.2 marks it optional].
            ...(m.everLoaded ? { version: m.definition.version } : {}),
            state: m.state,
            reason: m.reason,
          })),
      };
    })
    // servicex-facts.md §7.2: load and unload, honoured only in explicit model-control mode.
    .add('POST', '/v2/repository/models/{model}/load', (request) => {
      if (!state.repositoryExtension) return tritonError(404);
      const body = jsonBody(request);
      if (body === INVALID) return tritonError(400, 'failed to parse the request JSON buffer');
      const config = isObject(body) && isObject(body.parameters) ? body.parameters.config : undefined;
      if (config !== undefined && (typeof config !== 'string' || parsesAsJson(config) === INVALID)) {
        return tritonError(400, `failed to load '${request.params.model}', failed to parse the "config" parameter`);
      }
      return controlReply(state.load(request.params.model));
    })
    .add('POST', '/v2/repository/models/{model}/unload', (request) => {
      if (!state.repositoryExtension) return tritonError(404);
      if (jsonBody(request) === INVALID) return tritonError(400, 'failed to parse the request JSON buffer');
      return controlReply(state.unload(request.params.model));
    });

  // servicex-facts.md §7.2: statistics of every ready model; registered before /v2/models/{model}, which would
  // otherwise take "stats" for a model name.
  router.add('GET', '/v2/models/stats', () => {
    if (!state.statisticsExtension) return tritonError(404);
    state.advance();
    return { status: 200, json: { model_stats: state.models.filter((m) => m.state === 'READY').map(modelStats) } };
  });
  for (const base of ['/v2/models/{model}', '/v2/models/{model}/versions/{version}']) {
    // servicex-facts.md §7.2: statistics of one model.
    router.add('GET', `${base}/stats`, (request) => {
      if (!state.statisticsExtension) return tritonError(404);
      const model = readyModel(state, request);
      if (!('definition' in model)) return model;
      state.advance();
      return { status: 200, json: { model_stats: [modelStats(model)] } };
    });
    // servicex-facts.md §7.1: model metadata, tensors with datatype and shape (-1 for a variable dimension).
    router.add('GET', base, (request) => {
      const model = readyModel(state, request);
      if (!('definition' in model)) return model;
      const { name, version, platform, inputs, outputs } = model.definition;
      return { status: 200, json: { name, versions: [version], platform, inputs, outputs } };
    });
    // servicex-facts.md §7.1: 200 when the model is ready; otherwise Triton answers 400 with no body [I].
    router.add('GET', `${base}/ready`, (request) => {
      const model = readyModel(state, request);
      return { status: 'definition' in model ? 200 : 400 };
    });
    // servicex-facts.md §7.2 (model configuration extension): the config as JSON.
    router.add('GET', `${base}/config`, (request) => {
      const model = readyModel(state, request);
      return 'definition' in model ? { status: 200, json: modelConfig(model) } : model;
    });
    // servicex-facts.md §7.1: inference with JSON tensors; each request is counted in the statistics.
    router.add('POST', `${base}/infer`, (request) => {
      const model = readyModel(state, request);
      if (!('definition' in model)) return model;
      state.advance();
      return inferReply(state, model, jsonBody(request));
    });
  }
  return router;
}

/** Triton's Prometheus endpoint (servicex-facts.md §7.3), normally on its own port 8002. */
export function tritonMetricsRouter(faults: FaultStore, state: TritonState): Router {
  return (
    new Router({ service: 'tritonMetrics', faults, errorReply: metricsError })
      // servicex-facts.md §7.3: per-GPU series labelled gpu_uuid and per-model nv_inference_* series.
      .add('GET', '/metrics', () => {
        state.advance();
        return {
          status: 200,
          contentType: 'text/plain; charset=utf-8; version=0.0.4',
          text: metricsText(state, Date.now()),
        };
      })
  );
}

function offers(state: TritonState, extension: string): boolean {
  if (extension.startsWith('model_repository')) return state.repositoryExtension;
  if (extension === 'statistics') return state.statisticsExtension;
  return true;
}

/**
 * The model a per-model route names, when it is loaded and the version (if given) is its version, else Triton's
 * error: 404 for a name the server does not know, 400 for a known model with no loaded version [I: wording from
 * Triton's tests, status from the §7.2 mapping].
 */
function readyModel(state: TritonState, request: SimRequest): ModelEntry | Reply {
  const { model: name, version } = request.params;
  const model = state.find(name);
  if (!model || !model.everLoaded) return tritonError(404, `Request for unknown model: '${name}' is not found`);
  if (version !== undefined && version !== model.definition.version) {
    return tritonError(404, `Request for unknown model: '${name}' version ${version} is not found`);
  }
  if (model.state !== 'READY')
    return tritonError(400, `Request for unknown model: '${name}' has no available versions`);
  return model;
}

/** One entry of `model_stats` (servicex-facts.md §7.2): every duration is {"count", "ns"}. */
function modelStats(model: ModelEntry): unknown {
  const s = model.stats;
  return {
    name: model.definition.name,
    version: model.definition.version,
    last_inference: s.lastInference,
    inference_count: s.inferenceCount,
    execution_count: s.executionCount,
    inference_stats: {
      success: { ...s.success },
      fail: { ...s.fail },
      queue: { ...s.queue },
      compute_input: { ...s.computeInput },
      compute_infer: { ...s.computeInfer },
      compute_output: { ...s.computeOutput },
      cache_hit: { count: 0, ns: 0 },
      cache_miss: { count: 0, ns: 0 },
    },
    response_stats: {},
    batch_stats: [...s.batches.entries()]
      .sort(([a], [b]) => a - b)
      .map(([size, b]) => ({
        batch_size: size,
        compute_input: { ...b.computeInput },
        compute_infer: { ...b.computeInfer },
        compute_output: { ...b.computeOutput },
      })),
    memory_usage: [{ type: 'GPU', id: model.definition.gpu, byte_size: model.definition.memoryBytes }],
  };
}

/** The model configuration as Triton prints it in JSON: dims leave out the batch dimension when batching is on. */
function modelConfig(model: ModelEntry): unknown {
  const d = model.definition;
  const dims = (shape: readonly number[]) => (d.maxBatchSize > 0 ? shape.slice(1) : [...shape]);
  return {
    name: d.name,
    platform: d.platform,
    backend: d.backend,
    version_policy: { latest: { num_versions: 1 } },
    max_batch_size: d.maxBatchSize,
    input: d.inputs.map((t) => ({
      name: t.name,
      data_type: `TYPE_${t.datatype}`,
      format: 'FORMAT_NONE',
      dims: dims(t.shape),
      is_shape_tensor: false,
      allow_ragged_batch: false,
      optional: false,
    })),
    output: d.outputs.map((t) => ({
      name: t.name,
      data_type: `TYPE_${t.datatype}`,
      dims: dims(t.shape),
      label_filename: '',
      is_shape_tensor: false,
    })),
    batch_input: [],
    batch_output: [],
    dynamic_batching: { preferred_batch_size: [], max_queue_delay_microseconds: 100 },
    instance_group: [
      { name: `${d.name}_0`, kind: 'KIND_GPU', count: 1, gpus: [d.gpu], secondary_devices: [], profile: [] },
    ],
    default_model_filename: '',
    parameters: {},
    model_warmup: [],
  };
}

function controlReply(outcome: { status: number; error: string } | undefined): Reply {
  return outcome ? tritonError(outcome.status, outcome.error) : { status: 200 };
}

const INVALID = Symbol('invalid JSON');

function jsonBody(request: SimRequest): unknown {
  return request.body.length === 0 ? undefined : parsesAsJson(request.body.toString('utf8'));
}

function parsesAsJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Triton's error shape, `{"error": …}` (servicex-facts.md §7.1). */
export function tritonError(status: number, message?: string): Reply {
  return { status, json: { error: message ?? STATUS_CODES[status] ?? 'Error' } };
}

/** The metrics endpoint is plain text, so its errors are too. */
function metricsError(status: number, message?: string): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', text: `${message ?? STATUS_CODES[status] ?? 'Error'}\n` };
}
