import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { main } from '../../server/src/cli';

/** Runs `coffea-casa …args` in-process with `stdin` as standard input. */
async function run(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (text) => (out += `${text}\n`),
    err: (text) => (err += `${text}\n`),
    readStdin: () => Promise.resolve(stdin),
  });
  return { code, out, err };
}

describe('coffea-casa qastle', () => {
  test('prints the qastle the client sends, and nothing else on standard output', async () => {
    const result = await run(['qastle', "FromTree('mini').Select(lambda e: e.lep_pt)"]);
    assert.deepEqual(result, {
      code: 0,
      out: "(Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (attr e 'lep_pt')))\n",
      err: '',
    });
  });

  test('reads the query from standard input with -', async () => {
    const result = await run(['qastle', '-'], "FromTree('t').Select(lambda e: e.x)\n");
    assert.equal(result.out, "(Select (call EventDataset 'bogus.root' 't') (lambda (list e) (attr e 'x')))\n");
  });

  test('--tree supplies a FromTree only when the query lacks one', async () => {
    const added = await run(['qastle', '--tree', 'nominal', 'Select(lambda e: e.x)']);
    assert.equal(added.out, "(Select (call EventDataset 'bogus.root' 'nominal') (lambda (list e) (attr e 'x')))\n");
    assert.equal(added.err, '');
    const kept = await run(['qastle', '--tree=nominal', "FromTree('mini').Select(lambda e: e.x)"]);
    assert.match(kept.out, /'bogus\.root' 'mini'/);
  });

  test('without --tree the tree is None, and the trap is reported on standard error', async () => {
    const result = await run(['qastle', 'Select(lambda e: e.x)']);
    assert.equal(result.code, 0);
    assert.match(result.out, /'bogus\.root' 'None'/);
    assert.match(result.err, /^warning: The query does not start with FromTree/);
  });

  test('a query the reference rejects is an error with line and column, exit 1', async () => {
    const result = await run(['qastle', "FromTree('t').Select(lambda e: e.x e.y)"]);
    assert.deepEqual(result, {
      code: 1,
      out: '',
      err: 'error: invalid syntax. Perhaps you forgot a comma? at line 1, column 32\n',
    });
  });

  test('--decode prints func_adl text, and rejects invalid qastle', async () => {
    const decoded = await run(['qastle', '--decode', "(Count (attr e 'jets'))"]);
    assert.deepEqual(decoded, { code: 0, out: 'e.jets.Count()\n', err: '' });
    const invalid = await run(['qastle', '--decode', '-'], '(list\n  1 2');
    assert.equal(invalid.code, 1);
    assert.equal(invalid.err, "error: unexpected end of input: expected whitespace or ')' at line 2, column 6\n");
  });

  test('usage errors exit 2', async () => {
    assert.equal((await run(['qastle'])).code, 2);
    assert.equal((await run(['qastle', '--bogus', 'x'])).code, 2);
    assert.equal((await run(['qastle', '--tree', "it's", 'x'])).code, 2);
    assert.equal((await run(['qastle', 'a', 'b'])).code, 2);
  });
});
