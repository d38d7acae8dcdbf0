// The simulated ServiceX's transform state machine, stepped with its own clock (no waiting).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDid } from '../../sim/src/servicexCatalogue';
import { serverTime, SimClock, TransformStore, type Submission } from '../../sim/src/servicexTransforms';

function store(): TransformStore {
  const clock = new SimClock();
  clock.lookupSeconds = 1;
  clock.fileSeconds = 1;
  return new TransformStore(clock);
}

function submission(did: string): Submission {
  return {
    did,
    selection: '(call EventDataset)',
    codegen: 'uproot',
    image: 'img',
    resultFormat: 'parquet',
    resultDestination: 'object-store',
  };
}

function submit(transforms: TransformStore, did: string) {
  const answer = transforms.submit(submission(did));
  assert.ok('id' in answer);
  const transform = transforms.get(answer.id);
  assert.ok(transform);
  return transform;
}

/** The statuses at each whole second from submission until done. */
function timeline(transforms: TransformStore, did: string): string[] {
  const transform = submit(transforms, did);
  const seen: string[] = [];
  for (let i = 0; i < 20 && !transforms.isDone(transform); i++) {
    const s = transforms.state(transform);
    seen.push(`${s.status} ${s.completed}/${s.files}`);
    transforms.clock.advance(1);
  }
  const s = transforms.state(transform);
  seen.push(`${s.status} ${s.completed}/${s.files} failed ${s.failed}`);
  return seen;
}

describe('the simulated transform state machine', () => {
  test('Submitted, Lookup, Running file by file, Complete', () => {
    assert.deepEqual(timeline(store(), 'rucio://sim:zmumu'), [
      'Submitted 0/0',
      'Lookup 0/0',
      'Running 0/2',
      'Running 1/2',
      'Complete 2/2 failed 0',
    ]);
  });

  test('a cached dataset skips Lookup', () => {
    const transforms = store();
    timeline(transforms, 'rucio://sim:zmumu');
    assert.deepEqual(timeline(transforms, 'rucio://sim:zmumu').slice(0, 2), ['Submitted 0/0', 'Running 0/2']);
  });

  test('all files failing is Fatal; an unknown dataset is Bad Dataset, or Fatal on the old server', () => {
    assert.equal(timeline(store(), 'rucio://sim:broken').at(-1), 'Fatal 0/2 failed 2');
    assert.equal(timeline(store(), 'rucio://sim:missing').at(-1), 'Bad Dataset 0/0 failed 0');
    const old = store();
    old.generation = 'old';
    assert.equal(timeline(old, 'rucio://sim:missing').at(-1), 'Fatal 0/0 failed 0');
  });

  test('a cancel freezes progress and cannot be repeated', () => {
    const transforms = store();
    const transform = submit(transforms, 'rucio://sim:hzz');
    transforms.clock.advance(3.5);
    assert.equal(transforms.cancel(transform), true);
    transforms.clock.advance(100);
    const s = transforms.state(transform);
    assert.deepEqual([s.status, s.completed, s.files], ['Canceled', 1, 4]);
    assert.equal(transforms.cancel(transform), false);
  });

  test('DIDs: default scheme, files limit, unsupported scheme', () => {
    assert.deepEqual(parseDid('sim:hzz?files=2'), { scheme: 'rucio', dataset: 'sim:hzz', limit: 2 });
    assert.equal(parseDid('gopher://x'), 'DID scheme is not supported: gopher');
    assert.equal(timeline(store(), 'rucio://sim:hzz?files=1').at(-1), 'Complete 1/1 failed 0');
  });

  test('server times carry microseconds and a literal Z', () => {
    assert.equal(serverTime(Date.UTC(2026, 10, 25, 6, 32, 30, 513)), '2026-11-25T06:32:30.513000Z');
  });
});
