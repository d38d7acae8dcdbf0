import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { withCacheLock, type LockOptions } from './cacheLock';
import { pythonJsonDumps, type OrderedJson } from './pythonJson';
import type { ResultFormat, TransformRequestBody } from './transformRequest';

// The Python client's local cache (servicex-facts.md §1.10): `<cache>/.servicex/db.json`, a TinyDB file
// `{"_default": {"1": {...}, ...}}` of `TransformedResults` records, and one folder of downloads per request.

/** One record of the cache, as far as it can be read. */
export interface CacheRecord {
  /** TinyDB's document id. */
  readonly id: string;
  readonly hash?: string;
  readonly title?: string;
  readonly codegen?: string;
  readonly requestId?: string;
  readonly submitTime?: string;
  readonly dataDir?: string;
  readonly fileList: readonly string[];
  readonly signedUrlList: readonly string[];
  readonly files?: number;
  readonly resultFormat?: string;
  readonly logUrl?: string;
  /** "SUBMITTED" while the client waits for the transform; the client never reuses such a record as a result. */
  readonly status?: string;
}

/** What is in a cache folder. */
export interface CacheContents {
  readonly records: readonly CacheRecord[];
  /** Folders under the cache that no record mentions: usually runs that were cancelled or failed. */
  readonly orphanFolders: readonly string[];
  /** Why parts of db.json were skipped; empty when it read cleanly. */
  readonly problems: readonly string[];
}

const dbFolder = (cache: string) => join(cache, '.servicex');
const dbPath = (cache: string) => join(dbFolder(cache), 'db.json');
const lockPath = (cache: string) => join(dbFolder(cache), 'db.lock');

/** Reads the records and finds the unrecorded folders; a missing cache is an empty one. */
export async function readLocalCache(cacheFolder: string): Promise<CacheContents> {
  const problems: string[] = [];
  const table = await readTable(cacheFolder, problems);
  const records: CacheRecord[] = [];
  for (const [id, doc] of Object.entries(table ?? {})) {
    if (!isObject(doc)) {
      problems.push(`Record ${id} of ${dbPath(cacheFolder)} is not an object; skipped.`);
      continue;
    }
    records.push(toRecord(id, doc));
  }
  const mentioned = new Set<string>();
  for (const r of records) {
    if (r.requestId) mentioned.add(resolve(cacheFolder, r.requestId));
    if (r.dataDir) mentioned.add(resolve(cacheFolder, r.dataDir));
  }
  let entries: string[] = [];
  try {
    entries = (await readdir(cacheFolder, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && e.name !== '.servicex')
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`Cannot list ${cacheFolder}.`);
  }
  const orphanFolders = entries.filter((name) => !mentioned.has(resolve(cacheFolder, name))).sort();
  return { records, orphanFolders, problems };
}

async function readTable(cacheFolder: string, problems: string[]): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(dbPath(cacheFolder), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`Cannot read ${dbPath(cacheFolder)}.`);
    return undefined;
  }
  if (text.trim() === '') return undefined; // TinyDB creates the file empty and treats it as no tables.
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    problems.push(`${dbPath(cacheFolder)} is not valid JSON; the Python client would fail to open it too.`);
    return undefined;
  }
  if (!isObject(data) || (data._default !== undefined && !isObject(data._default))) {
    problems.push(`${dbPath(cacheFolder)} is not a TinyDB file.`);
    return undefined;
  }
  return data._default ?? {};
}

function toRecord(id: string, doc: Record<string, unknown>): CacheRecord {
  const text = (key: string) => (typeof doc[key] === 'string' ? doc[key] : undefined);
  const strings = (key: string) =>
    Array.isArray(doc[key]) ? doc[key].filter((s): s is string => typeof s === 'string') : [];
  return {
    id,
    hash: text('hash'),
    title: text('title'),
    codegen: text('codegen'),
    requestId: text('request_id'),
    submitTime: text('submit_time'),
    dataDir: text('data_dir'),
    fileList: strings('file_list'),
    signedUrlList: strings('signed_url_list'),
    files: typeof doc.files === 'number' ? doc.files : undefined,
    resultFormat: text('result_format'),
    logUrl: text('log_url'),
    status: text('status'),
  };
}

