// The state behind the simulated Triton: its model repository, the model-control mode, which extensions it offers,
// and the statistics that simulated inferences add to. The HTTP routes (triton.ts) and the metrics page
// (tritonMetrics.ts) read the same state, so the statistics extension and the Prometheus counters always agree.

/** `--model-control-mode` (servicex-facts.md §7.2): only `explicit` accepts load and unload requests. */
export type ModelControlMode = 'none' | 'poll' | 'explicit';

/** A tensor as model metadata gives it (§7.1): `-1` marks a variable dimension, the batch one first. */
export interface TensorSpec {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

/** One model directory of the repository. */
interface ModelDefinition {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
  readonly backend: string;
  readonly maxBatchSize: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly gpu: number;
  readonly memoryBytes: number;
  /** Simulated compute time of one batch: a fixed part and a part per item. */
  readonly computeUs: { readonly perBatch: number; readonly perItem: number };
  /** Set for a model whose files are broken: every load fails with this reason. */
  readonly loadError?: string;
  readonly loadedAtStart: boolean;
}

/** A duration statistic of the statistics extension: a count and cumulative nanoseconds (§7.2). */
export interface Duration {
  count: number;
  ns: number;
}

/** Cumulative statistics of one loaded model version, in the statistics extension's terms (§7.2). */
export interface ModelStats {
  lastInference: number;
  inferenceCount: number;
  executionCount: number;
  success: Duration;
  fail: Duration;
  queue: Duration;
  computeInput: Duration;
  computeInfer: Duration;
  computeOutput: Duration;
  /** Failed requests by Prometheus `reason` label (§7.3). */
  failures: Record<'REJECTED' | 'CANCELED' | 'BACKEND' | 'OTHER', number>;
  batches: Map<number, { computeInput: Duration; computeInfer: Duration; computeOutput: Duration }>;
}

/** A model as the repository index reports it. */
export interface ModelEntry {
  readonly definition: ModelDefinition;
  state: 'READY' | 'UNAVAILABLE' | 'LOADING' | 'UNLOADING';
  reason: string;
  /** False until the model has been loaded once: such a model has no version in the index. */
  everLoaded: boolean;
  stats: ModelStats;
}

const fp32 = (name: string, ...shape: number[]): TensorSpec => ({ name, datatype: 'FP32', shape: [-1, ...shape] });

// Models of the kind coffea-casa users serve (servicex-facts.md §7.4 names none, so these are illustrative [I]):
// a jet tagger in ONNX, the AGC's jet-assignment BDT on the FIL backend, a regression that is not loaded yet,
// and a TensorFlow model whose files are broken, so that the index shows a reason.
const DEFINITIONS: readonly ModelDefinition[] = [
  {
    name: 'particlenet_ak4',
    version: '1',
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    maxBatchSize: 256,
    inputs: [fp32('pf_points', 2, 100), fp32('pf_features', 20, 100), fp32('pf_mask', 1, 100)],
    outputs: [fp32('softmax', 5)],
    gpu: 0,
    memoryBytes: 1_610_612_736,
    computeUs: { perBatch: 900, perItem: 35 },
    loadedAtStart: true,
  },
  {
    name: 'reconstruction_bdt_xgb',
    version: '1',
    platform: 'fil',
    backend: 'fil',
    maxBatchSize: 50_000,
    inputs: [{ name: 'input__0', datatype: 'FP32', shape: [-1, 20] }],
    outputs: [{ name: 'output__0', datatype: 'FP32', shape: [-1, 2] }],
    gpu: 1,
    memoryBytes: 268_435_456,
    computeUs: { perBatch: 120, perItem: 0.4 },
    loadedAtStart: true,
  },
  {
    name: 'jet_energy_regression',
    version: '3',
    platform: 'pytorch_libtorch',
    backend: 'pytorch',
    maxBatchSize: 1024,
    inputs: [fp32('INPUT__0', 16), { name: 'INPUT__1', datatype: 'INT64', shape: [-1, 1] }],
    outputs: [fp32('OUTPUT__0', 1)],
    gpu: 0,
    memoryBytes: 805_306_368,
    computeUs: { perBatch: 300, perItem: 2 },
    loadedAtStart: false,
  },
  {
    name: 'tau_id_tf',
    version: '1',
    platform: 'tensorflow_savedmodel',
    backend: 'tensorflow',
    maxBatchSize: 64,
    inputs: [fp32('input_1', 40)],
    outputs: [fp32('dense_2', 3)],
    gpu: 1,
    memoryBytes: 0,
    computeUs: { perBatch: 500, perItem: 10 },
    loadError:
      "failed to load 'tau_id_tf' version 1: Invalid argument: unexpected inference output 'dense_3', allowed outputs are: dense_2",
    loadedAtStart: true,
  },
];

/** Batch sizes the simulated clients send, in turn. */
const BATCH_CYCLE = [1, 8, 32, 64, 16, 4];
/** At most this many simulated requests are added in one catch-up, so a long idle period stays cheap. */
const MAX_CATCH_UP = 50_000;

function emptyStats(): ModelStats {
  const zero = () => ({ count: 0, ns: 0 });
  return {
    lastInference: 0,
    inferenceCount: 0,
    executionCount: 0,
    success: zero(),
    fail: zero(),
    queue: zero(),
    computeInput: zero(),
    computeInfer: zero(),
    computeOutput: zero(),
    failures: { REJECTED: 0, CANCELED: 0, BACKEND: 0, OTHER: 0 },
    batches: new Map(),
  };
}

/** The outcome of a load or unload: nothing on success, else Triton's status and message. */
export type ControlOutcome = { readonly status: number; readonly error: string } | undefined;

/** The simulated Triton server's state; time advances only when someone looks, so no timer runs. */
export class TritonState {
  modelControlMode: ModelControlMode = 'explicit';
  statisticsExtension = true;
  repositoryExtension = true;
  malformedMetrics = false;
  /** Simulated requests per second that each ready model receives. */
  requestsPerSecond = 4;
  readonly startedAt: number;
  readonly models: ModelEntry[];
  /** Nanoseconds each GPU has spent computing, for the energy counter of the metrics page. */
  readonly gpuBusyNs = [0, 0];
  private lastAdvance: number;
  private carry = 0;
  private sequence = 0;

