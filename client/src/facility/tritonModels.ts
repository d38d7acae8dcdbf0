import type { FacilityHttp } from './http';
import { fail, ok, type Result } from './result';
import { isRecord, shapeError, type Json, type ShapeError } from './shape';
import { readModelStats, type TritonModelStats } from './tritonStats';
import { hostOf, joinUrl } from './urls';

/** A model as the repository index lists it (servicex-facts.md §7.2); a model never loaded has no version. */
export interface TritonModelEntry {
  readonly name: string;
  readonly version?: string;
  /** READY, UNAVAILABLE, LOADING, UNLOADING, or empty when the server gives none. */
  readonly state: string;
  /** Why a model is not ready, e.g. "unloaded" or the load error; empty otherwise. */
  readonly reason: string;
}

/** A tensor of the model metadata: `-1` marks a variable dimension. */
export interface TritonTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
}

/** Model metadata (servicex-facts.md §7.1). */
export interface TritonModelMetadata {
  readonly name: string;
  readonly versions: string[];
  readonly platform: string;
  readonly inputs: TritonTensor[];
  readonly outputs: TritonTensor[];
}

/** What a model's node shows: metadata and config always, statistics when the server has the extension. */
export interface TritonModelDetails {
  readonly metadata: TritonModelMetadata;
  readonly config: Json;
  readonly statistics: Result<TritonModelStats | undefined>;
}

const SERVICE = 'Triton';
const MODEL_REPOSITORY = 'model_repository';
const STATISTICS = 'statistics';

/**
 * The models of one Triton server. `extensions` comes from the server metadata (`TritonApi.server`): a call that
 * needs an extension the server lacks fails at once with a message saying so, without a request.
 */
export class TritonModelsApi {
  constructor(
    private readonly http: FacilityHttp,
    private readonly baseUrl: string,
    private readonly extensions: readonly string[],
  ) {}

  /** The repository index: every model, or only the ready ones (servicex-facts.md §7.2). */
  async index(signal: AbortSignal, readyOnly = false): Promise<Result<TritonModelEntry[]>> {
    const missing = this.missing(MODEL_REPOSITORY, 'its models cannot be listed');
    if (missing) return missing;
    const url = joinUrl(this.baseUrl, 'v2/repository/index');
    const result = await this.http.json(
      url,
      { service: SERVICE, signal, method: 'POST', body: readyOnly ? { ready: true } : {} },
      readIndex,
    );
    return this.extensionRouteFailure(result, MODEL_REPOSITORY, 'its models cannot be listed');
  }

  /** Model metadata: platform, versions, inputs and outputs. */
  async metadata(model: string, signal: AbortSignal, version?: string): Promise<Result<TritonModelMetadata>> {
    return this.http.json(this.modelUrl(model, version), { service: SERVICE, signal }, readMetadata);
  }

  /** The model configuration as the server holds it (model configuration extension, servicex-facts.md §7.2). */
  async config(model: string, signal: AbortSignal, version?: string): Promise<Result<Json>> {
    return this.http.json(this.modelUrl(model, version, 'config'), { service: SERVICE, signal }, (body) =>
      isRecord(body) ? body : shapeError('the model configuration is not an object'),
    );
  }

  /** Cumulative statistics of one model, or of every loaded model when `model` is omitted. */
  async statistics(signal: AbortSignal, model?: string, version?: string): Promise<Result<TritonModelStats[]>> {
    const missing = this.missing(STATISTICS, 'it keeps no inference statistics');
    if (missing) return missing;
    const url = model === undefined ? joinUrl(this.baseUrl, 'v2/models/stats') : this.modelUrl(model, version, 'stats');
    const result = await this.http.json(url, { service: SERVICE, signal }, readModelStats);
    return this.extensionRouteFailure(result, STATISTICS, 'it keeps no inference statistics');
  }

  /** True when the model answers ready; a model that is not loaded is false, not a failure. */
  async ready(model: string, signal: AbortSignal, version?: string): Promise<Result<boolean>> {
    const result = await this.http.text(this.modelUrl(model, version, 'ready'), { service: SERVICE, signal });
    if (result.ok) return ok(true);
    return result.error.status === 400 || result.error.status === 404 ? ok(false) : result;
  }

  /** Loads a model; only a server in explicit model-control mode allows it. */
  async load(model: string, signal: AbortSignal): Promise<Result<void>> {
    return this.control(model, 'load', {}, signal);
  }

  /** Unloads a model, and with `unloadDependents` the models that depend on it (an ensemble's steps). */
  async unload(model: string, signal: AbortSignal, unloadDependents = false): Promise<Result<void>> {
    const body = unloadDependents ? { parameters: { unload_dependents: true } } : {};
    return this.control(model, 'unload', body, signal);
  }

