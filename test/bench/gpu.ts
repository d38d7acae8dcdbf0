import { gpuSummaries } from '../../client/src/gpu/gpuSummary';
import { parsePrometheus } from '../../client/src/gpu/prometheus';
import { TritonMetricsApi } from '../../client/src/facility/tritonMetrics';
import { TritonModelsApi } from '../../client/src/facility/tritonModels';
import { startSimulator } from '../support/simulator';
import { idleVisibleHidden } from './idle';
import { printTable, type Row } from './report';

const ROUNDS = 10;
const PAGE_BYTES = 5 * 1024 * 1024;

/** A generated Triton metrics page and what it holds, so tests can check the parse against it. */
export interface MetricsPage {
  readonly text: string;
  readonly samples: number;
  readonly gpus: number;
  readonly models: number;
}

/**
 * A deterministic Triton-shaped metrics page of at least `targetBytes` (servicex-facts.md §7.3): eight GPUs, then
 * as many models as it takes, each with the per-model counters, failures by reason and a latency histogram.
 */
export function generateMetricsPage(targetBytes: number): MetricsPage {
  const parts: string[] = [];
  let samples = 0;
  const gpus = 8;
  const gpuFamilies: [string, (i: number) => number][] = [
    ['nv_gpu_utilization', (i) => (i * 0.117) % 1],
    ['nv_gpu_memory_total_bytes', () => 48_305_799_168],
    ['nv_gpu_memory_used_bytes', (i) => 536_870_912 * (i + 1)],
    ['nv_gpu_power_usage', (i) => 36.5 + i * 20],
    ['nv_gpu_power_limit', () => 350],
  ];
  for (const [name, value] of gpuFamilies) {
    parts.push(`# HELP ${name} ${name.replace(/_/g, ' ')}\n# TYPE ${name} gauge\n`);
    for (let i = 0; i < gpus; i++) {
      parts.push(`${name}{gpu_uuid="GPU-${String(i).padStart(8, '0')}-3b8e-4d0c-9a47-2f5d1c8e7b21"} ${value(i)}\n`);
      samples++;
    }
  }
  let size = parts.reduce((sum, p) => sum + p.length, 0);
  let models = 0;
  while (size < targetBytes) {
    const labels = `model="model_${models}",version="${1 + (models % 3)}"`;
    const lines = [
      `nv_inference_request_success{${labels}} ${models * 31}`,
      ...['REJECTED', 'CANCELED', 'BACKEND', 'OTHER'].map(
        (reason, r) => `nv_inference_request_failure{${labels},reason="${reason}"} ${(models + r) % 5}`,
      ),
      `nv_inference_count{${labels}} ${models * 248}`,
      `nv_inference_exec_count{${labels}} ${models * 31}`,
      `nv_inference_pending_request_count{${labels}} ${models % 4}`,
      `nv_inference_request_duration_us{${labels}} ${models * 1_234_567}`,
      `nv_inference_queue_duration_us{${labels}} ${models * 45_678}`,
      ...['10', '100', '1000', '+Inf'].map(
        (le, b) => `nv_inference_first_response_histogram_ms_bucket{${labels},le="${le}"} ${models * (b + 1)}`,
      ),
      `nv_inference_first_response_histogram_ms_sum{${labels}} ${models * 17.25}`,
      `nv_inference_first_response_histogram_ms_count{${labels}} ${models * 4}`,
      `nv_inference_compute_infer_summary_us{${labels},quantile="0.5"} NaN`,
    ];
    const chunk = `${lines.join('\n')}\n`;
    parts.push(chunk);
    size += chunk.length;
    samples += lines.length;
    models++;
  }
  return { text: parts.join(''), samples, gpus, models };
}

/**
 * Requests per minute the GPU Servers view costs while idle, visible (server, models and GPUs expanded) and hidden,
 * against the simulator's Triton and its JupyterHub 1.5 stand-in, counted by the simulator.
 */
async function gpuIdleRates(): Promise<Row[]> {
  const sim = await startSimulator({ own: true, hub: false, dask: false });
  try {
    const profile = {
      name: 'bench',
      hubUrl: sim.hub1.url,
      tritonHttpUrl: sim.triton,
      tritonMetricsUrl: sim.tritonMetrics,
      allowHttp: true,
    };
    const count = async () => {
      const counts = await Promise.all([sim.requestCounts('triton'), sim.requestCounts('tritonMetrics')]);
      return counts.flatMap((c) => Object.values(c)).reduce((a, b) => a + b, 0);
    };
    const { visible, hidden } = await idleVisibleHidden({
      profile,
      token: sim.hub1.token,
      count,
      render: async (facility, snapshot, signal) => {
        if (!snapshot.triton?.ok) return;
        await new TritonModelsApi(facility.http, sim.triton, snapshot.triton.value.extensions).index(signal);
        await new TritonMetricsApi(facility.http, sim.tritonMetrics).read(signal);
      },
    });
    return [
      { what: 'idle Triton requests/min, GPU view visible', ours: visible, unit: '' },
      { what: 'idle Triton requests/min, GPU view hidden (must be 0)', ours: hidden, unit: '' },
    ];
  } finally {
    await sim.stop();
  }
}

/** `npm run bench -- gpu`: parsing a 5 MB metrics page into GPU summaries, against a plain line split of it. */
export async function benchGpu(): Promise<void> {
  printTable('GPU Servers view', await gpuIdleRates());
  const page = generateMetricsPage(PAGE_BYTES);
  let parse = Infinity;
  let split = Infinity;
  let lines = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let start = performance.now();
    const parsed = parsePrometheus(page.text);
    if (gpuSummaries(parsed).length !== page.gpus || parsed.skipped !== 0) throw new Error('the page did not parse');
    parse = Math.min(parse, performance.now() - start);
    start = performance.now();
    lines = page.text.split('\n').length;
    split = Math.min(split, performance.now() - start);
  }
  printTable(
    `Prometheus page of ${(page.text.length / 1024 / 1024).toFixed(1)} MB (${lines} lines), best of ${ROUNDS}`,
    [{ what: 'parse + GPU summaries vs text.split("\\n")', ours: parse, reference: split, unit: 'ms' }],
  );
}
