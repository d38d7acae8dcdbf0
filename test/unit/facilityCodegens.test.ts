import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { facilityCodegens } from '../../client/src/language/facilityCodegens';

const info = (codegens: string[], capabilities: string[] = []) => ({
  appVersion: '1.5.6',
  codegens: Object.fromEntries(codegens.map((c) => [c, `image/${c}`])),
  capabilities,
});

describe('codegens sent to the language server', () => {
  test('none connected: null, so the server uses the client’s known codegens', () => {
    assert.deepEqual(facilityCodegens([]), { codegens: null, maxTitleLength: null });
  });

  test('one endpoint: its codegens, and its long-title capability', () => {
    assert.deepEqual(facilityCodegens([info(['uproot', 'uproot-raw'], ['long_sample_titles_10240'])]), {
      codegens: ['uproot', 'uproot-raw'],
      maxTitleLength: 10240,
    });
  });

  test('without the capability titles are limited to 128 characters', () => {
    assert.equal(facilityCodegens([info(['python'])]).maxTitleLength, 128);
  });

  test('several endpoints: the union of codegens and the tightest title limit', () => {
    assert.deepEqual(facilityCodegens([info(['uproot'], ['long_sample_titles_10240']), info(['atlasr22', 'uproot'])]), {
      codegens: ['atlasr22', 'uproot'],
      maxTitleLength: 128,
    });
  });
});
