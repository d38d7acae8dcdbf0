import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import {
  concreteShape,
  numpyDtype,
  snippetAddress,
  tritonClientSnippet,
  type SnippetOptions,
} from '../../client/src/gpu/tritonSnippet';

const particleNet: SnippetOptions = {
  model: 'particlenet_ak4',
  version: '1',
  inputs: [
    { name: 'pf_points', datatype: 'FP32', shape: [-1, 2, 100] },
    { name: 'pf_mask', datatype: 'FP32', shape: [-1, 1, 100] },
  ],
  outputs: [{ name: 'softmax', datatype: 'FP32', shape: [-1, 5] }],
  protocol: 'http',
  address: 'triton.example.org:8000',
  batchSize: 16,
};

describe('tritonclient snippet', () => {
  test('HTTP: the real input names, shapes with the batch size, datatypes and numpy dtypes', () => {
    assert.equal(
      tritonClientSnippet(particleNet),
      [
        'import numpy as np',
        'import tritonclient.http as httpclient',
        '',
        'client = httpclient.InferenceServerClient(url="triton.example.org:8000")',
        '',
        '# Inputs of "particlenet_ak4" for a batch of 16: replace the zeros with your data.',
        'inputs = []',
        'tensor = httpclient.InferInput("pf_points", [16, 2, 100], "FP32")',
        'tensor.set_data_from_numpy(np.zeros((16, 2, 100), dtype=np.float32))',
        'inputs.append(tensor)',
        'tensor = httpclient.InferInput("pf_mask", [16, 1, 100], "FP32")',
        'tensor.set_data_from_numpy(np.zeros((16, 1, 100), dtype=np.float32))',
        'inputs.append(tensor)',
        '',
        'outputs = [httpclient.InferRequestedOutput("softmax")]',
        'result = client.infer("particlenet_ak4", inputs, outputs=outputs, model_version="1")',
        'print("softmax", result.as_numpy("softmax"))',
        '',
      ].join('\n'),
    );
  });

  test('gRPC with TLS uses grpcclient and ssl=True', () => {
    const text = tritonClientSnippet({
      ...particleNet,
      protocol: 'grpc',
      address: 'triton-grpc.cmsaf-prod.flatiron.hollandhpc.org:8001',
      ssl: true,
      version: undefined,
    });
    assert.match(text, /^import tritonclient\.grpc as grpcclient$/m);
    assert.match(
      text,
      /^client = grpcclient\.InferenceServerClient\(url="triton-grpc\.cmsaf-prod\.flatiron\.hollandhpc\.org:8001", ssl=True\)$/m,
    );
    assert.match(text, /^tensor = grpcclient\.InferInput\("pf_points", \[16, 2, 100\], "FP32"\)$/m);
    assert.match(text, /^result = client\.infer\("particlenet_ak4", inputs, outputs=outputs\)$/m);
    assert.doesNotMatch(text, /httpclient/);
  });

  test('integer, bytes and one-dimensional inputs', () => {
    const text = tritonClientSnippet({
      ...particleNet,
      inputs: [
        { name: 'INPUT__1', datatype: 'INT64', shape: [-1, 1] },
        { name: 'tokens', datatype: 'BYTES', shape: [-1] },
        { name: 'weird', datatype: 'COMPLEX', shape: [3] },
      ],
      batchSize: 4,
    });
    assert.match(text, /np\.zeros\(\(4, 1\), dtype=np\.int64\)/);
    assert.match(text, /np\.full\(\(4,\), b"", dtype=np\.object_\)/);
    assert.match(text, /tritonclient has no numpy type for COMPLEX/);
  });

  test('names from the server cannot break out of their string literals', () => {
    const text = tritonClientSnippet({
      ...particleNet,
      model: 'evil"\nimport os; os.system("rm -rf ~")  # é',
      inputs: [{ name: 'in"put', datatype: 'FP32', shape: [-1] }],
    });
    assert.equal(text.split('\n').filter((l) => l.startsWith('import ')).length, 2);
    assert.match(text, /InferInput\("in\\"put", \[16\], "FP32"\)/);
    assert.match(text, /# Inputs of "evil\\"\\nimport os; os.system\(\\"rm -rf ~\\"\) {2}# \\u00e9" for a batch/);
  });

  test('python compiles the snippet, when python3 is installed', (t) => {
    const python = spawnSync('/usr/bin/python3', ['-c', 'import sys; compile(sys.stdin.read(), "snippet", "exec")'], {
      input: tritonClientSnippet({ ...particleNet, model: 'a"b\\c\u2028d' }),
      encoding: 'utf8',
    });
    if (python.error) {
      t.skip('no /usr/bin/python3');
      return;
    }
    assert.equal(python.status, 0, python.stderr);
  });

  test('datatypes map to numpy dtypes; unknown ones to nothing', () => {
    assert.equal(numpyDtype('FP16'), 'np.float16');
    assert.equal(numpyDtype('UINT8'), 'np.uint8');
    assert.equal(numpyDtype('BOOL'), 'np.bool_');
    assert.equal(numpyDtype('BF16'), 'np.float32');
    assert.equal(numpyDtype('constructor'), undefined);
  });

  test('only -1 dimensions take the batch size', () => {
    assert.deepEqual(concreteShape([-1, 3, -1, 0], 8), [8, 3, 8, 0]);
  });

  test('addresses come from the HTTP URL; gRPC gets its own port', () => {
    assert.deepEqual(snippetAddress('http://127.0.0.1:8000/', 'http'), { address: '127.0.0.1:8000', ssl: false });
    assert.deepEqual(snippetAddress('https://triton.example.org/', 'http'), {
      address: 'triton.example.org:443',
      ssl: true,
    });
    assert.deepEqual(snippetAddress('https://triton.example.org:8443', 'grpc'), {
      address: 'triton.example.org:8001',
      ssl: true,
    });
  });
});
