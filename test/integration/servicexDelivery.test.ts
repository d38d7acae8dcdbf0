// Delivering a spec as the Python client's deliver() does, against the simulated ServiceX: requests built from the
// spec, submitted, polled to the end (the test steps the simulated clock instead of sleeping), downloaded into the
// cache with db.json records; a second delivery is a cache hit; a cancelled delivery cancels on the server.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { readLocalCache } from '../../client/src/delivery/localCache';
import { requestsFromSpec, type SampleRequest } from '../../client/src/delivery/specRequests';
import { deliverSamples } from '../../client/src/servicex/delivery';
import { useServicexSimulator } from '../support/servicexSimulator';

const SPEC = `General:
  OutputFormat: parquet
  Delivery: LocalCache
Sample:
  - Name: hzz
    Dataset: !Rucio sim:hzz
    Query: !FuncADL_Uproot |
      FromTree('events').Select(lambda e: {'px': e.Muon_Px})
  - Name: zmumu
    Dataset: !Rucio sim:zmumu
    NFiles: 1
    Query: !FuncADL_Uproot |
      FromTree('events').Select(lambda e: {'px': e.px1})
`;

const fixture = useServicexSimulator('servicex-deliver-');
const cache = () => fixture.scratch;

/** Steps the simulated clock by a second instead of waiting. */
async function step(): Promise<void> {
  const res = await fetch(`${fixture.sim.control}/servicex/clock`, { method: 'POST', body: '{"advanceSeconds": 1}' });
  assert.equal(res.status, 200);
}

function samples(): SampleRequest[] {
  const built = requestsFromSpec(SPEC, undefined, { codegens: ['uproot'], readFile: () => undefined });
  assert.ok(built.ok, built.ok ? '' : built.problems.map((p) => p.message).join('; '));
  return [...built.samples];
}

const cachedFiles = async (hash: string) =>
  (await readLocalCache(cache())).records.find((r) => r.hash === hash && r.status !== 'SUBMITTED')?.fileList;

async function transformCount(): Promise<number> {
  const listed = await fixture.client.listTransforms(new AbortController().signal);
  assert.ok(listed.ok);
  return listed.value.length;
}

/** Delivers into the test's cache, stepping the clock instead of waiting; `extra` overrides or adds options. */
function deliver(chosen: SampleRequest[], extra: Partial<Parameters<typeof deliverSamples>[3]> = {}) {
  return deliverSamples(fixture.client, fixture.http, chosen, {
    cache: cache(),
    shorten: false,
    download: true,
    signal: new AbortController().signal,
    wait: step,
    cachedFiles,
    ...extra,
  });
}

describe('delivering a spec', () => {
  test('every sample is submitted, followed to Complete and downloaded into the cache; again, it is a cache hit', async () => {
    const updates: string[] = [];
    const first = await deliver(samples(), { onUpdate: (s) => updates.push(s.map((p) => p.status).join(',')) });
    assert.ok(first.ok, first.ok ? '' : first.error.message);
    for (const sample of first.value) {
      assert.equal(sample.status, 'Complete', sample.problem);
      assert.ok(sample.localFiles && sample.localFiles.length > 0 && sample.localFiles.every((f) => existsSync(f)));
    }
    assert.ok(
      updates.some((u) => u.includes('Running')),
      `statuses seen: ${updates.join(' | ')}`,
    );
    const records = (await readLocalCache(cache())).records;
    assert.equal(records.length, 2);

    const before = await transformCount();
    const again = await deliver(samples());
    assert.ok(again.ok);
    assert.deepEqual(
      again.value.map((s) => s.cacheHit),
      [true, true],
    );
    assert.equal(await transformCount(), before, 'a cache hit submits nothing');
  });

  test('cancelling a delivery cancels its transforms on the server', async () => {
    const controller = new AbortController();
    const [hzz] = samples();
    const fresh = { ...hzz, ignoreLocalCache: true };
    const result = await deliver([fresh], {
      signal: controller.signal,
      // The user presses Cancel while the transform is still being looked up.
      wait: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'cancelled');
    assert.match(result.error.message, /1 running transform cancelled/);
    const listed = await fixture.client.listTransforms(new AbortController().signal);
    assert.ok(listed.ok);
    const newest = [...listed.value].sort((a, b) => (b.submitTime ?? '').localeCompare(a.submitTime ?? ''))[0];
    // A cancel is honoured at the next state change; step the clock until the server reports it.
    for (let status = newest.status; status !== 'Canceled';) {
      await step();
      const record = await fixture.client.transform(newest.requestId, new AbortController().signal);
      assert.ok(record.ok);
      status = record.value.status;
      assert.ok(status === 'Canceled' || !['Complete', 'Fatal'].includes(status), `ended ${status}`);
    }
  });
});
