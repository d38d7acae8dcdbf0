// The Prometheus text page of the simulated Triton (servicex-facts.md §7.3): per-GPU series labelled gpu_uuid, per-model
// nv_inference_* counters taken from the same statistics as the statistics extension, and host series.
import type { ModelEntry, TritonState } from './tritonModels';

// Two L40S GPUs, like the coffea-casa deployment (servicex-facts.md §7.4).
const GPUS = [
  { uuid: 'GPU-6f1c1a0e-3b8e-4d0c-9a47-2f5d1c8e7b21', idle: 0.04, baseBytes: 1_073_741_824 },
  { uuid: 'GPU-b3a9d7c4-58e2-4f61-8d0b-7c3e9a1f2d64', idle: 0, baseBytes: 536_870_912 },
];
const GPU_MEMORY_BYTES = 48_305_799_168;
const GPU_POWER_LIMIT_WATTS = 350;
const GPU_IDLE_WATTS = 36;
const HOST_MEMORY_BYTES = 270_336_000_000;
/** Utilisation swings with this period, so that two reads a few seconds apart differ as on a real, busy server. */
const SWING_PERIOD_MS = 20_000;

/**
 * Lines that break the exposition format, for clients' tolerance tests: an unterminated label set, a value that is
 * not a number, and a line that is no sample at all. Each sits between two families.
 */
export const MALFORMED_LINES = [
  'nv_gpu_utilization{gpu_uuid="GPU-00000000-broken" 0.5',
  'nv_inference_count{model="particlenet_ak4",version="1"} twelve',
  'this line is not in the exposition format',
];

type Family = [name: string, type: 'gauge' | 'counter', help: string, samples: [labels: string, value: number][]];

/** The whole metrics page at time `now`. */
export function metricsText(state: TritonState, now: number): string {
  const uptimeSeconds = (now - state.startedAt) / 1000;
  const gpus = GPUS.map((gpu, index) => {
    const busyModels = state.requestsPerSecond > 0 ? readyOn(state, index).length : 0;
    const swing = 0.08 * Math.sin((2 * Math.PI * (now - state.startedAt)) / SWING_PERIOD_MS + index);
    const utilization = round(clamp(gpu.idle + 0.3 * busyModels + (busyModels > 0 ? swing : Math.abs(swing) / 4)));
    return {
      labels: `gpu_uuid="${gpu.uuid}"`,
      utilization,
      usedBytes: gpu.baseBytes + state.modelMemoryOn(index),
      powerWatts: round(GPU_IDLE_WATTS + utilization * (GPU_POWER_LIMIT_WATTS - 80 - GPU_IDLE_WATTS)),
      energyJoules: Math.round(GPU_IDLE_WATTS * uptimeSeconds + 220 * (state.gpuBusyNs[index] / 1e9)),
    };
  });
  const perGpu = (value: (gpu: (typeof gpus)[number]) => number) =>
    gpus.map((gpu): [string, number] => [gpu.labels, value(gpu)]);
  const models = state.models.filter((m) => m.state === 'READY');
  const perModel = (value: (model: ModelEntry) => number) =>
    models.map((m): [string, number] => [modelLabels(m), value(m)]);
  const micros = (ns: number) => Math.round(ns / 1000);

  const families: Family[] = [
    [
      'nv_inference_request_success',
      'counter',
      'Number of successful inference requests, all batch sizes',
      perModel((m) => m.stats.success.count),
    ],
    [
      'nv_inference_request_failure',
      'counter',
      'Number of failed inference requests, all batch sizes',
      models.flatMap((m) =>
        Object.entries(m.stats.failures).map(([reason, n]): [string, number] => [
          `${modelLabels(m)},reason="${reason}"`,
          n,
        ]),
      ),
    ],
    [
      'nv_inference_count',
      'counter',
      'Number of inferences performed (does not include cached requests)',
      perModel((m) => m.stats.inferenceCount),
    ],
    [
      'nv_inference_exec_count',
      'counter',
      'Number of model executions performed (does not include cached requests)',
      perModel((m) => m.stats.executionCount),
    ],
    [
      'nv_inference_pending_request_count',
      'gauge',
      'Instantaneous number of pending requests awaiting execution per-model.',
      perModel(() => 0),
    ],
    [
      'nv_inference_request_duration_us',
      'counter',
      'Cumulative inference request duration in microseconds (includes cached requests)',
      perModel((m) => micros(m.stats.success.ns)),
    ],
    [
      'nv_inference_queue_duration_us',
      'counter',
      'Cumulative inference queuing duration in microseconds (includes cached requests)',
      perModel((m) => micros(m.stats.queue.ns)),
    ],
    [
      'nv_inference_compute_input_duration_us',
      'counter',
      'Cumulative compute input duration in microseconds (does not include cached requests)',
      perModel((m) => micros(m.stats.computeInput.ns)),
    ],
    [
      'nv_inference_compute_infer_duration_us',
      'counter',
      'Cumulative compute inference duration in microseconds (does not include cached requests)',
      perModel((m) => micros(m.stats.computeInfer.ns)),
    ],
    [
      'nv_inference_compute_output_duration_us',
      'counter',
      'Cumulative inference compute output duration in microseconds (does not include cached requests)',
      perModel((m) => micros(m.stats.computeOutput.ns)),
    ],
    ['nv_gpu_utilization', 'gauge', 'GPU utilization rate [0.0 - 1.0)', perGpu((g) => g.utilization)],
    ['nv_gpu_memory_total_bytes', 'gauge', 'GPU total memory, in bytes', perGpu(() => GPU_MEMORY_BYTES)],
    ['nv_gpu_memory_used_bytes', 'gauge', 'GPU used memory, in bytes', perGpu((g) => g.usedBytes)],
    ['nv_gpu_power_usage', 'gauge', 'GPU power usage in watts', perGpu((g) => g.powerWatts)],
    ['nv_gpu_power_limit', 'gauge', 'GPU power management limit in watts', perGpu(() => GPU_POWER_LIMIT_WATTS)],
    [
      'nv_energy_consumption',
      'counter',
      'GPU energy consumption in joules since the Triton Server started',
      perGpu((g) => g.energyJoules),
    ],
    ['nv_cpu_utilization', 'gauge', 'CPU utilization rate [0.0 - 1.0]', [['', round(0.05 + 0.02 * models.length)]]],
    ['nv_cpu_memory_total_bytes', 'gauge', 'CPU total memory (RAM), in bytes', [['', HOST_MEMORY_BYTES]]],
    [
      'nv_cpu_memory_used_bytes',
      'gauge',
      'CPU used memory (RAM), in bytes',
      [['', 18_253_611_008 + models.length * 402_653_184]],
    ],
  ];

  const lines: string[] = [];
  families.forEach(([name, type, help, samples], index) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(labels ? `${name}{${labels}} ${value}` : `${name} ${value}`);
    if (state.malformedMetrics && index % 6 === 5) lines.push(MALFORMED_LINES[(index - 5) / 6]);
  });
  return `${lines.join('\n')}\n`;
}

function readyOn(state: TritonState, gpu: number): ModelEntry[] {
  return state.models.filter((m) => m.state === 'READY' && m.definition.gpu === gpu);
}

function modelLabels(model: ModelEntry): string {
  return `model="${escapeLabel(model.definition.name)}",version="${escapeLabel(model.definition.version)}"`;
}

/** Label values escape backslash, double quote and newline in the text format. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function clamp(value: number): number {
  return Math.min(0.99, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
