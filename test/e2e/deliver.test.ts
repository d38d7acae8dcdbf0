import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SIMULATOR_PROFILE_NAME, simulatorEditorEnv } from '../../sim/src/facilityProfile';
import { findSecrets, simulatorSecrets } from '../support/secrets';
import { useWorkbench } from '../support/workbench';
import { simulatorFromEnv, updateWorkspaceSettings, writeSimulatorWorkspace } from '../support/workspace';

// ServiceX delivery as a physicist does it, in code-server and Debian's Chromium: the ServiceX token pasted once into
// VS Code, a spec opened, its Deliver lens clicked, the transform followed in the Datasets view to Complete, and the
// result files on disk in the ServiceX cache. Screenshots go to test-results/e2e.

describe('delivering a ServiceX spec in code-server', () => {
  let workspace: string;
  let cache: string;
  let ticking: NodeJS.Timeout | undefined;
  const sim = simulatorFromEnv();
  const bench = useWorkbench(() => [workspace, cache]);

  before(() => {
    // Signed in to the hub as inside a facility (its token in the environment), connected at start-up.
    workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-deliver-')), sim, {
      connectOnStartup: true,
    });
    cache = mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-cache-'));
    // The user's servicex.yaml names the endpoint and the cache; the token is added in VS Code, not written here.
    const config = join(cache, 'servicex.yaml');
    writeFileSync(config, `api_endpoints:\n  - name: sim\n    endpoint: ${sim.info.servicex}\ncache_path: ${cache}\n`);
    updateWorkspaceSettings(workspace, { 'coffeaCasa.servicex.configFile': config });
    writeFileSync(
      join(workspace, 'hzz.yaml'),
      [
        'General:',
        '  OutputFormat: parquet',
        'Sample:',
        '  - Name: e2e-muons',
        '    Dataset: !Rucio sim:hzz',
        '    NFiles: 2',
        '    Query: !FuncADL_Uproot |',
        "      FromTree('events').Select(lambda e: {'px': e.Muon_Px})",
        '',
      ].join('\n'),
    );
  });

  after(() => {
    if (ticking) clearInterval(ticking);
  });

  const shot = (name: string) => bench.shot(name);
  const page = () => bench.page;

  test('the ServiceX token is pasted once, into VS Code', async () => {
    await bench.open(workspace, simulatorEditorEnv(sim.info));
    await page().locator('.statusbar').getByText(`${SIMULATOR_PROFILE_NAME}: connected`).waitFor({ timeout: 90_000 });
    await page().keyboard.press('F1');
    const input = page().locator('.quick-input-widget input');
    await input.fill('>Coffea-Casa: Add ServiceX Token');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: 'Add ServiceX Token' }).first().waitFor();
    await page().keyboard.press('Enter');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: sim.info.servicex }).first().click();
    await page().locator('.quick-input-widget').getByText('ServiceX token for').waitFor();
    await page().keyboard.type(sim.info.servicexRefreshToken);
    await page().keyboard.press('Enter');
    await page().locator('.quick-input-widget').waitFor({ state: 'hidden' });
  });

  test('Deliver on the spec runs the transform to Complete in the Datasets view, with the files on disk', async () => {
    await page().keyboard.press('Control+P');
    const quickOpen = page().locator('.quick-input-widget input');
    await quickOpen.fill('hzz.yaml');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: 'hzz.yaml' }).first().waitFor();
    await page().keyboard.press('Enter');
    const lens = page().locator('.codelens-decoration a', { hasText: 'Deliver e2e-muons' });
    await lens.waitFor({ timeout: 60_000 });
    await shot('20-deliver-lens.png');
    // The simulated ServiceX moves on when its clock does.
    ticking = setInterval(() => {
      void fetch(`${sim.info.control}/servicex/clock`, { method: 'POST', body: '{"advanceSeconds": 2}' }).catch(
        () => undefined,
      );
    }, 250);
    await lens.click();
    await page().locator('.activitybar a[aria-label^="Coffea-Casa"]').first().click();
    const datasets = page().locator('.pane', { has: page().locator('.pane-header', { hasText: 'Datasets' }) });
    await datasets
      .locator('.monaco-list-row', { hasText: 'e2e-muons' })
      .filter({ hasText: 'Complete' })
      .first()
      .waitFor({
        timeout: 90_000,
      });
    await page()
      .getByText(/Delivered: e2e-muons: Complete/)
      .first()
      .waitFor({ timeout: 60_000 });
    clearInterval(ticking);
    ticking = undefined;
    await shot('21-deliver-complete.png');
    const folders = readdirSync(cache).filter(
      (name) => statSync(join(cache, name)).isDirectory() && name !== '.servicex',
    );
    assert.equal(folders.length, 1, `one request folder in the cache: ${folders.join(', ')}`);
    const files = readdirSync(join(cache, folders[0]));
    assert.ok(files.length > 0 && files.every((f) => f.endsWith('.parquet')), files.join(', '));
    assert.ok(!files.some((f) => f.endsWith('.part')), 'no partial file is left');
    assert.ok(existsSync(join(cache, '.servicex', 'db.json')), 'the Python client will find the record');
  });

  test('after the delivery, no credential is in any log, setting or file the editor wrote', async () => {
    await bench.close();
    const leaks = findSecrets([bench.dataDir, workspace, cache], simulatorSecrets(sim.info), ['extensions']);
    assert.deepEqual(leaks, [], 'a credential was written to disk');
  });
});
