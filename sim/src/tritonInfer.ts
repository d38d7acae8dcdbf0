// `POST /v2/models/{model}/infer` with JSON tensors (servicex-facts.md §7.1). The simulator checks the request
// against the model's metadata as Triton does and answers outputs of the right shape; every request lands in the
// model's statistics, so tests can add inferences one by one and see the counters move.
import type { Reply } from './http';
import type { ModelEntry, TensorSpec, TritonState } from './tritonModels';

/** The reply to one inference request on a ready `model`; `body` is the parsed JSON (anything else is refused). */
export function inferReply(state: TritonState, model: ModelEntry, body: unknown): Reply {
  const problem = checkRequest(model, body);
  if (typeof problem === 'string') {
    state.recordFailure(model, 'OTHER');
    return { status: 400, json: { error: problem } };
  }
  const { batch, id, requested } = problem;
  state.record(model, batch);
  const outputs = model.definition.outputs
    .filter((o) => requested === undefined || requested.includes(o.name))
    .map((o) => {
      const shape = o.shape.map((d, i) => (i === 0 && model.definition.maxBatchSize > 0 ? batch : Math.max(d, 1)));
      const width = shape[shape.length - 1] ?? 1;
      // A classifier's outputs are probabilities, so an even split is the least surprising stand-in.
      const value = o.datatype.startsWith('FP') ? 1 / width : 0;
      return { name: o.name, datatype: o.datatype, shape, data: new Array<number>(product(shape)).fill(value) };
    });
  return {
    status: 200,
    json: {
      model_name: model.definition.name,
      model_version: model.definition.version,
      ...(id === undefined ? {} : { id }),
      outputs,
    },
  };
}

interface Checked {
  readonly batch: number;
  readonly id?: string;
  readonly requested?: string[];
}

/** Checks the inputs against the model's metadata; the messages follow Triton's [I: wording from its sources]. */
function checkRequest(model: ModelEntry, body: unknown): Checked | string {
  const name = model.definition.name;
  if (!isObject(body) || !Array.isArray(body.inputs)) return 'failed to parse the request JSON buffer';
  const expected = model.definition.inputs;
  if (body.inputs.length !== expected.length) {
    return `expected ${expected.length} inputs but got ${body.inputs.length} inputs for model '${name}'`;
  }
  let batch = 1;
  for (const input of body.inputs) {
    if (!isObject(input) || typeof input.name !== 'string') return 'each input needs a "name"';
    const spec = expected.find((e) => e.name === input.name);
    if (!spec) return `unexpected inference input '${input.name}' for model '${name}'`;
    if (input.datatype !== spec.datatype) {
      return `inference input '${spec.name}' data-type is '${String(input.datatype)}', but model '${name}' expects '${spec.datatype}'`;
    }
    const shape: unknown[] = Array.isArray(input.shape) ? input.shape : [];
    if (
      !Array.isArray(input.shape) ||
      !shape.every((d) => Number.isInteger(d) && (d as number) >= 0) ||
      !fits(spec, shape)
    ) {
      return `unexpected shape for input '${spec.name}' for model '${name}'. Expected ${show(spec.shape)}, got ${show(shape)}`;
    }
    const data = Array.isArray(input.data) ? input.data.flat(Infinity) : undefined;
    if (!data || data.length !== product(shape as number[])) {
      return `unexpected number of elements for input '${spec.name}' for model '${name}'`;
    }
    batch = shape[0] as number;
  }
  const max = model.definition.maxBatchSize;
  if (max > 0 && batch > max) return `inference request batch-size must be <= ${max} for '${name}'`;
  const requested = Array.isArray(body.outputs) ? body.outputs.filter(isObject).map((o) => String(o.name)) : undefined;
  const unknown = requested?.find((r) => !model.definition.outputs.some((o) => o.name === r));
  if (unknown !== undefined) return `unexpected inference output '${unknown}' for model '${name}'`;
  return { batch, id: typeof body.id === 'string' ? body.id : undefined, requested };
}

function fits(spec: TensorSpec, shape: unknown[]): boolean {
  return shape.length === spec.shape.length && spec.shape.every((d, i) => d === -1 || d === shape[i]);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function show(shape: readonly unknown[]): string {
  return `[${shape.join(',')}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
