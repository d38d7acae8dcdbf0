import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gpuSummaries, modelMetrics } from '../../client/src/gpu/gpuSummary';
import { parsePrometheus } from '../../client/src/gpu/prometheus';
import { generateMetricsPage } from '../bench/gpu';

describe('Prometheus text format parser', () => {
  test('reads names, labels, values, types and help', () => {
    const parsed = parsePrometheus(
      [
        '# HELP nv_gpu_utilization GPU utilization rate [0.0 - 1.0)',
        '# TYPE nv_gpu_utilization gauge',
        'nv_gpu_utilization{gpu_uuid="GPU-1"} 0.42',
        '# TYPE http_requests_total counter',
        'http_requests_total{method="post",code="200"} 1027 1395066363000',
        'process:cpu_seconds 12.5',
      ].join('\n'),
    );
    assert.deepEqual(parsed.samples, [
      { name: 'nv_gpu_utilization', labels: { gpu_uuid: 'GPU-1' }, value: 0.42 },
      {
        name: 'http_requests_total',
        labels: { method: 'post', code: '200' },
        value: 1027,
        timestampMs: 1395066363000,
      },
      { name: 'process:cpu_seconds', labels: {}, value: 12.5 },
    ]);
    assert.deepEqual(
      [...parsed.types],
      [
        ['nv_gpu_utilization', 'gauge'],
        ['http_requests_total', 'counter'],
      ],
    );
    assert.equal(parsed.help.get('nv_gpu_utilization'), 'GPU utilization rate [0.0 - 1.0)');
    assert.equal(parsed.skipped, 0);
  });

  test('unescapes label values and help text', () => {
    const parsed = parsePrometheus(
      [
        '# HELP msdos_file_access_time_seconds Last access\\ntime with a \\\\ backslash',
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
        'odd{raw="a\\qb", spaced = "x" , } 1',
      ].join('\n'),
    );
    assert.equal(parsed.skipped, 0);
    assert.deepEqual(parsed.samples[0].labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    assert.equal(parsed.samples[0].value, 1.458255915e9);
    assert.equal(parsed.help.get('msdos_file_access_time_seconds'), 'Last access\ntime with a \\ backslash');
    // An unknown escape keeps its backslash; blanks around "=" and a trailing comma are allowed.
    assert.deepEqual(parsed.samples[1].labels, { raw: 'a\\qb', spaced: 'x' });
  });

  test('reads NaN, +Inf, -Inf, exponents and negative timestamps', () => {
    const parsed = parsePrometheus(
      ['a NaN', 'b{le="+Inf"} +Inf', 'c -Inf -5', 'd 1e-3', 'e -.5E+2', 'f Inf', 'g{le="0.5"} 3\r', '', '   '].join(
        '\n',
      ),
    );
    assert.equal(parsed.skipped, 0);
    const values = parsed.samples.map((s) => s.value);
    assert.ok(Number.isNaN(values[0]));
    assert.deepEqual(values.slice(1), [Infinity, -Infinity, 0.001, -50, Infinity, 3]);
    assert.equal(parsed.samples[1].labels.le, '+Inf');
    assert.equal(parsed.samples[2].timestampMs, -5);
  });

  test('comments other than HELP and TYPE are ignored, not counted', () => {
    const parsed = parsePrometheus('# just a note\n#no space either\nx 1\n');
    assert.equal(parsed.skipped, 0);
    assert.equal(parsed.samples.length, 1);
  });

  test('skips and counts malformed lines, keeping the good ones around them', () => {
    const lines = [
      'good_a 1', //                              1
      'nv_gpu_utilization{gpu_uuid="x" 0.5', //   2 unterminated label set
      'good_b{x="1"} 2', //                       3
      'bad_value{x="1"} twelve', //               4 value is not a number
      'this line is not in the format', //        5
      '# TYPE good_a histogramm', //              6 unknown type
      '# HELP 9bad starts with a digit', //       7 bad metric name
      'dup{a="1",a="2"} 1', //                    8 repeated label
      'no_value{a="1"}', //                       9 no value
      'ts 1 1.5', //                              10 timestamp not an integer
      'extra 1 2 3', //                           11 too many fields
      'glued{a="1"}1', //                         12 no blank before the value
      '{a="1"} 1', //                             13 no name
      'quote{a="unterminated} 1', //              14 label value never closed
      'hex 0x1F', //                              15 Go does not read this as a sample value
      'empty_label{="v"} 1', //                   16 label without a name
      'good_c 3', //                              17
    ];
    const parsed = parsePrometheus(lines.join('\n'));
    assert.deepEqual(
      parsed.samples.map((s) => s.name),
      ['good_a', 'good_b', 'good_c'],
    );
    assert.equal(parsed.skipped, 14);
    assert.deepEqual(parsed.skippedLines, [2, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  test('a label called __proto__ stays a label', () => {
    const parsed = parsePrometheus('x{__proto__="p",constructor="c"} 1');
    assert.equal(parsed.skipped, 0);
    assert.deepEqual(Object.keys(parsed.samples[0].labels), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(parsed.samples[0].labels), Object.prototype);
  });

  test('never throws on arbitrary bytes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab_{}="\\,\n #+-.eE0123456789NaInf\r\t';
    for (let round = 0; round < 200; round++) {
      let text = '';
      for (let i = 0; i < 200; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const parsed = parsePrometheus(text);
      const lines = text.split('\n').filter((l) => l.trim() !== '').length;
      assert.ok(parsed.samples.length + parsed.skipped <= lines);
    }
  });

  test('a generated 5 MB page parses completely', () => {
    const page = generateMetricsPage(5 * 1024 * 1024);
    assert.ok(page.text.length >= 5 * 1024 * 1024);
    const parsed = parsePrometheus(page.text);
    assert.equal(parsed.skipped, 0);
    assert.equal(parsed.samples.length, page.samples);
    const gpus = gpuSummaries(parsed);
    assert.equal(gpus.length, page.gpus);
    for (const gpu of gpus) {
      assert.ok(gpu.utilization !== undefined && gpu.utilization >= 0 && gpu.utilization <= 1);
      assert.equal(gpu.memoryTotalBytes, 48_305_799_168);
    }
    assert.equal(modelMetrics(parsed).length, page.models);
  });
});

describe('GPU and model summaries', () => {
  test('collect the nv_gpu_* series per gpu_uuid, in page order', () => {
    const parsed = parsePrometheus(
      [
        'nv_gpu_utilization{gpu_uuid="GPU-b"} 0.25',
        'nv_gpu_utilization{gpu_uuid="GPU-a"} 0.5',
        'nv_gpu_memory_used_bytes{gpu_uuid="GPU-a"} 1024',
        'nv_gpu_memory_total_bytes{gpu_uuid="GPU-a"} 4096',
        'nv_gpu_power_usage{gpu_uuid="GPU-a"} 143.5',
        'nv_gpu_power_limit{gpu_uuid="GPU-a"} 350',
        'nv_gpu_power_usage{gpu_uuid="GPU-b"} NaN',
        'nv_gpu_utilization 0.9',
        'constructor{gpu_uuid="GPU-c"} 1',
      ].join('\n'),
    );
    assert.deepEqual(gpuSummaries(parsed), [
      { uuid: 'GPU-b', utilization: 0.25 },
      {
        uuid: 'GPU-a',
        utilization: 0.5,
        memoryUsedBytes: 1024,
        memoryTotalBytes: 4096,
        powerWatts: 143.5,
        powerLimitWatts: 350,
      },
    ]);
  });

  test('sum failures over reasons and keep model versions apart', () => {
    const parsed = parsePrometheus(
      [
        'nv_inference_request_success{model="m",version="1"} 10',
        'nv_inference_request_failure{model="m",version="1",reason="REJECTED"} 2',
        'nv_inference_request_failure{model="m",version="1",reason="BACKEND"} 3',
        'nv_inference_count{model="m",version="1"} 80',
        'nv_inference_exec_count{model="m",version="1"} 10',
        'nv_inference_pending_request_count{model="m",version="1"} 1',
        'nv_inference_count{model="m",version="2"} 5',
      ].join('\n'),
    );
    assert.deepEqual(modelMetrics(parsed), [
      { model: 'm', version: '1', success: 10, failure: 5, inferences: 80, executions: 10, pending: 1 },
      { model: 'm', version: '2', success: 0, failure: 0, inferences: 5, executions: 0, pending: 0 },
    ]);
  });
});
