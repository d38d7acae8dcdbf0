import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { main, type CliIo } from '../../server/src/cli';

// `coffea-casa check`, run in-process through main() and as the bundle for its exit codes.
const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-check-'));
after(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => (out += `${text}\n`),
    err: (text) => (err += `${text}\n`),
    readStdin: () => Promise.resolve(''),
  };
  const code = await main(['check', ...args], io);
  return { code, out, err };
}

const RAW = '!UprootRaw \'[{"treename": "nominal"}]\'';
const broken = file(
  'broken.yaml',
  `General:\n  OutputFormat: root-file\nSample:\n  - Name: a\n    RucioDID: user.a:b\n    Query: ${RAW}\n`,
);
const clean = file('clean.yaml', `Sample:\n  - Name: a\n    Dataset: !Rucio user.a:b\n    Query: ${RAW}\n`);
const warned = file('warned.yaml', 'Sample:\n  - Name: a\n    Dataset: !Rucio user.a:b\n');
const pod = file('pod.yaml', 'apiVersion: v1\nkind: Pod\n');

describe('coffea-casa check, in-process', () => {
  test('prints file:line:col: severity code message, 1-based, and exits 1 on an error', async () => {
    const result = await run(broken);
    assert.equal(result.code, 1);
    assert.equal(
      result.out,
      `${broken}:2:17: error spec/invalid-value OutputFormat "root-file" is not one of parquet, root-ttree, root-rntuple ("root-file" is the REST API name). Did you mean root-ttree?\n` +
        `${broken}:5:5: warning spec/deprecated-key RucioDID is deprecated: use "Dataset: !Rucio user.a:b" instead.\n`,
    );
    assert.equal(result.err, '');
  });

  test('--format json prints one array with 0-based ranges', async () => {
    const result = await run('--format', 'json', broken, clean);
    assert.equal(result.code, 1);
    assert.deepEqual(JSON.parse(result.out), [
      {
        file: broken,
        range: { start: { line: 1, character: 16 }, end: { line: 1, character: 25 } },
        severity: 'error',
        code: 'spec/invalid-value',
        message:
          'OutputFormat "root-file" is not one of parquet, root-ttree, root-rntuple ("root-file" is the REST API name). Did you mean root-ttree?',
      },
      {
        file: broken,
        range: { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } },
        severity: 'warning',
        code: 'spec/deprecated-key',
        message: 'RucioDID is deprecated: use "Dataset: !Rucio user.a:b" instead.',
      },
    ]);
  });

  test('a clean spec prints nothing and exits 0; warnings alone exit 0', async () => {
    assert.deepEqual(await run(clean), { code: 0, out: '', err: '' });
    const result = await run('--format=json', warned);
    assert.equal(result.code, 0);
    assert.deepEqual(
      (JSON.parse(result.out) as { code: string }[]).map((e) => e.code),
      ['spec/missing-query'],
    );
  });

  test('YAML that is not a ServiceX spec is skipped: said in text, absent in JSON', async () => {
    assert.deepEqual(await run(pod), {
      code: 0,
      out: `${pod}: skipped: not a ServiceX spec (no top-level Sample, General or Definition and no ServiceX tag)\n`,
      err: '',
    });
    assert.deepEqual(await run('--format', 'json', pod), { code: 0, out: '[]\n', err: '' });
  });

  test('.funcadl and .qastle files are checked by their engines', async () => {
    const query = file('query.funcadl', "FromTree('mini').Select(lambda e: {'lep_pt': e['lep_pt']})\n");
    const qastle = file('query.qastle', "(call EventDataset 'bogus.root' 'mini')\n");
    const result = await run('--format', 'json', query, qastle);
    assert.notEqual(result.code, 2);
    assert.ok(Array.isArray(JSON.parse(result.out)));
  });

  test('includes are resolved next to the checked file', async () => {
    file('defs.yaml', `- &Q ${RAW}\n`);
    const spec = file(
      'uses-include.yaml',
      'Definition: !include defs.yaml\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n',
    );
    assert.deepEqual(await run(spec), { code: 0, out: '', err: '' });
  });

  test('an unreadable file exits 2 with a clear message, after checking the others', async () => {
    const missing = join(folder, 'nope.yaml');
    const result = await run(broken, missing);
    assert.equal(result.code, 2);
    assert.equal(result.err, `coffea-casa check: cannot read ${missing}: no such file\n`);
    assert.match(result.out, /spec\/invalid-value/);
  });

  test('usage errors exit 2 with the usage', async () => {
    for (const args of [[], ['--format', 'xml', clean], ['--strict', clean], ['--format']]) {
      const result = await run(...args);
      assert.equal(result.code, 2, `for ${args.join(' ')}`);
      assert.match(result.err, /Usage: coffea-casa check \[--format text\|json\] FILE\.\.\./);
    }
    assert.equal((await run('--help')).code, 0);
  });
});

describe('coffea-casa check, the bundle', () => {
  const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const runCli = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8' });

  test('exits 0 when clean, 1 on errors, 2 on unreadable files and usage errors', () => {
    assert.equal(runCli(clean).status, 0);
    assert.equal(runCli(warned).status, 0);
    const failed = runCli(broken);
    assert.equal(failed.status, 1);
    assert.match(failed.stdout, /broken\.yaml:2:17: error spec\/invalid-value/);
    assert.equal(runCli(join(folder, 'nope.yaml')).status, 2);
    assert.equal(runCli().status, 2);
  });

  test('JSON output parses', () => {
    const result = runCli('--format', 'json', broken, pod);
    assert.equal(result.status, 1);
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 2);
  });
});
