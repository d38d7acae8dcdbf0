import { isRecord, shapeError, type Json, type ShapeError } from './shape';

/** A duration statistic: how many, and their cumulative nanoseconds (servicex-facts.md §7.2). */
export interface DurationStat {
  readonly count: number;
  readonly ns: number;
}

/** One model version's cumulative statistics from the statistics extension (servicex-facts.md §7.2). */
export interface TritonModelStats {
  readonly name: string;
  readonly version: string;
  /** Undefined when the model has not run an inference since it was loaded (Triton sends 0). */
  readonly lastInference?: Date;
  readonly inferenceCount: number;
  readonly executionCount: number;
  readonly success: DurationStat;
  readonly fail: DurationStat;
  readonly queue: DurationStat;
  readonly computeInput: DurationStat;
  readonly computeInfer: DurationStat;
  readonly computeOutput: DurationStat;
}

/** What a person reads from the counters: averages per request, and the batch size they imply. */
export interface StatsAverages {
  readonly requests: number;
  readonly inferences: number;
  /** Undefined when no request has been counted, rather than a misleading 0. */
  readonly averageQueueMs?: number;
  /** Input, inference and output compute together. */
  readonly averageComputeMs?: number;
  readonly averageBatchSize?: number;
  readonly failures: number;
}

/** Reads the body of `GET /v2/models[/{model}]/stats`. */
export function readModelStats(body: unknown): TritonModelStats[] | ShapeError {
  if (!isRecord(body) || !Array.isArray(body.model_stats)) return shapeError('the statistics have no "model_stats"');
  const stats: TritonModelStats[] = [];
  for (const entry of body.model_stats) {
    if (!isRecord(entry) || typeof entry.name !== 'string') return shapeError('a "model_stats" entry has no "name"');
    const inference = isRecord(entry.inference_stats) ? entry.inference_stats : {};
    const last = count(entry.last_inference);
    stats.push({
      name: entry.name,
      version: typeof entry.version === 'string' ? entry.version : '',
      lastInference: last > 0 ? new Date(last) : undefined,
      inferenceCount: count(entry.inference_count),
      executionCount: count(entry.execution_count),
      success: duration(inference, 'success'),
      fail: duration(inference, 'fail'),
      queue: duration(inference, 'queue'),
      computeInput: duration(inference, 'compute_input'),
      computeInfer: duration(inference, 'compute_infer'),
      computeOutput: duration(inference, 'compute_output'),
    });
  }
  return stats;
}

/** Averages over the model's whole life since it was loaded. */
export function averages(stats: TritonModelStats): StatsAverages {
  return averagesOf(stats, undefined);
}

/**
 * Averages over the interval between two readings of the same model, which is what a live view wants. When a
 * counter went down the model was reloaded and started from zero, so the later reading stands alone.
 */
export function intervalAverages(earlier: TritonModelStats, later: TritonModelStats): StatsAverages {
  const reset =
    later.success.count < earlier.success.count ||
    later.inferenceCount < earlier.inferenceCount ||
    later.executionCount < earlier.executionCount;
  return averagesOf(later, reset ? undefined : earlier);
}

function averagesOf(later: TritonModelStats, earlier: TritonModelStats | undefined): StatsAverages {
  const diff = (pick: (s: TritonModelStats) => DurationStat): DurationStat => ({
    count: pick(later).count - (earlier ? pick(earlier).count : 0),
    ns: pick(later).ns - (earlier ? pick(earlier).ns : 0),
  });
  const success = diff((s) => s.success);
  const queue = diff((s) => s.queue);
  const computeNs = diff((s) => s.computeInput).ns + diff((s) => s.computeInfer).ns + diff((s) => s.computeOutput).ns;
  const inferences = later.inferenceCount - (earlier?.inferenceCount ?? 0);
  const executions = later.executionCount - (earlier?.executionCount ?? 0);
  // Triton counts queue and compute once per successful request, so both are averaged over successes.
  return {
    requests: success.count,
    inferences,
    averageQueueMs: queue.count > 0 ? queue.ns / queue.count / 1e6 : undefined,
    averageComputeMs: success.count > 0 ? computeNs / success.count / 1e6 : undefined,
    averageBatchSize: executions > 0 ? inferences / executions : undefined,
    failures: diff((s) => s.fail).count,
  };
}

function duration(stats: Json, key: string): DurationStat {
  const value = stats[key];
  return isRecord(value) ? { count: count(value.count), ns: count(value.ns) } : { count: 0, ns: 0 };
}

/** A counter: Triton sends uint64 values, which JSON gives as numbers; anything else reads as 0. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
