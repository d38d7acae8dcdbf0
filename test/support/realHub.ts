import * as assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startSimulator, type Simulator } from './simulator';

/** Alice's side of the simulator's real JupyterHub: filled in by the suite's `before` hook. */
export interface RealHub {
  readonly sim: Simulator;
  readonly hubUrl: string;
  readonly user: string;
  readonly token: string;
}

/**
 * Starts (or joins) the simulator for the enclosing `describe`, insists on its real JupyterHub, and stops it after the
 * suite. Call it inside `describe`; read the fields inside tests, once `before` has run.
 */
export function useRealHub(): RealHub {
  const hub = {} as { sim: Simulator; hubUrl: string; user: string; token: string };
  before(async () => {
    hub.sim = await startSimulator();
    const info = hub.sim.hub;
    assert.ok('userToken' in info, `the real hub is needed: ${'unavailable' in info ? info.unavailable : ''}`);
    Object.assign(hub, { hubUrl: info.url, user: info.user, token: info.userToken });
  });
  after(async () => {
    await hub.sim?.stop();
  });
  return hub;
}
