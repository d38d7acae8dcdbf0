import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkProfileUrls, PRESET_PROFILES, resolveProfiles } from '../../client/src/facility/profile';

describe('facility profiles', () => {
  test('the three Coffea-Casa facilities are built in', () => {
    const { profiles, problems } = resolveProfiles([]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['coffea.casa', 'coffea-opendata.casa', 'coffea.af.uchicago.edu'],
    );
    assert.deepEqual(problems, []);
    for (const preset of PRESET_PROFILES) assert.match(preset.hubUrl, /^https:\/\//);
  });

  test('a user profile with a preset name replaces the preset, others are added', () => {
    const { profiles } = resolveProfiles([
      { name: 'coffea.casa', hubUrl: 'https://coffea.casa', servicexUrl: 'https://servicex.coffea.casa' },
      { name: 'My AF', hubUrl: 'https://hub.example.org', tlsVerify: false },
    ]);
    assert.equal(profiles.length, 4);
    assert.deepEqual(profiles[0], {
      name: 'coffea.casa',
      hubUrl: 'https://coffea.casa',
      servicexUrl: 'https://servicex.coffea.casa',
    });
    assert.deepEqual(profiles[3], { name: 'My AF', hubUrl: 'https://hub.example.org', tlsVerify: false });
  });

  test('entries that cannot be used are reported and left out', () => {
    const { profiles, problems } = resolveProfiles([
      'coffea.casa',
      { hubUrl: 'https://x.org' },
      { name: 'no hub' },
      { name: 'bad types', hubUrl: 'https://x.org', tlsVerify: 'no', caFile: 3 },
    ]);
    assert.equal(profiles.length, 3, 'only the presets remain');
    assert.deepEqual(
      problems.map((p) => [p.profile, p.field]),
      [
        ['coffeaCasa.facilities[0]', ''],
        ['coffeaCasa.facilities[1]', 'name'],
        ['no hub', 'hubUrl'],
        ['bad types', 'caFile'],
        ['bad types', 'tlsVerify'],
      ],
    );
  });

  test('plain http is refused for remote hosts unless the profile opts in', () => {
    const remote = { name: 'af', hubUrl: 'http://hub.example.org', servicexUrl: 'https://sx.example.org' };
    const [problem, ...rest] = checkProfileUrls(remote);
    assert.deepEqual(rest, []);
    assert.equal(problem.field, 'hubUrl');
    assert.match(problem.message, /unencrypted.*"allowHttp": true/);
    assert.deepEqual(checkProfileUrls({ ...remote, allowHttp: true }), []);
  });

  test('loopback may use plain http', () => {
    for (const hubUrl of ['http://127.0.0.1:8000', 'http://localhost:8000', 'http://[::1]:8000']) {
      assert.deepEqual(checkProfileUrls({ name: 'local', hubUrl }), [], hubUrl);
    }
  });

  test('URLs that do not parse or use another scheme are reported', () => {
    const problems = checkProfileUrls({ name: 'x', hubUrl: 'coffea.casa', tritonHttpUrl: 'grpc://triton:8001' });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['hubUrl', 'tritonHttpUrl'],
    );
  });
});
