// The control API's Triton switches: the model-control mode, which extensions the server offers, a metrics page
// with malformed lines, and the rate of simulated inferences (0 makes the counters move only on /infer requests).
import type { Router } from './http';
import type { ModelControlMode, TritonState } from './tritonModels';

/** The body of `POST /triton/settings` and of its answer; every field is optional in the request. */
export interface TritonSettings {
  readonly modelControlMode: ModelControlMode;
  readonly statistics: boolean;
  readonly modelRepository: boolean;
  readonly malformedMetrics: boolean;
  readonly requestsPerSecond: number;
}

const MODES: readonly string[] = ['none', 'poll', 'explicit'];
const KEYS = ['modelControlMode', 'statistics', 'modelRepository', 'malformedMetrics', 'requestsPerSecond'];

/** The current settings. */
export function tritonSettings(state: TritonState): TritonSettings {
  return {
    modelControlMode: state.modelControlMode,
    statistics: state.statisticsExtension,
    modelRepository: state.repositoryExtension,
    malformedMetrics: state.malformedMetrics,
    requestsPerSecond: state.requestsPerSecond,
  };
}

/** Applies a validated settings body and returns the new settings, or a message naming the bad field. */
export function applyTritonSettings(state: TritonState, body: unknown): TritonSettings | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) return `Unknown Triton setting(s): ${unknown.join(', ')}. Known: ${KEYS.join(', ')}.`;
  if (b.modelControlMode !== undefined && !MODES.includes(b.modelControlMode as string)) {
    return '"modelControlMode" must be "none", "poll" or "explicit".';
  }
  for (const key of ['statistics', 'modelRepository', 'malformedMetrics']) {
    if (b[key] !== undefined && typeof b[key] !== 'boolean') return `"${key}" must be true or false.`;
  }
  const rate = b.requestsPerSecond;
  if (rate !== undefined && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 1000)) {
    return '"requestsPerSecond" must be a number from 0 to 1000.';
  }
  // Requests due at the old rate are counted before the rate changes.
  state.advance();
  if (b.modelControlMode !== undefined) state.modelControlMode = b.modelControlMode as ModelControlMode;
  if (b.statistics !== undefined) state.statisticsExtension = b.statistics as boolean;
  if (b.modelRepository !== undefined) state.repositoryExtension = b.modelRepository as boolean;
  if (b.malformedMetrics !== undefined) state.malformedMetrics = b.malformedMetrics as boolean;
  if (rate !== undefined) state.requestsPerSecond = rate;
  return tritonSettings(state);
}

/** Adds `GET` and `POST /triton/settings` to the control router (documented at the top of control.ts). */
export function addTritonControls(router: Router, state: TritonState): Router {
  return router
    .add('GET', '/triton/settings', () => ({ status: 200, json: tritonSettings(state) }))
    .add('POST', '/triton/settings', (request) => {
      let body: unknown;
      try {
        body = request.body.length === 0 ? undefined : JSON.parse(request.body.toString('utf8'));
      } catch {
        return { status: 400, json: { message: 'The body must be JSON.' } };
      }
      const settings = applyTritonSettings(state, body);
      return typeof settings === 'string'
        ? { status: 400, json: { message: settings } }
        : { status: 200, json: settings };
    });
}
