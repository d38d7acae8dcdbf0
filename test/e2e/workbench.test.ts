import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
import { findSecrets, simulatorSecrets } from '../support/secrets';
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
  const workspaces: string[] = [];
  const install = installFromEnv();
  const sim = simulatorFromEnv();
  const hub = 'userToken' in sim.info.hub ? sim.info.hub : undefined;
  // A named server of its own, so the scenario never disturbs alice's default server that other layers use.
  const serverName = `e2e${process.pid}`;

  before(() => {
    assert.ok(install, 'the test runner did not name a provisioned code-server');
    mkdirSync(shots, { recursive: true });
    dataDir = codeServerDataDir();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    // servicex-facts.md §8: DELETE on a named server with {"remove": true} stops it and forgets it.
    if (hub)
      await fetch(`${hub.url}/hub/api/users/${hub.user}/servers/${serverName}`, {
        method: 'DELETE',
        headers: { Authorization: `token ${hub.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ remove: true }),
      });
    for (const dir of [dataDir, ...workspaces]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(shots, name) });

  test('the packaged .vsix installs with --install-extension', () => {
    const listed = installExtension(install!, dataDir, vsix);
    assert.match(listed, /^coffea-casa\.coffea-casa-vscode@0\.0\.1$/m);
  });

  test('the workbench loads with the connection status item', async () => {
    const workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-ws-')), sim);
    workspaces.push(workspace);
    // No JUPYTERHUB_API_TOKEN in this editor's environment: the user types the token, as on a laptop.
    server = await startCodeServer(install!, { dataDir, workspace });
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

  test('the welcome button connects to the simulator with a token typed into the input box', async () => {
    assert.ok(hub, 'the simulator has no JupyterHub');
    await page.getByRole('button', { name: 'Connect to a Facility' }).first().click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(SIMULATOR_PROFILE_NAME);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: SIMULATOR_PROFILE_NAME }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').getByText(`Sign in to ${SIMULATOR_PROFILE_NAME}`).waitFor();
    await page.keyboard.type(hub.userToken);
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

  test('a named server started from the tree becomes ready, and its terminal runs a command', async () => {
    const sessions = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Sessions' }) });
    const facilityRow = sessions.locator('.monaco-list-row', { hasText: SIMULATOR_PROFILE_NAME }).first();
    await facilityRow.hover();
    await facilityRow.locator('.action-label[aria-label="Start a Server…"]').click();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget').getByText('A name for a named server').waitFor();
    await input.fill(serverName);
    await page.keyboard.press('Enter');
    const serverRow = sessions.locator('.monaco-list-row', { hasText: serverName }).first();
    await serverRow.filter({ hasText: 'running' }).waitFor({ timeout: 90_000 });
    await shot('06-named-server.png');

    await serverRow.click({ button: 'right' });
    // The workbench's context menu acts on keyboard selection reliably; a synthetic click on it may only highlight.
    await page.getByRole('menuitem', { name: 'Open Terminal' }).hover();
    await page.keyboard.press('Enter');
    const terminal = page.locator('.terminal-wrapper.active .xterm');
    await terminal.waitFor({ timeout: 30_000 });
    await terminal.click();
    // The shell computes the marker, so it can only appear once the command has run on the server.
    await page.keyboard.type('echo coffea-$((6*7))');
    await page.keyboard.press('Enter');
    await terminal.locator('.xterm-rows', { hasText: 'coffea-42' }).waitFor({ timeout: 30_000 });
    await shot('07-remote-terminal.png');
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
    workspaces.push(workspace);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.statusbar').getByText(`${SIMULATOR_PROFILE_NAME}: connected`).waitFor({ timeout: 60_000 });
    await shot('05-connected-on-startup.png');
  });

  test('after the scenario, no credential is in any log, setting or file the editor wrote', async () => {
    // Stopped first, so that every log is flushed and closed.
    await browser.close();
    await server.stop();
    const leaks = findSecrets([dataDir, ...workspaces], simulatorSecrets(sim.info), ['extensions']);
    assert.deepEqual(leaks, [], 'a credential was written to disk');
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
