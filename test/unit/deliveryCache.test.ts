// The Python client's local cache (servicex-facts.md §1.10): db.json records, unrecorded folders, a new record that
// the client's own lookup accepts, written atomically under db.lock.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CacheLockedError, withCacheLock } from '../../client/src/delivery/cacheLock';
import {
  cacheHit,
  readLocalCache,
  recordCompletedTransform,
  submittedRequestId,
  type CompletedTransform,
} from '../../client/src/delivery/localCache';
import { requestHash, transformRequestBody } from '../../client/src/delivery/transformRequest';
import { PYTHON, runPython } from '../fixtures/delivery/python';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'coffea-casa-sxcache-')));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshCache = () => {
  const folder = join(root, `cache${count++}`);
  mkdirSync(join(folder, '.servicex'), { recursive: true });
  return folder;
};

/** Writes db.json with Python's json.dumps, as TinyDB's JSONStorage does. */
function writeDb(cache: string, table: Record<string, unknown>): void {
  const text = runPython<string>('print(json.dumps(json.dumps({"_default": data})))', table);
  writeFileSync(join(cache, '.servicex', 'db.json'), text);
}

const COMPLETE = {
  hash: 'a'.repeat(64),
  title: 'ttH',
  codegen: 'uproot',
  result_format: 'root-file',
  request_id: '11111111-aaaa',
  status: 'COMPLETE',
  submit_time: '2026-11-20T10:00:00.123456Z',
  data_dir: '',
  file_list: ['/x/11111111-aaaa/f1.root'],
  signed_url_list: [],
  files: 1,
  log_url: null,
};
const SUBMITTED = {
  hash: 'b'.repeat(64),
  title: 'running',
  codegen: 'uproot-raw',
  result_format: 'parquet',
  request_id: '22222222-bbbb',
  status: 'SUBMITTED',
  submit_time: '2026-11-21T09:00:00.000001+00:00',
};

describe('reading the cache', () => {
  test('completed and in-flight records, and the folders no record mentions', async () => {
    const cache = freshCache();
    writeDb(cache, { '1': { ...COMPLETE, data_dir: join(cache, '11111111-aaaa') }, '3': SUBMITTED });
    for (const folder of ['11111111-aaaa', '22222222-bbbb', '33333333-cccc']) mkdirSync(join(cache, folder));
    const contents = await readLocalCache(cache);
    assert.deepEqual(contents.problems, []);
    assert.deepEqual(contents.orphanFolders, ['33333333-cccc']);
    assert.deepEqual(
      contents.records.map((r) => [r.id, r.requestId, r.status, r.resultFormat, r.fileList.length]),
      [
        ['1', '11111111-aaaa', 'COMPLETE', 'root-file', 1],
        ['3', '22222222-bbbb', 'SUBMITTED', 'parquet', 0],
      ],
    );
    assert.equal(contents.records[1].submitTime, SUBMITTED.submit_time);
  });

  test('a missing cache is empty, a broken db.json is reported and not thrown', async () => {
    assert.deepEqual(await readLocalCache(join(root, 'nowhere')), { records: [], orphanFolders: [], problems: [] });
    const cache = freshCache();
    writeFileSync(join(cache, '.servicex', 'db.json'), '{"_default": {"1": ');
    mkdirSync(join(cache, 'some-run'));
    const contents = await readLocalCache(cache);
    assert.match(contents.problems[0], /is not valid JSON/);
    assert.deepEqual(contents.orphanFolders, ['some-run']);
  });
});

/** A completed transform for a request. */
function completed(cache: string, title = 'ttH'): CompletedTransform {
  const request = transformRequestBody({
    title,
    did: 'rucio://user.jdoe:ttH?files=1',
    selection: "(call EventDataset 'bogus.root' 'mini')",
    codegen: 'uproot',
    resultFormat: 'root-file',
    clientVersion: '3.3.1',
  });
  return {
    request,
    hash: requestHash(request),
    requestId: 'cafe-0001',
    submitTime: '2026-11-25T06:00:00.000000Z',
    files: 1,
    fileList: [join(cache, 'cafe-0001', 'out.root')],
  };
}

