// servicex.yaml / .servicex as the Python client finds and reads it (servicex-facts.md §2), in real temp folders.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  chooseEndpoint,
  findServiceXConfig,
  parseServiceXConfig,
  readServiceXConfig,
  resolveCachePath,
} from '../../client/src/delivery/config';
import { PYTHON } from '../fixtures/delivery/python';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'coffea-casa-sxconfig-')));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A fresh folder tree: `files` maps relative paths to contents. */
function tree(files: Record<string, string>): string {
  const base = join(root, `t${count++}`);
  mkdirSync(base, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(base, path, '..'), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return base;
}

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-refresh-token';
const CONFIG = `api_endpoints:
  - endpoint: https://servicex.af.uchicago.edu
    name: servicex-uc-af
    token: ${TOKEN}
  - endpoint: http://localhost:5000
    name: local
`;

describe('where the client looks', () => {
  test('.servicex before servicex.yaml in one folder, the nearest folder first, home last', () => {
    const base = tree({
      'home/servicex.yaml': CONFIG,
      'work/servicex.yaml': CONFIG,
      'work/a/.servicex': CONFIG,
      'work/a/servicex.yaml': CONFIG,
      'work/a/b/c/empty.txt': '',
    });
    const home = join(base, 'home');
    assert.equal(findServiceXConfig(join(base, 'work/a/b/c'), undefined, home), join(base, 'work/a/.servicex'));
    assert.equal(findServiceXConfig(join(base, 'work'), undefined, home), join(base, 'work/servicex.yaml'));
    assert.equal(findServiceXConfig(base, undefined, home), join(home, 'servicex.yaml'));
  });

  test('an explicit path is the only place looked at', () => {
    const base = tree({ 'servicex.yaml': CONFIG, 'other/mine.yaml': CONFIG });
    assert.equal(findServiceXConfig(base, join(base, 'other/mine.yaml'), base), join(base, 'other/mine.yaml'));
    assert.equal(findServiceXConfig(base, join(base, 'other/missing.yaml'), base), undefined);
  });

  test("nothing found: the client's message", () => {
    const base = tree({ 'x/y.txt': '' });
    const result = readServiceXConfig(join(base, 'x'), undefined, { home: join(base, 'x') });
    assert.ok(!result.ok);
    assert.match(result.message, /^Can't find \.servicex or servicex\.yaml config file/);
    const explicit = readServiceXConfig(base, join(base, 'nope.yaml'));
    assert.ok(!explicit.ok);
    assert.match(explicit.message, /^Can't find \.servicex or servicex\.yaml config file in .*nope\.yaml/);
  });
});

describe('what the file holds', () => {
  test('endpoints with and without tokens, default-endpoint, cache-path and shortened names', () => {
    const base = tree({
      '.servicex': `${CONFIG}default-endpoint: local\ncache-path: /data/sx\nshortened_downloaded_filename: yes\n`,
    });
    const result = readServiceXConfig(base, undefined, { home: base });
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      file: join(base, '.servicex'),
      endpoints: [
        { name: 'servicex-uc-af', endpoint: 'https://servicex.af.uchicago.edu', token: TOKEN },
        { name: 'local', endpoint: 'http://localhost:5000', token: '' },
      ],
      defaultEndpoint: 'local',
      cachePath: '/data/sx',
      shortenedDownloadedFilename: true,
    });
  });

  test('the underscore spellings are read too, the kebab-case one wins when both are there', () => {
    const env = { env: { USER: 'jdoe' }, home: '/home/jdoe', tempDir: '/var/tmp' };
    const both = parseServiceXConfig(
      `${CONFIG}default_endpoint: a\ndefault-endpoint: local\ncache_path: /x\ncache-path: /y\n`,
      'f',
      env,
    );
    assert.ok(both.ok);
    assert.equal(both.value.defaultEndpoint, 'local');
    assert.equal(both.value.cachePath, '/y');
    const underscore = parseServiceXConfig(`${CONFIG}default_endpoint: local\ncache_path: ~/cache\n`, 'f', env);
    assert.ok(underscore.ok);
    assert.equal(underscore.value.defaultEndpoint, 'local');
    assert.equal(underscore.value.cachePath, '/home/jdoe/cache');
    assert.equal(underscore.value.shortenedDownloadedFilename, false);
  });

  test('choosing the backend: the named one, the default, the first, or the client message', () => {
    const parsed = parseServiceXConfig(CONFIG, '/home/u/.servicex');
    assert.ok(parsed.ok);
    const chosen = chooseEndpoint(parsed.value);
    assert.ok(chosen.ok);
    assert.equal(chosen.value.name, 'servicex-uc-af');
    const missing = chooseEndpoint(parsed.value, 'nope');
    assert.ok(!missing.ok);
    assert.equal(
      missing.message,
      'Backend nope not defined in /home/u/.servicex file. Valid backend names: servicex-uc-af, local',
    );
  });
});

describe('bad files say what is wrong and never show a token', () => {
  const cases: Record<string, string> = {
    'a YAML syntax error on the token line': `api_endpoints:\n  - endpoint: https://x\n    name: x\n    token: "${TOKEN}\n`,
    'a token that is not a string': `api_endpoints:\n  - endpoint: https://x\n    name: x\n    token: [${TOKEN}]\n`,
    'no api_endpoints': `token: ${TOKEN}\n`,
    'an endpoint without a name': `api_endpoints:\n  - endpoint: https://x\n    token: ${TOKEN}\n`,
    'a top level that is a list': `- ${TOKEN}\n`,
  };
  for (const [what, text] of Object.entries(cases)) {
    test(what, () => {
      const result = parseServiceXConfig(text, '/home/u/servicex.yaml');
      assert.ok(!result.ok);
      assert.match(result.message, /^\/home\/u\/servicex\.yaml is not a valid ServiceX configuration: /);
      assert.ok(!result.message.includes('secret'), result.message);
    });
  }

  test('an empty file is treated like a missing one, as the client does', () => {
    const result = parseServiceXConfig('# nothing\n', '/home/u/.servicex');
    assert.ok(!result.ok);
    assert.match(result.message, /^Can't find \.servicex or servicex\.yaml config file in \/home\/u\/\.servicex/);
  });
});

describe('cache_path as the client resolves it', () => {
  const environment = { env: { LOGNAME: 'alice', USER: 'bob' }, home: '/home/alice', tempDir: '/scratch/tmp' };
  const cases: [string | undefined, string][] = [
    [undefined, '/scratch/tmp/servicex_alice'],
    ['', '/scratch/tmp/servicex_alice'],
    ['/tmp/servicex_${USER}', '/scratch/tmp/servicex_alice'],
    ['/tmp', '/scratch/tmp'],
    ['~/sx/${USER}/', '/home/alice/sx/alice'],
    ['/data//cache/./x', '/data/cache/x'],
    ['/tmpfiles/x', '/tmpfiles/x'],
    ['cache/tmp/x', '/scratch/tmp/x'],
    ['relative/cache', 'relative/cache'],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(resolveCachePath(input, environment), expected));
  }

  test("the same paths through the client's own calls (expanduser, getuser, PurePath, gettempdir) in Python", () => {
    const temp = mkdtempSync(join(root, 'tmp-'));
    const inputs = cases.map(([input]) => input ?? '');
    const run = spawnSync(
      PYTHON,
      [
        '-c',
        `import json, os, sys, getpass, tempfile
from pathlib import Path, PurePath
out = []
for raw in json.loads(sys.stdin.read()):
    p = os.path.expanduser(raw or '/tmp/servicex_\${USER}').replace('\${USER}', getpass.getuser())
    parts = PurePath(p).parts
    out.append((Path(tempfile.gettempdir()) / Path(*parts[2:]) if len(parts) > 1 and parts[1] == 'tmp' else Path(p)).as_posix())
print(json.dumps(out))`,
      ],
      {
        input: JSON.stringify(inputs),
        encoding: 'utf8',
        env: { HOME: '/home/alice', LOGNAME: 'alice', USER: 'bob', TMPDIR: temp },
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const env = { env: { LOGNAME: 'alice' }, home: '/home/alice', tempDir: temp };
    assert.deepEqual(
      inputs.map((input) => resolveCachePath(input, env)),
      JSON.parse(run.stdout),
    );
  });

  test('${USER} follows getpass: LOGNAME, USER, LNAME, USERNAME in that order', () => {
    assert.equal(resolveCachePath('/c/${USER}', { env: { USERNAME: 'win', LNAME: 'l' } }), '/c/l');
    assert.equal(resolveCachePath('/c/${USER}', { env: { USERNAME: 'win' } }), '/c/win');
  });
});
