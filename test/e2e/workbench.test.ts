import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { SIMULATOR_PROFILE_NAME } from '../../sim/src/facilityProfile';
import { launchChromium } from '../support/browser';
import {
  codeServerDataDir,
  installExtension,
  installFromEnv,
  startCodeServer,
  type RunningCodeServer,
} from '../support/codeServer';
import { simulatorFromEnv, writeSimulatorWorkspace } from '../support/workspace';

// Drives code-server in Debian's Chromium as a user would: the packaged extension installed with
// --install-extension, the activity bar, the welcome button, the quick pick, the trees. Screenshots go to
// test-results/e2e (the README's screenshot is one of them).

const root = resolve(__dirname, '..', '..', '..');
const shots = join(root, 'test-results', 'e2e');
const vsix = join(root, 'dist', 'coffea-casa.vsix');

describe('Coffea-Casa in code-server', () => {
  let server: RunningCodeServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let dataDir: string;
  const install = installFromEnv();
  const sim = simulatorFromEnv();

  before(() => {
    assert.ok(install, 'the test runner did not name a provisioned code-server');
    mkdirSync(shots, { recursive: true });
    dataDir = codeServerDataDir();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, name) });

  test('the packaged .vsix installs with --install-extension', () => {
    const listed = installExtension(install!, dataDir, vsix);
    assert.match(listed, /^coffea-casa\.coffea-casa-vscode@0\.0\.1$/m);
  });

  test('the workbench loads with the connection status item', async () => {
    const workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-ws-')), sim);
    server = await startCodeServer(install!, { dataDir, workspace, env: sim.editorEnv });
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar a[aria-label^="Coffea-Casa"]').waitFor({ timeout: 60_000 });
    await shot('01-workbench.png');
  });

  test('the Coffea-Casa container shows the welcome content with a Connect button', async () => {
    await page.locator('.activitybar a[aria-label^="Coffea-Casa"]').first().click();
    const button = page.getByRole('button', { name: 'Connect to a Facility' }).first();
    await button.waitFor({ timeout: 30_000 });
    await page.getByText('Coffea-Casa', { exact: true }).first().waitFor();
    await page.locator('.statusbar').getByText('Coffea-Casa').waitFor({ timeout: 30_000 });
    await shot('02-welcome.png');
  });

  test('the welcome button connects to the simulator and the views fill', async () => {
    await page.getByRole('button', { name: 'Connect to a Facility' }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(SIMULATOR_PROFILE_NAME);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: SIMULATOR_PROFILE_NAME }).first().waitFor();
    await page.keyboard.press('Enter');
    const sidebar = page.locator('.sidebar');
    await sidebar.getByText('Default server').waitFor({ timeout: 60_000 });
    await sidebar.getByText(/^ServiceX 127\.0\.0\.1:\d+$/).waitFor();
    await sidebar.getByText(/^Triton 127\.0\.0\.1:\d+$/).waitFor();
    await sidebar.getByText('GPU pods').waitFor();
    await sidebar.getByText(/^Dask tcp:\/\/127\.0\.0\.1:\d+$/).waitFor();
    await page.locator('.statusbar').getByText(`${SIMULATOR_PROFILE_NAME}: connected`).waitFor({ timeout: 30_000 });
    await widenSidebar(page, 560);
    await shot('03-connected.png');
  });

  test('a mistake typed into a spec shows in the Problems panel', async () => {
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor();
    await quickOpen.fill('spec.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'spec.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.getByText('Sample:').first().waitFor({ timeout: 30_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Colour: blue');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.getByText(/has no key "Colour"/).waitFor({ timeout: 30_000 });
    await problems.getByText('spec/unknown-key').first().waitFor();
    await shot('04-problems.png');
  });

  test('a workspace that names the facility in connectOnStartup opens already connected', async () => {
    const workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-ws-')), sim, {
      connectOnStartup: true,
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.statusbar').getByText(`${SIMULATOR_PROFILE_NAME}: connected`).waitFor({ timeout: 60_000 });
    await shot('05-connected-on-startup.png');
  });
});

/** Drags the sash between the side bar and the editor so that tree descriptions are readable in screenshots. */
async function widenSidebar(page: Page, x: number): Promise<void> {
  const box = await page.locator('.sidebar').boundingBox();
  if (!box) return;
  const sashX = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(sashX, y);
  await page.mouse.down();
  await page.mouse.move(x, y, { steps: 5 });
  await page.mouse.up();
  await page.mouse.move(x + 300, y);
}
