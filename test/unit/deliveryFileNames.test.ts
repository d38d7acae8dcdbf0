// Local names of downloaded results: the Python client's shortening and sanitising, checked against CPython, and our
// refusal of object names that could leave the download folder.
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cacheFileName, cacheFilePath } from '../../client/src/delivery/fileNames';
import { runPython } from '../fixtures/delivery/python';

/** `MinioAdapter.hash_path` (when shortening) then `_sanitize_filename`, as the client applies them (§1.9). */
function pythonNames(names: readonly string[], shorten: boolean): string[] {
  return runPython<string[]>(
    `from hashlib import sha1
def short(name):
    if len(name) <= 60: return name
    h = sha1(name.encode('utf-8')).hexdigest()
    return '_' + h + name[-(60 - len(h) - 1):]
out = []
for name in data['names']:
    n = short(name) if data['shorten'] else name
    out.append(n.replace('*', '_').replace(';', '_').replace(':', '_'))
print(json.dumps(out))`,
    { names, shorten },
  );
}

const SERVER_NAME = 'root:::eospublic.cern.ch::eos:opendata:atlas:OutreachDatasets:2020-01-22:4lep:MC:mc_345060.root';

describe("the client's naming", () => {
  test('a real ServiceX object name, shortened and not', () => {
    for (const shorten of [true, false]) {
      const mine = cacheFileName(SERVER_NAME, shorten);
      assert.ok(mine.ok);
      assert.deepEqual([mine.name], pythonNames([SERVER_NAME], shorten));
    }
  });

  test('arbitrary names without separators (fast-check): lengths in code points, sha1 of the UTF-8', () => {
    const name = fc
      .string({
        unit: fc.oneof(
          fc.constantFrom('*', ';', ':', 'é', '😀', '.'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        ),
        minLength: 1,
        maxLength: 90,
      })
      .filter((s) => !/[\\/\0]/.test(s) && s !== '.' && s !== '..');
    const names = fc.sample(name, { numRuns: 800, seed: 3 });
    for (const shorten of [true, false]) {
      const expected = pythonNames(names, shorten);
      names.forEach((n, i) => {
        const mine = cacheFileName(n, shorten);
        assert.ok(mine.ok, n);
        assert.equal(mine.name, expected[i], JSON.stringify(n));
      });
    }
  });
});

describe('object names we refuse', () => {
  const refused: Record<string, string> = {
    '../../.bashrc': 'path separator',
    '..': 'names a folder',
    '.': 'names a folder',
    '/etc/passwd': 'absolute path',
    '\\\\server\\share\\x': 'absolute path',
    'a/b.root': 'path separator',
    'a\\b.root': 'path separator',
    'nul\0byte': 'NUL',
    '': 'empty',
  };
  for (const [name, why] of Object.entries(refused)) {
    test(JSON.stringify(name), () => {
      const result = cacheFileName(name, true);
      assert.ok(!result.ok);
      assert.match(result.message, new RegExp(why));
    });
  }

  test('a long name with a separator is refused even though shortening would drop it', () => {
    assert.equal(cacheFileName(`../${'x'.repeat(80)}.root`, true).ok, false);
  });
});

describe('paths in the cache', () => {
  test('<cache>/<request id>/<name>, and a request id that is not a plain folder name is refused', () => {
    const good = cacheFilePath('/c', '3f2a-77', 'a:b.root', false);
    assert.ok(good.ok);
    assert.equal(good.path, '/c/3f2a-77/a_b.root');
    for (const id of ['..', '../x', '', 'a/b']) assert.equal(cacheFilePath('/c', id, 'f', false).ok, false, id);
  });
});