/**
 * The record the Python client would return from its cache for a hash (`get_transform_by_hash`): the only record
 * with that hash that is not SUBMITTED, provided it lists downloaded files (for a LocalCache delivery) or signed
 * URLs (for URLs). Several such records make the client fail, so there is no hit then either.
 */
export function cacheHit(
  records: readonly CacheRecord[],
  hash: string,
  delivery: 'LocalCache' | 'URLs',
): CacheRecord | undefined {
  const found = records.filter((r) => r.hash === hash && r.status !== 'SUBMITTED');
  if (found.length !== 1) return undefined;
  const list = delivery === 'URLs' ? found[0].signedUrlList : found[0].fileList;
  return list.length > 0 ? found[0] : undefined;
}

/** The request id of a transform the client submitted for this hash and still waits for, if any. */
export function submittedRequestId(records: readonly CacheRecord[], hash: string): string | undefined {
  const first = records.find((r) => r.hash === hash);
  return first?.status === 'SUBMITTED' ? first.requestId : undefined;
}

/** What a completed download needs to become a cache hit for the Python client. */
export interface CompletedTransform {
  readonly request: TransformRequestBody;
  readonly hash: string;
  readonly requestId: string;
  /** The server's `submit-time` (ISO 8601). */
  readonly submitTime: string;
  /** The server's total file count. */
  readonly files: number;
  /** Absolute paths of the downloaded files, as the client records them. */
  readonly fileList: readonly string[];
  readonly logUrl?: string;
}

/**
 * Records a completed transform as the client's `cache_transform` would after `update_transform_status(COMPLETE)`:
 * one record for the hash (an existing one, such as the client's SUBMITTED record, is updated, extra ones removed),
 * written to a temporary file and renamed over db.json, under the cache lock.
 */
export async function recordCompletedTransform(
  cacheFolder: string,
  completed: CompletedTransform,
  lock: LockOptions = {},
): Promise<void> {
  await mkdir(dbFolder(cacheFolder), { recursive: true });
  await withCacheLock(
    lockPath(cacheFolder),
    async () => {
      const problems: string[] = [];
      const table = (await readTable(cacheFolder, problems)) ?? {};
      if (problems.length > 0) throw new Error(problems.join(' '));
      const fields = recordFields(cacheFolder, completed);
      const ids = Object.keys(table);
      const same = ids.filter((id) => isObject(table[id]) && table[id].hash === completed.hash);
      const next: Record<string, unknown> = {};
      if (same.length === 0) {
        for (const id of ids) next[id] = table[id];
        // TinyDB numbers documents one past the largest id.
        const nextId = ids.reduce((max, id) => Math.max(max, Number.parseInt(id, 10) || 0), 0) + 1;
        next[String(nextId)] = Object.fromEntries(fields);
      } else {
        for (const id of ids) {
          if (id === same[0]) next[id] = { ...(table[id] as Record<string, unknown>), ...Object.fromEntries(fields) };
          else if (!same.includes(id)) next[id] = table[id];
        }
      }
      await writeAtomically(dbPath(cacheFolder), pythonJsonDumps(toOrdered({ _default: next })));
    },
    lock,
  );
}

function recordFields(cacheFolder: string, c: CompletedTransform): [string, unknown][] {
  const resultFormat: ResultFormat = c.request['result-format'];
  return [
    ['hash', c.hash],
    ['title', c.request.title ?? 'No Title'],
    ['codegen', c.request.codegen],
    ['result_format', resultFormat],
    ['request_id', c.requestId],
    ['status', 'COMPLETE'],
    ['submit_time', c.submitTime],
    ['data_dir', join(cacheFolder, c.requestId).split('\\').join('/')],
    ['file_list', [...c.fileList]],
    ['signed_url_list', []],
    ['files', c.files],
    ['log_url', c.logUrl ?? null],
  ];
}

/** Plain JSON data to the ordered form `pythonJsonDumps` takes, keeping the objects' key order. */
function toOrdered(value: unknown): OrderedJson {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return value;
  if (Array.isArray(value)) return value.map(toOrdered);
  if (isObject(value)) return { entries: Object.keys(value).map((k) => [k, toOrdered(value[k])] as const) };
  return null;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(resolve(path, '..'), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(text);
      // On disk before the rename, so that a crash leaves the old file or the new one, never an empty one.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
