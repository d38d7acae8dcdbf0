import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Facility, stateOf } from '../../client/src/facility/facility';
import type { FacilityProfile } from '../../client/src/facility/profile';
import { SIMULATOR_PROFILE_NAME, simulatorProfile } from '../../sim/src/facilityProfile';
import { startSimulator, type Simulator } from '../support/simulator';

// The facility layer against the simulator and the real JupyterHub and Dask it starts: what a user's connect does.
describe('connecting to a facility', () => {
  let sim: Simulator;
  let profile: FacilityProfile;
  let userToken: string;
  const signal = new AbortController().signal;
  const opened: Facility[] = [];

  const open = async (overrides: Partial<FacilityProfile> = {}, token = userToken, timeoutMs = 20_000) => {
    const facility = await Facility.open({ ...profile, ...overrides }, token, timeoutMs);
    assert.ok(facility.ok);
    opened.push(facility.value);
    return facility.value;
  };

  before(async () => {
    sim = await startSimulator();
    assert.ok(
      'userToken' in sim.hub,
      `the real hub is needed here: ${'unavailable' in sim.hub ? sim.hub.unavailable : ''}`,
    );
    assert.ok(
      'dashboard' in sim.dask,
      `the real Dask is needed here: ${'unavailable' in sim.dask ? sim.dask.unavailable : ''}`,
    );
    userToken = sim.hub.userToken;
    profile = simulatorProfile(sim) as unknown as FacilityProfile;
  });

  afterEach(async () => {
    await sim.clearFaults();
    await Promise.all(opened.splice(0).map((f) => f.dispose()));
  });

  after(async () => {
    await sim?.stop();
  });

  test('every service answers and the state is connected', async () => {
    const snapshot = await (await open()).probe(signal);
    assert.equal(profile.name, SIMULATOR_PROFILE_NAME);
    assert.equal(stateOf(snapshot), 'connected');
    assert.ok(
      snapshot.hub.ok && snapshot.servicex?.ok && snapshot.triton?.ok && snapshot.dask?.ok && snapshot.pods?.ok,
    );
    assert.equal(snapshot.hub.value.version, '3.0.0', 'Debian bookworm ships JupyterHub 3.0.0');
    assert.equal(snapshot.hub.value.identity.name, 'alice');
    const defaultServer = snapshot.hub.value.identity.servers.find((s) => s.name === '');
    assert.ok(defaultServer?.ready, 'the simulator starts alice’s default server');
    assert.equal(defaultServer.url, '/user/alice/');
    assert.ok('uproot-raw' in snapshot.servicex.value.codegens);
    assert.ok(snapshot.servicex.value.capabilities.includes('poll_local_transformation_results'));
    assert.equal(snapshot.triton.value.ready, true);
    assert.ok(snapshot.triton.value.extensions.includes('model_repository'));
    assert.deepEqual([snapshot.dask.value.workers, snapshot.dask.value.threads], [1, 2]);
    assert.equal(snapshot.dask.value.memoryLimitBytes, 2 * 1024 ** 3);
    assert.match(snapshot.dask.value.schedulerAddress, /^tcp:\/\/127\.0\.0\.1:\d+$/);
    const gpuPods = snapshot.pods.value.filter((p) => p.gpus > 0);
    assert.ok(gpuPods.length >= 1 && gpuPods.every((p) => p.namespace === 'alice'));
  });

  test('a token the hub does not know means the sign-in expired', async () => {
    const snapshot = await (await open({}, 'not-a-real-token')).probe(signal);
    assert.equal(stateOf(snapshot), 'expired');
    assert.ok(!snapshot.hub.ok);
    assert.equal(snapshot.hub.error.kind, 'unauthorized');
    assert.ok(!snapshot.hub.error.message.includes('not-a-real-token'), 'the token must not appear in messages');
  });

  test('a ServiceX error makes the facility degraded with the server message, the rest still answers', async () => {
    await sim.fault({
      service: 'servicex',
      route: 'GET /servicex',
      status: 503,
      body: { message: 'Database is being migrated' },
    });
    const snapshot = await (await open()).probe(signal);
    assert.equal(stateOf(snapshot), 'degraded');
    assert.ok(snapshot.servicex && !snapshot.servicex.ok);
    assert.match(
      snapshot.servicex.error.message,
      /^ServiceX at 127\.0\.0\.1:\d+ answered 503: Database is being migrated$/,
    );
    assert.ok(snapshot.triton?.ok && snapshot.hub.ok);
  });

  test('a dropped Triton connection reads as unreachable', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2', drop: true });
    const snapshot = await (await open()).probe(signal);
    assert.ok(snapshot.triton && !snapshot.triton.ok);
    assert.equal(snapshot.triton.error.kind, 'unreachable');
  });

  test('a truncated ServiceX answer is never taken as data', async () => {
    await sim.fault({ service: 'servicex', route: 'GET /servicex', truncate: true });
    const snapshot = await (await open()).probe(signal);
    assert.ok(snapshot.servicex && !snapshot.servicex.ok);
    assert.ok(['unreachable', 'badResponse'].includes(snapshot.servicex.error.kind), snapshot.servicex.error.message);
  });

  test('ServiceX answering 200 with a broken body is a bad response', async () => {
    await sim.fault({
      service: 'servicex',
      route: 'GET /servicex',
      status: 200,
      body: ['not', 'an', 'info', 'object'],
    });
    const snapshot = await (await open()).probe(signal);
    assert.ok(snapshot.servicex && !snapshot.servicex.ok);
    assert.equal(snapshot.servicex.error.kind, 'badResponse');
  });

  test('a slow service times out without holding the others back', async () => {
    await sim.fault({ service: 'triton', route: 'GET /v2', latencyMs: 5_000 });
    const snapshot = await (await open({}, userToken, 1_000)).probe(signal);
    assert.ok(snapshot.triton && !snapshot.triton.ok);
    assert.equal(snapshot.triton.error.kind, 'timeout');
    assert.ok(snapshot.servicex?.ok);
  });

  test('a Kubernetes API that refuses the kubeconfig token is reported as unauthorized', async () => {
    await sim.fault({ service: 'kubernetes', route: 'GET /api/v1/namespaces/{ns}/pods', status: 401 });
    const snapshot = await (await open()).probe(signal);
    assert.ok(snapshot.pods && !snapshot.pods.ok);
    assert.equal(snapshot.pods.error.kind, 'unauthorized');
    assert.match(snapshot.pods.error.message, /refused to list pods in "alice" \(401\)/);
  });

  test('disconnecting mid-probe cancels cleanly', async () => {
    await sim.fault({ service: 'servicex', route: 'GET /servicex', latencyMs: 3_000 });
    const facility = await open();
    const controller = new AbortController();
    const pending = facility.probe(controller.signal);
    controller.abort();
    const snapshot = await pending;
    assert.ok(snapshot.servicex && !snapshot.servicex.ok);
    assert.equal(snapshot.servicex.error.kind, 'cancelled');
  });

  test('a profile without optional services asks only the hub', async () => {
    const snapshot = await (
      await open({
        servicexUrl: undefined,
        tritonHttpUrl: undefined,
        daskDashboardUrl: undefined,
        kubeconfig: undefined,
        kubeNamespace: undefined,
      })
    ).probe(signal);
    assert.deepEqual(
      [snapshot.servicex, snapshot.triton, snapshot.dask, snapshot.pods],
      [undefined, undefined, undefined, undefined],
    );
    assert.equal(stateOf(snapshot), 'connected');
  });
});
