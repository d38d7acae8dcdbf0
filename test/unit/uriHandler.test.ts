import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseOpenUri, type ParsedUri } from '../../client/src/connection/openUri';

const facilities = ['coffea.casa', 'coffea-opendata.casa', 'Local Simulator'];
const parse = (query: string, path = '/open') => parseOpenUri(path, query, facilities);
const refusal = (parsed: ParsedUri): string => {
  assert.ok(!parsed.ok, 'the link should be refused');
  return parsed.message;
};

describe('links to the extension', () => {
  test('a facility alone, or with the default or a named server', () => {
    assert.deepEqual(parse('facility=coffea.casa'), { ok: true, request: { facility: 'coffea.casa' } });
    assert.deepEqual(parse('facility=coffea.casa&server='), {
      ok: true,
      request: { facility: 'coffea.casa', server: '' },
    });
    assert.deepEqual(parse('server=gpu-1&facility=Local%20Simulator'), {
      ok: true,
      request: { facility: 'Local Simulator', server: 'gpu-1' },
    });
    assert.deepEqual(parse('facility=Local+Simulator'), { ok: true, request: { facility: 'Local Simulator' } });
  });

  test('only the /open path is understood', () => {
    assert.match(refusal(parse('facility=coffea.casa', '/run')), /only "\/open"/);
    assert.match(refusal(parse('facility=coffea.casa', '/open/../run')), /only "\/open"/);
    assert.match(refusal(parse('facility=coffea.casa', '')), /only "\/open"/);
  });

  test('a missing or empty facility is refused', () => {
    assert.match(refusal(parse('')), /names no facility/);
    assert.match(refusal(parse('server=gpu')), /names no facility/);
    assert.match(refusal(parse('facility=')), /names no facility/);
  });

  test('an unknown facility gets a clear message naming it', () => {
    assert.equal(
      refusal(parse('facility=evil.example')),
      'there is no facility profile named "evil.example". Add it to coffeaCasa.facilities first.',
    );
    assert.match(refusal(parse('facility=COFFEA.CASA')), /no facility profile/, 'names match exactly');
  });

  test('unknown or repeated keys are refused, so that a link cannot carry a command', () => {
    assert.match(refusal(parse('facility=coffea.casa&command=workbench.action.terminal.new')), /unknown parameter/);
    assert.match(refusal(parse('facility=coffea.casa&token=abc')), /unknown parameter "token"/);
    assert.match(refusal(parse('facility=coffea.casa&facility=coffea-opendata.casa')), /more than once/);
    assert.match(refusal(parse('facility=coffea.casa&server=a&server=b')), /more than once/);
    assert.match(refusal(parse('facility=coffea.casa&%3Cscript%3E=1')), /unknown parameter "\?script\?"/);
  });

  test('facility names with path or control characters are refused before any lookup', () => {
    for (const name of ['../coffea.casa', 'coffea.casa/..', '..%2F..%2Fetc', 'a%5Cb', 'coffea.casa%0A', '%00']) {
      assert.match(refusal(parse(`facility=${name}`)), /characters no facility name has/, name);
    }
  });

  test('server names follow the hub’s rule', () => {
    assert.match(refusal(parse('facility=coffea.casa&server=GPU')), /not a server name/);
    assert.match(refusal(parse('facility=coffea.casa&server=a%2Fb')), /not a server name/);
    assert.match(refusal(parse('facility=coffea.casa&server=..')), /not a server name/);
  });

  test('very long values are refused and not echoed in full', () => {
    assert.match(refusal(parse(`facility=${'a'.repeat(5000)}`)), /too long/);
    assert.match(refusal(parse(`facility=${'a'.repeat(101)}`)), /facility name in the link is too long/);
    const message = refusal(parse(`facility=coffea.casa&server=${'x'.repeat(200)}`));
    assert.ok(message.length < 150, message);
  });
});
