import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { FacilityHttp } from '../../client/src/facility/http';
import { ServiceXClient } from '../../client/src/servicex/client';
import { startSimulator, type Simulator } from './simulator';

/** A private simulator (no hub, no Dask), a client of its ServiceX, and a scratch folder; filled in by `before`. */
export interface ServicexFixture {
  readonly sim: Simulator;
  readonly http: FacilityHttp;
  readonly client: ServiceXClient;
  readonly scratch: string;
}

/**
 * Starts a private simulator for the enclosing file or `describe` (these tests move its clock and change its state),
 * with a ServiceX client holding its refresh token, and stops everything afterwards. Read the fields inside tests.
 */
export function useServicexSimulator(
  scratchPrefix: string,
  onReady?: (fixture: ServicexFixture) => void,
): ServicexFixture {
  const fixture = {} as { sim: Simulator; http: FacilityHttp; client: ServiceXClient; scratch: string };
  before(async () => {
    fixture.sim = await startSimulator({ hub: false, dask: false, own: true });
    const created = await FacilityHttp.create({ timeoutMs: 10_000 });
    assert.ok(created.ok);
    fixture.http = created.value;
    fixture.client = new ServiceXClient(fixture.http, {
      url: fixture.sim.servicex,
      refreshToken: fixture.sim.servicexRefreshToken,
    });
    fixture.scratch = await mkdtemp(join(tmpdir(), scratchPrefix));
    onReady?.(fixture);
  });
  after(async () => {
    await fixture.http?.close();
    await fixture.sim?.stop();
    if (fixture.scratch) await rm(fixture.scratch, { recursive: true, force: true });
  });
  return fixture;
}