  constructor(now = Date.now()) {
    this.startedAt = now;
    this.lastAdvance = now;
    this.models = DEFINITIONS.map((definition) => {
      const entry: ModelEntry = {
        definition,
        state: 'UNAVAILABLE',
        reason: '',
        everLoaded: false,
        stats: emptyStats(),
      };
      if (definition.loadedAtStart) this.applyLoad(entry);
      return entry;
    });
  }

  find(name: string): ModelEntry | undefined {
    return this.models.find((m) => m.definition.name === name);
  }

  /** Adds the simulated requests that arrived since the last look, spread evenly over that time. */
  advance(now = Date.now()): void {
    const elapsed = Math.max(0, now - this.lastAdvance);
    const ready = this.models.filter((m) => m.state === 'READY');
    const due = this.carry + (elapsed / 1000) * this.requestsPerSecond;
    const requests = Math.min(Math.floor(due), MAX_CATCH_UP);
    this.carry = requests === MAX_CATCH_UP ? 0 : due - requests;
    for (let i = 0; i < requests; i++) {
      const at = this.lastAdvance + ((i + 1) / requests) * elapsed;
      for (const model of ready) this.record(model, BATCH_CYCLE[this.sequence % BATCH_CYCLE.length], Math.round(at));
      this.sequence++;
    }
    this.lastAdvance = now;
  }

