import type { ParsedMetrics, Sample } from './prometheus';

/** One GPU as Triton's metrics page describes it (servicex-facts.md §7.3); a series the page lacks is undefined. */
export interface GpuSummary {
  readonly uuid: string;
  /** 0.0–1.0. */
  readonly utilization?: number;
  readonly memoryUsedBytes?: number;
  readonly memoryTotalBytes?: number;
  readonly powerWatts?: number;
  readonly powerLimitWatts?: number;
}

/** Per-model counters from the nv_inference_* series (servicex-facts.md §7.3), summed over failure reasons. */
export interface ModelMetrics {
  readonly model: string;
  readonly version: string;
  readonly success: number;
  readonly failure: number;
  readonly inferences: number;
  readonly executions: number;
  readonly pending: number;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

// Maps rather than object literals, so that a metric called "constructor" finds nothing.
const GPU_FIELDS = new Map<string, keyof Omit<GpuSummary, 'uuid'>>([
  ['nv_gpu_utilization', 'utilization'],
  ['nv_gpu_memory_used_bytes', 'memoryUsedBytes'],
  ['nv_gpu_memory_total_bytes', 'memoryTotalBytes'],
  ['nv_gpu_power_usage', 'powerWatts'],
  ['nv_gpu_power_limit', 'powerLimitWatts'],
]);

const MODEL_FIELDS = new Map<string, keyof Omit<ModelMetrics, 'model' | 'version'>>([
  ['nv_inference_request_success', 'success'],
  ['nv_inference_request_failure', 'failure'],
  ['nv_inference_count', 'inferences'],
  ['nv_inference_exec_count', 'executions'],
  ['nv_inference_pending_request_count', 'pending'],
]);

/** The GPUs of a metrics page, in the order the page first names them; NaN values count as missing. */
export function gpuSummaries(metrics: ParsedMetrics): GpuSummary[] {
  const byUuid = new Map<string, Writable<GpuSummary>>();
  for (const sample of metrics.samples) {
    const field = GPU_FIELDS.get(sample.name);
    const uuid = ownLabel(sample, 'gpu_uuid');
    if (!field || uuid === undefined || Number.isNaN(sample.value)) continue;
    let gpu = byUuid.get(uuid);
    if (!gpu) byUuid.set(uuid, (gpu = { uuid }));
    gpu[field] = sample.value;
  }
  return [...byUuid.values()];
}

/** The models of a metrics page with their counters, in the order the page first names them. */
export function modelMetrics(metrics: ParsedMetrics): ModelMetrics[] {
  const byKey = new Map<string, Writable<ModelMetrics>>();
  for (const sample of metrics.samples) {
    const field = MODEL_FIELDS.get(sample.name);
    if (!field || !isFiniteSample(sample)) continue;
    const model = ownLabel(sample, 'model');
    const version = ownLabel(sample, 'version') ?? '';
    if (model === undefined) continue;
    const key = `${model}\u0000${version}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { model, version, success: 0, failure: 0, inferences: 0, executions: 0, pending: 0 };
      byKey.set(key, entry);
    }
    // Failures come once per reason label, so they add up; the other series appear once per model.
    entry[field] = field === 'failure' ? entry.failure + sample.value : sample.value;
  }
  return [...byKey.values()];
}

function ownLabel(sample: Sample, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(sample.labels, name) ? sample.labels[name] : undefined;
}

function isFiniteSample(sample: Sample): boolean {
  return Number.isFinite(sample.value);
}
