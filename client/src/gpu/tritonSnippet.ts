/**
 * Python code that calls one Triton model with `tritonclient`, for the "copy snippet" action. Pure: it only turns a
 * model's metadata (servicex-facts.md §7.1) into text, and every name from the server goes in as a quoted literal.
 */

/** A tensor of the model metadata. */
export interface SnippetTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

export interface SnippetOptions {
  readonly model: string;
  readonly version?: string;
  readonly inputs: readonly SnippetTensor[];
  readonly outputs: readonly SnippetTensor[];
  readonly protocol: 'http' | 'grpc';
  /** `host:port` as tritonclient takes it, without a scheme. */
  readonly address: string;
  readonly ssl?: boolean;
  /** Replaces every variable (`-1`) dimension; at least 1. */
  readonly batchSize: number;
}

/** KServe v2 datatypes and the numpy dtype tritonclient expects for each. */
const NUMPY_DTYPES: Readonly<Record<string, string>> = {
  BOOL: 'np.bool_',
  UINT8: 'np.uint8',
  UINT16: 'np.uint16',
  UINT32: 'np.uint32',
  UINT64: 'np.uint64',
  INT8: 'np.int8',
  INT16: 'np.int16',
  INT32: 'np.int32',
  INT64: 'np.int64',
  FP16: 'np.float16',
  FP32: 'np.float32',
  FP64: 'np.float64',
  BYTES: 'np.object_',
  // numpy has no bfloat16; tritonclient sends BF16 tensors from float32 arrays.
  BF16: 'np.float32',
};

/** The numpy dtype for a KServe v2 datatype, or undefined for one tritonclient does not know. */
export function numpyDtype(datatype: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(NUMPY_DTYPES, datatype) ? NUMPY_DTYPES[datatype] : undefined;
}

/** The shape to send: every `-1` becomes the batch size. */
export function concreteShape(shape: readonly number[], batchSize: number): number[] {
  return shape.map((d) => (d < 0 ? batchSize : d));
}

/** The `host:port` tritonclient needs from a Triton HTTP URL; for gRPC the port becomes 8001 unless `grpcPort`. */
export function snippetAddress(
  httpUrl: string,
  protocol: 'http' | 'grpc',
  grpcPort = 8001,
): { address: string; ssl: boolean } {
  const url = new URL(httpUrl);
  const ssl = url.protocol === 'https:';
  const port = protocol === 'grpc' ? String(grpcPort) : url.port || (ssl ? '443' : '80');
  return { address: `${url.hostname}:${port}`, ssl };
}

/** The whole snippet. */
export function tritonClientSnippet(options: SnippetOptions): string {
  const batch = Math.max(1, Math.floor(options.batchSize));
  const module = options.protocol === 'grpc' ? 'grpcclient' : 'httpclient';
  const lines = [
    'import numpy as np',
    `import tritonclient.${options.protocol} as ${module}`,
    '',
    `client = ${module}.InferenceServerClient(url=${py(options.address)}${options.ssl ? ', ssl=True' : ''})`,
    '',
    // The model's name is quoted, so that no name can end the comment and become code.
    `# Inputs of ${py(options.model)} for a batch of ${batch}: replace the zeros with your data.`,
    'inputs = []',
  ];
  for (const input of options.inputs) {
    const shape = concreteShape(input.shape, batch);
    const dtype = numpyDtype(input.datatype);
    lines.push(
      `tensor = ${module}.InferInput(${py(input.name)}, ${pyList(shape)}, ${py(input.datatype)})`,
      dtype === undefined
        ? `# tritonclient has no numpy type for ${input.datatype}: fill this tensor by hand.`
        : `tensor.set_data_from_numpy(${zeros(shape, dtype)})`,
      'inputs.append(tensor)',
    );
  }
  lines.push(
    '',
    `outputs = [${options.outputs.map((o) => `${module}.InferRequestedOutput(${py(o.name)})`).join(', ')}]`,
    `result = client.infer(${py(options.model)}, inputs, outputs=outputs${
      options.version ? `, model_version=${py(options.version)}` : ''
    })`,
  );
  for (const output of options.outputs) lines.push(`print(${py(output.name)}, result.as_numpy(${py(output.name)}))`);
  return `${lines.join('\n')}\n`;
}

function zeros(shape: number[], dtype: string): string {
  // np.zeros of object dtype holds integers, which tritonclient cannot send as BYTES: fill with empty bytes instead.
  return dtype === 'np.object_'
    ? `np.full(${pyTuple(shape)}, b"", dtype=np.object_)`
    : `np.zeros(${pyTuple(shape)}, dtype=${dtype})`;
}

/** A Python string literal: JSON's double-quoted escapes are valid Python, and non-ASCII is escaped as \uXXXX. */
function py(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pyList(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

function pyTuple(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}
