import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const runCli = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('the coffea-casa CLI bundle', () => {
  test('prints its version', () => {
    const result = runCli('version');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^coffea-casa-servicex \d+\.\d+\.\d+\n$/);
  });

  test('an unknown command exits 2 with the usage on stderr', () => {
    const result = runCli('chek', 'spec.yaml');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command "chek"/);
    assert.match(result.stderr, /Usage: coffea-casa/);
  });

  test('no command prints the usage and exits 2', () => {
    const result = runCli();
    assert.equal(result.status, 2);
    assert.match(result.stdout, /Usage/);
  });
});