  /** Metadata, config and statistics of one model, fetched together. */
  async details(model: string, signal: AbortSignal): Promise<Result<TritonModelDetails>> {
    const [metadata, config, statistics] = await Promise.all([
      this.metadata(model, signal),
      this.config(model, signal),
      this.statistics(signal, model),
    ]);
    if (!metadata.ok) return metadata;
    if (!config.ok) return config;
    return ok({
      metadata: metadata.value,
      config: config.value,
      statistics: statistics.ok ? ok(statistics.value.find((s) => s.name === model)) : statistics,
    });
  }

  private async control(
    model: string,
    action: 'load' | 'unload',
    body: unknown,
    signal: AbortSignal,
  ): Promise<Result<void>> {
    const what = `models cannot be ${action}ed from here`;
    const missing = this.missing(MODEL_REPOSITORY, what);
    if (missing) return missing;
    const url = joinUrl(this.baseUrl, `v2/repository/models/${encodeURIComponent(model)}/${action}`);
    const result = await this.http.send(url, { service: SERVICE, signal, method: 'POST', body });
    if (result.ok) return ok(undefined);
    // Triton refuses with UNAVAILABLE (503) unless started with --model-control-mode=explicit (§7.2).
    if (result.error.status === 503 && /not allowed/i.test(result.error.message)) {
      return fail(
        'http',
        `Triton at ${hostOf(this.baseUrl)} does not let clients ${action} models: its model control mode is not ` +
          `"explicit" (it runs with --model-control-mode=none or poll, so the models in its repository are managed ` +
          `by the server). Ask the facility's administrators to ${action} "${model}".`,
        503,
      );
    }
    return this.extensionRouteFailure(result, MODEL_REPOSITORY, what);
  }

  private modelUrl(model: string, version: string | undefined, tail?: string): string {
    const path = ['v2/models', encodeURIComponent(model)];
    if (version !== undefined) path.push('versions', encodeURIComponent(version));
    if (tail) path.push(tail);
    return joinUrl(this.baseUrl, path.join('/'));
  }

  private missing(extension: string, consequence: string): Result<never> | undefined {
    return this.extensions.includes(extension) ? undefined : this.withoutExtension(extension, consequence);
  }

  private withoutExtension(extension: string, consequence: string): Result<never> {
    const name = extension === MODEL_REPOSITORY ? 'model repository' : extension;
    return fail(
      'notFound',
      `Triton at ${hostOf(this.baseUrl)} does not offer the ${name} extension, so ${consequence}.`,
    );
  }

  /**
   * A server can advertise an extension and still lack its route (a proxy in front, an older build): a plain 404
   * there means the same as a missing extension. A 404 about an unknown model keeps the server's own words.
   */
  private extensionRouteFailure<T>(result: Result<T>, extension: string, consequence: string): Result<T> {
    if (result.ok || result.error.kind !== 'notFound' || /unknown model/i.test(result.error.message)) return result;
    return this.withoutExtension(extension, consequence);
  }
}

function readIndex(body: unknown): TritonModelEntry[] | ShapeError {
  if (!Array.isArray(body)) return shapeError('the repository index is not a list');
  const entries: TritonModelEntry[] = [];
  for (const item of body) {
    if (!isRecord(item) || typeof item.name !== 'string') return shapeError('a repository index entry has no "name"');
    entries.push({
      name: item.name,
      ...(typeof item.version === 'string' && item.version ? { version: item.version } : {}),
      state: typeof item.state === 'string' ? item.state : '',
      reason: typeof item.reason === 'string' ? item.reason : '',
    });
  }
  return entries;
}

function readMetadata(body: unknown): TritonModelMetadata | ShapeError {
  if (!isRecord(body) || typeof body.name !== 'string') return shapeError('the model metadata has no "name"');
  const inputs = readTensors(body.inputs, 'inputs');
  if (!Array.isArray(inputs)) return inputs;
  const outputs = readTensors(body.outputs, 'outputs');
  if (!Array.isArray(outputs)) return outputs;
  return {
    name: body.name,
    versions: Array.isArray(body.versions) ? body.versions.filter((v): v is string => typeof v === 'string') : [],
    platform: typeof body.platform === 'string' ? body.platform : '',
    inputs,
    outputs,
  };
}

function readTensors(value: unknown, key: string): TritonTensor[] | ShapeError {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return shapeError(`"${key}" is not a list`);
  const tensors: TritonTensor[] = [];
  for (const t of value) {
    if (
      !isRecord(t) ||
      typeof t.name !== 'string' ||
      typeof t.datatype !== 'string' ||
      !Array.isArray(t.shape) ||
      !t.shape.every((d) => Number.isInteger(d))
    ) {
      return shapeError(`an entry of "${key}" lacks a name, datatype or whole-number shape`);
    }
    tensors.push({ name: t.name, datatype: t.datatype, shape: t.shape as number[] });
  }
  return tensors;
}
