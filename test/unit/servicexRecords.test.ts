// Reading ServiceX's JSON (servicex-facts.md §1.6–1.8) and the access-token renewal rule (§1.2).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError } from '../../client/src/facility/shape';
import { jwtExpiry, needsRenewal } from '../../client/src/servicex/accessToken';
import {
  isDone,
  parseFinishTime,
  readDatasetList,
  readFileUrls,
  readResults,
  readTransform,
} from '../../client/src/servicex/records';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

describe('access token renewal', () => {
  test('the expiry is read from the token without verifying it', () => {
    assert.equal(jwtExpiry(jwt({ exp: 1_800_000_000, type: 'access' })), 1_800_000_000);
    assert.equal(jwtExpiry(jwt({ type: 'refresh' })), undefined, 'refresh tokens have no exp');
    assert.equal(jwtExpiry('not a token'), undefined);
    assert.equal(jwtExpiry('a.%%%.c'), undefined);
  });

  test('renewal starts when fewer than 60 seconds remain', () => {
    assert.equal(needsRenewal(1000, 939), false);
    assert.equal(needsRenewal(1000, 940), false);
    assert.equal(needsRenewal(1000, 941), true);
    assert.equal(needsRenewal(1000, 2000), true);
  });
});

const RECORD = {
  request_id: 'b6c2…',
  did: 'rucio://sim:hzz',
  did_id: 3,
  title: 'HZZ',
  selection: '(call EventDataset)',
  'tree-name': null,
  image: 'img',
  workers: null,
  'result-destination': 'object-store',
  'result-format': 'parquet',
  'generated-code-cm': 'cm',
  status: 'Running',
  'failure-info': null,
  'app-version': '1.5.6',
  'code-gen-image': 'sslhep/servicex_code_gen_func_adl_uproot:v1.5.6',
  files: 4,
  'files-completed': 1,
  'files-failed': 0,
  'files-remaining': 3,
  'submit-time': '2026-11-25T06:32:30.513000Z',
  'finish-time': 'None',
};

describe('transform records', () => {
  test('kebab-case and snake_case fields are read, and "None" means no finish time', () => {
    const record = readTransform(RECORD);
    assert.ok(!(record instanceof ShapeError));
    assert.deepEqual(
      [record.requestId, record.didId, record.status, record.filesCompleted, record.filesRemaining, record.finishTime],
      ['b6c2…', 3, 'Running', 1, 3, undefined],
    );
    assert.equal(record.failureInfo, undefined);
    const done = readTransform({ ...RECORD, status: 'Complete', 'finish-time': '2026-11-25T06:32:31.713000Z' });
    assert.ok(!(done instanceof ShapeError));
    assert.equal(done.finishTime, '2026-11-25T06:32:31.713000Z');
  });

  test('the status endpoint uses null, the record the string "None"', () => {
    assert.equal(parseFinishTime(null), undefined);
    assert.equal(parseFinishTime('None'), undefined);
    assert.equal(parseFinishTime('2026-01-01T00:00:00.000000Z'), '2026-01-01T00:00:00.000000Z');
  });

  test('a record without an id or status is a shape error naming the field', () => {
    const noId = readTransform({ ...RECORD, request_id: undefined });
    assert.ok(noId instanceof ShapeError && /request_id/.test(noId.message));
    const noStatus = readTransform({ ...RECORD, status: 7 });
    assert.ok(noStatus instanceof ShapeError && /status/.test(noStatus.message));
  });

  test('the four done statuses are the Python client DONE_STATUS', () => {
    assert.deepEqual(
      ['Submitted', 'Pending Lookup', 'Lookup', 'Running', 'Complete', 'Fatal', 'Canceled', 'Bad Dataset'].filter(
        isDone,
      ),
      ['Complete', 'Fatal', 'Canceled', 'Bad Dataset'],
    );
  });
});

describe('results, file URLs and datasets', () => {
  test('result rows need an object name and a size', () => {
    const rows = readResults({
      results: [{ 's3-object-name': 'a.parquet', 'total-bytes': 10, transform_status: 'success', created_at: 'x' }],
    });
    assert.deepEqual(rows, [
      { objectName: 'a.parquet', totalBytes: 10, status: 'success', createdAt: 'x', filePath: undefined },
    ]);
    const bad = readResults({ results: [{ 's3-object-name': 'a.parquet' }] });
    assert.ok(bad instanceof ShapeError && /total-bytes/.test(bad.message));
    assert.ok(readResults({}) instanceof ShapeError);
  });

  test('file URLs are the first element of each triple', () => {
    const urls = readFileUrls({ uris: { 'a.root': ['http://store/a', {}, 1] } });
    assert.ok(urls instanceof Map);
    assert.equal(urls.get('a.root'), 'http://store/a');
    assert.ok(readFileUrls({ uris: { 'a.root': [] } }) instanceof ShapeError);
  });

  test('datasets keep their snake_case fields', () => {
    const list = readDatasetList({
      datasets: [
        {
          id: 2,
          name: 'rucio://sim:hzz',
          did_finder: 'rucio',
          n_files: 4,
          size: 9,
          events: 8,
          last_used: 'u',
          last_updated: 'v',
          lookup_status: 'complete',
          is_stale: true,
        },
      ],
    });
    assert.ok(Array.isArray(list));
    assert.deepEqual(list[0], {
      id: 2,
      name: 'rucio://sim:hzz',
      didFinder: 'rucio',
      files: 4,
      size: 9,
      events: 8,
      lastUsed: 'u',
      lastUpdated: 'v',
      lookupStatus: 'complete',
      stale: true,
    });
  });
});
