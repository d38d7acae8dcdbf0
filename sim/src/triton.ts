import { STATUS_CODES } from 'node:http';
import type { FaultStore } from './faults';
import { Router, type Reply } from './http';

// Triton 2.59.0 (NGC container 25.06) with two L40S GPUs, like the coffea-casa deployment (servicex-facts.md §7.4).
const VERSION = '2.59.0';
const GPUS = [
  { uuid: 'GPU-6f1c1a0e-3b8e-4d0c-9a47-2f5d1c8e7b21', utilization: 0.42, usedBytes: 12_884_901_888, powerWatts: 143.5 },
  { uuid: 'GPU-b3a9d7c4-58e2-4f61-8d0b-7c3e9a1f2d64', utilization: 0, usedBytes: 536_870_912, powerWatts: 36.2 },
];
const GPU_MEMORY_BYTES = 48_305_799_168;
const GPU_POWER_LIMIT_WATTS = 350;

/** Triton's KServe v2 HTTP routes (servicex-facts.md §7.1, §7.2), with faults from `faults`. */
export function tritonRouter(faults: FaultStore): Router {
  return (
    new Router({ service: 'triton', faults, errorReply: tritonError })
      // servicex-facts.md §7.1: readiness and liveness are status codes with an empty body.
      .add('GET', '/v2/health/ready', () => ({ status: 200 }))
      .add('GET', '/v2/health/live', () => ({ status: 200 }))
      // servicex-facts.md §7.1 and §7.2: server metadata advertises the protocol extensions.
      .add('GET', '/v2', () => ({
        status: 200,
        json: {
          name: 'triton',
          version: VERSION,
          extensions: [
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
          ],
        },
      }))
  );
}

/** Triton's Prometheus endpoint (servicex-facts.md §7.3), normally on its own port 8002. */
export function tritonMetricsRouter(faults: FaultStore): Router {
  const startedAt = Date.now();
  return (
    new Router({ service: 'tritonMetrics', faults, errorReply: metricsError })
      // servicex-facts.md §7.3: per-GPU series labelled gpu_uuid, text exposition format.
      .add('GET', '/metrics', () => ({
        status: 200,
        contentType: 'text/plain; charset=utf-8; version=0.0.4',
        text: metricsText((Date.now() - startedAt) / 1000),
      }))
  );
}

function metricsText(uptimeSeconds: number): string {
  const series: [name: string, type: string, help: string, value: (gpu: (typeof GPUS)[number]) => number][] = [
    ['nv_gpu_utilization', 'gauge', 'GPU utilization rate [0.0 - 1.0)', (gpu) => gpu.utilization],
    ['nv_gpu_memory_total_bytes', 'gauge', 'GPU total memory, in bytes', () => GPU_MEMORY_BYTES],
    ['nv_gpu_memory_used_bytes', 'gauge', 'GPU used memory, in bytes', (gpu) => gpu.usedBytes],
    ['nv_gpu_power_usage', 'gauge', 'GPU power usage in watts', (gpu) => gpu.powerWatts],
    ['nv_gpu_power_limit', 'gauge', 'GPU power management limit in watts', () => GPU_POWER_LIMIT_WATTS],
    [
      'nv_energy_consumption',
      'counter',
      'GPU energy consumption in joules since the Triton Server started',
      (gpu) => Math.round(gpu.powerWatts * uptimeSeconds),
    ],
  ];
  const lines: string[] = [];
  for (const [name, type, help, value] of series) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const gpu of GPUS) lines.push(`${name}{gpu_uuid="${gpu.uuid}"} ${value(gpu)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Triton's error shape, `{"error": …}` (servicex-facts.md §7.1). */
function tritonError(status: number, message?: string): Reply {
  return { status, json: { error: message ?? STATUS_CODES[status] ?? 'Error' } };
}

/** The metrics endpoint is plain text, so its errors are too. */
function metricsError(status: number, message?: string): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', text: `${message ?? STATUS_CODES[status] ?? 'Error'}\n` };
}
