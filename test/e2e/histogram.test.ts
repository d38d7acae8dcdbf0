import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { pngSize } from '../../client/src/hist/images';
import { testdataDir } from '../support/testdata';
import { useWorkbench } from '../support/workbench';
import { simulatorFromEnv, updateWorkspaceSettings, writeSimulatorWorkspace } from '../support/workspace';

// The histogram viewer as a physicist uses it, in code-server and Debian's Chromium: open a ROOT file from the
// explorer, draw a branch, log scale, a second sample stacked with a ratio panel, a switch to a dark theme that the
// plot follows, and a PNG export checked on disk. Screenshots go to test-results/e2e.

const testdata = join(testdataDir(), 'root');

describe('the histogram viewer in code-server', () => {
  let workspace: string;
  const sim = simulatorFromEnv();
  const bench = useWorkbench(() => [workspace]);

  before(() => {
    workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-hist-')), sim);
    // The real files of scikit-hep-testdata, copied into this throw-away workspace with their licence.
    for (const name of ['uproot-HZZ.root', 'uproot-HZZ-zstd.root', 'LICENSE.scikit-hep-testdata'])
      copyFileSync(join(testdata, name), join(workspace, name));
    updateWorkspaceSettings(workspace, { 'workbench.colorTheme': 'Default Light Modern' });
  });

  const shot = (name: string) => bench.shot(name);
  const page = () => bench.page;
  /** The panel's page: VS Code nests a webview's content two frames down. */
  const panel = (): FrameLocator => page().frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const plotSvg = async () => (await panel().locator('#plot svg').innerHTML()).length;

  /** Answers code-server's save dialog (a quick input) with a path, once it shows its proposed file name. */
  const answerFileDialog = async (path: string, proposed: RegExp) => {
    const input = page().locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    for (let i = 0; i < 100 && !proposed.test(await input.inputValue()); i++) await page().waitForTimeout(100);
    await input.fill(path);
    await page().keyboard.press('Enter');
  };

  test('a ROOT file opens in the viewer and a branch draws', async () => {
    await bench.open(workspace);
    await page().keyboard.press('Control+P');
    const quickOpen = page().locator('.quick-input-widget input');
    await quickOpen.waitFor();
    await quickOpen.fill('uproot-HZZ.root');
    await page().locator('.quick-input-list .monaco-list-row', { hasText: 'uproot-HZZ.root' }).first().waitFor();
    await page().keyboard.press('Enter');
    await panel().locator('#listing button', { hasText: 'Muon_Px' }).waitFor({ timeout: 60_000 });
    await panel().locator('#listing button', { hasText: 'Muon_Px' }).click();
    await panel().locator('#plot svg path').first().waitFor({ timeout: 60_000 });
    await shot('10-histogram-branch.png');
  });

  test('log scale changes the drawing', async () => {
    const before = await panel().locator('#plot svg').innerHTML();
    await panel().locator('vscode-checkbox', { hasText: 'Log y' }).click();
    await page().waitForFunction(() => true);
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      after = await panel().locator('#plot svg').innerHTML();
      if (after === before) await page().waitForTimeout(100);
    }
    assert.notEqual(after, before, 'the plot did not change');
    await shot('11-histogram-log.png');
  });

  test('a second sample is stacked with a ratio panel', async () => {
    await panel().locator('vscode-button', { hasText: 'Add Sample…' }).click();
    // code-server's open dialog is a quick input listing the folder: clicking a file picks it.
    const row = page().locator('.quick-input-list .monaco-list-row', { hasText: 'uproot-HZZ-zstd.root' }).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await panel().locator('#plot svg text', { hasText: 'uproot-HZZ-zstd.root' }).first().waitFor({ timeout: 60_000 });
    const samples = panel().locator('vscode-dropdown[aria-label="Samples"]');
    await samples.click();
    await panel().locator('vscode-option', { hasText: 'Stack' }).click();
    const ratio = panel().locator('vscode-dropdown[aria-label="Ratio to"]');
    await ratio.click();
    await panel().locator('vscode-option', { hasText: 'uproot-HZZ.root' }).click();
    await panel().locator('#plot svg text', { hasText: 'Ratio to uproot-HZZ.root' }).waitFor({ timeout: 30_000 });
    await shot('12-histogram-stack-ratio.png');
  });

  test('switching to a dark theme recolours the plot', async () => {
    const background = async () => panel().locator('#plot svg > rect').first().getAttribute('fill');
    const light = await background();
    // The user's settings change the theme in place, as the theme picker does.
    updateWorkspaceSettings(workspace, { 'workbench.colorTheme': 'Default Dark Modern' });
    let dark = light;
    for (let i = 0; i < 100 && dark === light; i++) {
      dark = await background();
      if (dark === light) await page().waitForTimeout(100);
    }
    assert.notEqual(dark, light, `the plot kept its background ${light}`);
    await shot('13-histogram-dark.png');
    assert.ok((await plotSvg()) > 0);
  });

  test('Export PNG writes a valid PNG of the plot size', async () => {
    const box = await panel()
      .locator('#plot svg')
      .evaluate((svg: { getAttribute(name: string): string | null }) => [
        svg.getAttribute('width'),
        svg.getAttribute('height'),
      ]);
    await panel().locator('vscode-button', { hasText: 'Export PNG' }).click();
    const target = join(workspace, 'exported-plot.png');
    await answerFileDialog(target, /\.png$/);
    await panel().locator('#status', { hasText: 'Exported' }).waitFor({ timeout: 30_000 });
    assert.ok(existsSync(target));
    const size = pngSize(readFileSync(target));
    assert.deepEqual(size, { width: Number(box[0]), height: Number(box[1]) });
    assert.ok(!readdirSync(workspace).some((f) => f.endsWith('.part')), 'no partial file is left');
    await shot('14-histogram-exported.png');
  });

  test('another column chosen as "Versus (2-D)" draws a heat map of the two', async () => {
    const versus = panel().locator('vscode-dropdown[aria-label="Versus (2-D)"]');
    await versus.click();
    await panel().getByRole('option', { name: 'Muon_Py', exact: true }).click();
    await panel().locator('#plot svg text', { hasText: 'Muon_Py' }).first().waitFor({ timeout: 60_000 });
    await shot('15-histogram-2d.png');
  });
});