  /** Records one successful request of `batch` items: the counters of the statistics extension and of §7.3. */
  record(model: ModelEntry, batch: number, at = Date.now()): void {
    const { perBatch, perItem } = model.definition.computeUs;
    const inferNs = Math.round((perBatch + perItem * batch) * 1000);
    const inputNs = 20_000 + batch * 150;
    const outputNs = 8_000 + batch * 40;
    // Queueing grows with the load a little, as it would behind the dynamic batcher.
    const queueNs = 40_000 + (this.sequence % 7) * 15_000;
    const stats = model.stats;
    this.gpuBusyNs[model.definition.gpu] += inferNs;
    stats.lastInference = at;
    stats.inferenceCount += batch;
    stats.executionCount += 1;
    add(stats.success, queueNs + inputNs + inferNs + outputNs + 30_000);
    add(stats.queue, queueNs);
    add(stats.computeInput, inputNs);
    add(stats.computeInfer, inferNs);
    add(stats.computeOutput, outputNs);
    let perSize = stats.batches.get(batch);
    if (!perSize) {
      perSize = {
        computeInput: { count: 0, ns: 0 },
        computeInfer: { count: 0, ns: 0 },
        computeOutput: { count: 0, ns: 0 },
      };
      stats.batches.set(batch, perSize);
    }
    add(perSize.computeInput, inputNs);
    add(perSize.computeInfer, inferNs);
    add(perSize.computeOutput, outputNs);
  }

  /** Records a request the model rejected, such as one with a wrongly named input. */
  recordFailure(model: ModelEntry, reason: keyof ModelStats['failures']): void {
    add(model.stats.fail, 25_000);
    model.stats.failures[reason] += 1;
  }

  /** `POST /v2/repository/models/{model}/load` (servicex-facts.md §7.2). */
  load(name: string): ControlOutcome {
    const refused = this.controlRefusal();
    if (refused) return refused;
    const model = this.find(name);
    // Triton's wording when no model directory has the name [I: message from Triton's sources, not the docs].
    if (!model) return { status: 400, error: `failed to load '${name}', failed to poll from model repository` };
    this.advance();
    this.applyLoad(model);
    if (model.state !== 'READY') {
      return {
        status: 400,
        error: `load failed for model '${name}': version ${model.definition.version} is at UNAVAILABLE state: ${model.reason};`,
      };
    }
    return undefined;
  }

  /** `POST /v2/repository/models/{model}/unload` (servicex-facts.md §7.2). */
  unload(name: string): ControlOutcome {
    const refused = this.controlRefusal();
    if (refused) return refused;
    const model = this.find(name);
    if (!model) return { status: 400, error: `failed to unload '${name}', no version is available` };
    this.advance();
    model.state = 'UNAVAILABLE';
    model.reason = 'unloaded';
    return undefined;
  }

  /** GPU memory held by the models loaded on `gpu`. */
  modelMemoryOn(gpu: number): number {
    return this.models
      .filter((m) => m.state === 'READY' && m.definition.gpu === gpu)
      .reduce((sum, m) => sum + m.definition.memoryBytes, 0);
  }

  private applyLoad(model: ModelEntry): void {
    model.everLoaded = true;
    if (model.definition.loadError) {
      model.state = 'UNAVAILABLE';
      model.reason = model.definition.loadError;
      return;
    }
    model.state = 'READY';
    model.reason = '';
    // A reload starts a fresh backend, whose statistics start from zero as Triton's do.
    model.stats = emptyStats();
  }

  /**
   * Triton refuses load and unload unless the mode is explicit, with UNAVAILABLE (503) and this message even in
   * mode `none` (servicex-facts.md §7.2 for the status; the text is Triton's model_repository_manager.cc).
   */
  private controlRefusal(): ControlOutcome {
    if (this.modelControlMode === 'explicit') return undefined;
    return { status: 503, error: 'explicit model load / unload is not allowed if polling is enabled' };
  }
}

function add(duration: Duration, ns: number): void {
  duration.count += 1;
  duration.ns += ns;
}