/**
 * The Python client's `get_transform_by_hash` on db.json, without TinyDB and pydantic: exactly one record with the
 * hash whose status is not SUBMITTED, with every TransformedResults field of the right type, a submit_time
 * `datetime.fromisoformat` reads, a ResultFormat value, and (for a LocalCache delivery) a non-empty file_list.
 */
function pythonCacheHit(cache: string, hash: string): { hit: boolean; why?: string; title?: string } {
  return runPython(
    `import datetime
db = json.load(open(data['db']))['_default']
found = [r for r in db.values() if r.get('hash') == data['hash'] and r.get('status') != 'SUBMITTED']
def check(r):
    for key, kind in [('hash', str), ('title', str), ('codegen', str), ('request_id', str), ('submit_time', str),
                      ('data_dir', str), ('file_list', list), ('signed_url_list', list), ('files', int),
                      ('result_format', str)]:
        if not isinstance(r.get(key), kind): return 'field ' + key
    datetime.datetime.fromisoformat(r['submit_time'].replace('Z', '+00:00'))
    if r['result_format'] not in ('parquet', 'root-file', 'root-rntuple'): return 'result_format'
    if not r['file_list']: return 'empty file_list'
    if r.get('log_url') is not None and not isinstance(r['log_url'], str): return 'log_url'
    return None
if len(found) != 1: print(json.dumps({'hit': False, 'why': '%d records' % len(found)}))
else:
    why = check(found[0])
    print(json.dumps({'hit': why is None, 'why': why, 'title': found[0]['title']}))`,
    { db: join(cache, '.servicex', 'db.json'), hash },
  );
}

