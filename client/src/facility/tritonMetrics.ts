import { gpuSummaries, modelMetrics, type GpuSummary, type ModelMetrics } from '../gpu/gpuSummary';
import { parsePrometheus } from '../gpu/prometheus';
import type { FacilityHttp } from './http';
import { fail, ok, type Result } from './result';
import { hostOf } from './urls';

/** What the GPU view takes from one read of Triton's metrics page. */
export interface TritonMetrics {
  readonly gpus: GpuSummary[];
  readonly models: ModelMetrics[];
  /** Lines of the page that could not be read and were left out. */
  readonly skippedLines: number;
  /** A sentence for the view when lines were skipped, else undefined. */
  readonly warning?: string;
}

/** Triton's Prometheus endpoint (servicex-facts.md §7.3), `http://host:8002/metrics` by default. */
export class TritonMetricsApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly metricsUrl: string,
  ) {}

  /** Reads the page once. A page with broken lines still gives what it can, with a warning. */
  async read(signal: AbortSignal): Promise<Result<TritonMetrics>> {
    const text = await this.http.text(this.metricsUrl, {
      service: 'Triton metrics',
      signal,
      headers: { accept: 'text/plain; version=0.0.4' },
    });
    if (!text.ok) return text;
    const parsed = parsePrometheus(text.value);
    const where = `Triton metrics at ${hostOf(this.metricsUrl)}`;
    if (parsed.samples.length === 0 && parsed.skipped > 0) {
      return fail('badResponse', `${where} sent a page that is not in the Prometheus text format.`);
    }
    const warning =
      parsed.skipped > 0
        ? `${where}: ${parsed.skipped} line${parsed.skipped === 1 ? '' : 's'} could not be read and ` +
          `${parsed.skipped === 1 ? 'was' : 'were'} left out (line${parsed.skipped === 1 ? '' : 's'} ` +
          `${parsed.skippedLines.join(', ')}${parsed.skipped > parsed.skippedLines.length ? ', …' : ''}).`
        : undefined;
    return ok({
      gpus: gpuSummaries(parsed),
      models: modelMetrics(parsed),
      skippedLines: parsed.skipped,
      ...(warning ? { warning } : {}),
    });
  }
}
