import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium } from './browser';
import {
  codeServerDataDir,
  installExtension,
  installFromEnv,
  startCodeServer,
  type CodeServerInstall,
  type RunningCodeServer,
} from './codeServer';

const root = resolve(__dirname, '..', '..', '..');
/** Where end-to-end screenshots go. */
export const SHOTS = join(root, 'test-results', 'e2e');
const VSIX = join(root, 'dist', 'coffea-casa.vsix');

/** One code-server with the packaged extension, driven in Chromium; fields are set once `open` has run. */
export interface Workbench {
  readonly install: CodeServerInstall;
  readonly dataDir: string;
  server: RunningCodeServer;
  browser: Awaited<ReturnType<typeof launchChromium>>;
  page: Page;
  /** Installs the .vsix, starts code-server on the workspace and opens it in Chromium. */
  open(workspace: string, env?: NodeJS.ProcessEnv): Promise<void>;
  /** Stops the browser and code-server, so that every log is flushed; safe to call twice. */
  close(): Promise<void>;
  shot(name: string): Promise<unknown>;
}

/**
 * The end-to-end set-up of one test file: a fresh code-server data folder, and at the end the browser and server
 * stopped and `cleanup` folders removed. Call it inside `describe`.
 */
export function useWorkbench(cleanup: () => readonly (string | undefined)[] = () => []): Workbench {
  const install = installFromEnv();
  const bench = { install } as Workbench & { dataDir: string };
  before(() => {
    assert.ok(install, 'the test runner did not name a provisioned code-server');
    mkdirSync(SHOTS, { recursive: true });
    bench.dataDir = codeServerDataDir();
  });
  bench.open = async (workspace, env) => {
    installExtension(install!, bench.dataDir, VSIX);
    bench.server = await startCodeServer(install!, { dataDir: bench.dataDir, workspace, ...(env ? { env } : {}) });
    bench.browser = await launchChromium();
    bench.page = bench.browser.context.pages()[0] ?? (await bench.browser.context.newPage());
    await bench.page.goto(`${bench.server.url}/?folder=${encodeURIComponent(workspace)}`);
    await bench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  };
  bench.close = async () => {
    await bench.browser?.close();
    await bench.server?.stop();
  };
  bench.shot = (name) => bench.page.screenshot({ path: join(SHOTS, name) });
  after(async () => {
    await bench.close();
    for (const dir of [bench.dataDir, ...cleanup()]) if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return bench;
}