describe('writing a record the Python client takes as a cache hit', () => {
  test('into an empty cache, with TinyDB layout and no temporary or lock file left behind', async () => {
    const cache = freshCache();
    const done = completed(cache);
    await recordCompletedTransform(cache, done);
    assert.deepEqual(pythonCacheHit(cache, done.hash), { hit: true, why: null, title: 'ttH' });
    assert.deepEqual(readdirSync(join(cache, '.servicex')), ['db.json']);
    const text = readFileSync(join(cache, '.servicex', 'db.json'), 'utf8');
    assert.equal(text, runPython<string>('print(json.dumps(json.dumps(json.loads(data))))', text));
    assert.match(text, /^\{"_default": \{"1": \{"hash": /);
  });

  test('our own view of a hit agrees: one non-SUBMITTED record with files; a SUBMITTED one gives its request id', async () => {
    const cache = freshCache();
    const done = completed(cache);
    writeDb(cache, { '1': { ...SUBMITTED, hash: done.hash } });
    let records = (await readLocalCache(cache)).records;
    assert.equal(cacheHit(records, done.hash, 'LocalCache'), undefined);
    assert.equal(submittedRequestId(records, done.hash), SUBMITTED.request_id);
    await recordCompletedTransform(cache, done);
    records = (await readLocalCache(cache)).records;
    assert.equal(cacheHit(records, done.hash, 'LocalCache')?.requestId, 'cafe-0001');
    assert.equal(cacheHit(records, done.hash, 'URLs'), undefined);
    assert.equal(submittedRequestId(records, done.hash), undefined);
  });

  test("updating the client's SUBMITTED record for the same hash, keeping the others, next id after the largest", async () => {
    const cache = freshCache();
    const done = completed(cache);
    writeDb(cache, { '1': COMPLETE, '4': { ...SUBMITTED, hash: done.hash } });
    await recordCompletedTransform(cache, done);
    const contents = await readLocalCache(cache);
    assert.deepEqual(
      contents.records.map((r) => [r.id, r.status, r.requestId]),
      [
        ['1', 'COMPLETE', '11111111-aaaa'],
        ['4', 'COMPLETE', 'cafe-0001'],
      ],
    );
    assert.equal(pythonCacheHit(cache, done.hash).hit, true);
    const other = { ...completed(cache, 'other'), hash: 'c'.repeat(64) };
    await recordCompletedTransform(cache, other);
    assert.deepEqual(
      (await readLocalCache(cache)).records.map((r) => r.id),
      ['1', '4', '5'],
    );
  });

  test('duplicate records for one hash become one, which the client needs to accept it', async () => {
    const cache = freshCache();
    const done = completed(cache);
    writeDb(cache, { '1': { ...COMPLETE, hash: done.hash }, '2': { ...COMPLETE, hash: done.hash } });
    assert.equal(pythonCacheHit(cache, done.hash).hit, false);
    await recordCompletedTransform(cache, done);
    assert.equal(pythonCacheHit(cache, done.hash).hit, true);
  });

  test('a db.json that does not parse is left as it is and the write fails', async () => {
    const cache = freshCache();
    writeFileSync(join(cache, '.servicex', 'db.json'), 'not json');
    await assert.rejects(recordCompletedTransform(cache, completed(cache)), /not valid JSON/);
    assert.equal(readFileSync(join(cache, '.servicex', 'db.json'), 'utf8'), 'not json');
    assert.deepEqual(readdirSync(join(cache, '.servicex')), ['db.json']);
  });
});

describe('the db.lock convention', () => {
  test('a writer waits for a held lock, writes once it is released, and removes its own lock', async () => {
    const cache = freshCache();
    const lock = join(cache, '.servicex', 'db.lock');
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((r) => (entered = r));
    const first = withCacheLock(lock, async () => {
      entered();
      await held;
      // Nothing can have been written while the lock was ours.
      assert.equal(existsSync(join(cache, '.servicex', 'db.json')), false);
    });
    await inside;
    // The holder lets go only once the second writer has found the lock taken.
    const second = recordCompletedTransform(
      cache,
      { ...completed(cache, 'two'), hash: '2'.repeat(64) },
      { onWait: () => release() },
    );
    await first;
    await second;
    assert.equal(existsSync(lock), false);
    assert.deepEqual(
      (await readLocalCache(cache)).records.map((r) => r.title),
      ['two'],
    );
  });

  test('a lock held past the timeout is an error that says what to do', async () => {
    const cache = freshCache();
    const lock = join(cache, '.servicex', 'db.lock');
    await withCacheLock(lock, async () => {
      await assert.rejects(
        recordCompletedTransform(cache, completed(cache), { timeoutMs: 0 }),
        (error: unknown) => error instanceof CacheLockedError && /is busy/.test(error.message),
      );
    });
    assert.equal(existsSync(lock), false);
  });

  test('a lock left by a process that has exited is taken over', async () => {
    const cache = freshCache();
    const child = spawn(PYTHON, ['-c', 'pass']);
    const pid = child.pid;
    await once(child, 'exit');
    writeFileSync(join(cache, '.servicex', 'db.lock'), `coffea-casa-vscode ${pid}@${hostname()} x\n`);
    await recordCompletedTransform(cache, completed(cache), { timeoutMs: 0 });
    assert.equal(existsSync(join(cache, '.servicex', 'db.lock')), false);
  });

  test("the empty lock file filelock's flock leaves behind on POSIX is neither waited for nor removed", async () => {
    const cache = freshCache();
    writeFileSync(join(cache, '.servicex', 'db.lock'), '');
    await recordCompletedTransform(cache, completed(cache), { timeoutMs: 0, platform: 'linux' });
    assert.equal(readFileSync(join(cache, '.servicex', 'db.lock'), 'utf8'), '');
    await assert.rejects(
      recordCompletedTransform(cache, completed(cache), { timeoutMs: 0, platform: 'win32' }),
      CacheLockedError,
    );
  });
});
