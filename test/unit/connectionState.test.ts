import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stateOf, type FacilitySnapshot } from '../../client/src/facility/facility';
import { fail, ok } from '../../client/src/facility/result';

const hub = ok({ version: '3.0.0', identity: { kind: 'user' as const, name: 'alice', admin: false, servers: [] } });

describe('connection state from a snapshot', () => {
  test('connected when every configured service answered', () => {
    assert.equal(stateOf({ hub }), 'connected');
    assert.equal(stateOf({ hub, servicex: ok({ appVersion: '1', codegens: {}, capabilities: [] }) }), 'connected');
  });

  test('degraded when any service failed', () => {
    const snapshot: FacilitySnapshot = { hub, triton: fail('unreachable', 'Triton refused the connection') };
    assert.equal(stateOf(snapshot), 'degraded');
    assert.equal(stateOf({ hub: fail('timeout', 'JupyterHub did not answer') }), 'degraded');
  });

  test('expired when the hub refuses the token, whatever else answered', () => {
    assert.equal(stateOf({ hub: fail('unauthorized', 'refused', 403), servicex: fail('unreachable', 'x') }), 'expired');
  });
});
