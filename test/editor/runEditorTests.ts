import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium } from '../support/browser';
import { codeServerDataDir, installFromEnv, startCodeServer } from '../support/codeServer';
import { findSecrets, simulatorSecrets } from '../support/secrets';
import { simulatorFromEnv, workspaceFileOf, writeSimulatorWorkspace } from '../support/workspace';

// Runs the mocha suite in test/editor/suite inside a real VS Code extension host:
// with @vscode/test-electron when a desktop VS Code is available (VSCODE_EXECUTABLE_PATH, or a download that works),
// otherwise inside code-server through its smoke-test driver payload (feasibility.md Q1c).

const root = resolve(__dirname, '..', '..', '..');
const suite = join(root, 'out', 'test', 'editor', 'suite', 'index.js');

interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  host: string;
}

async function main(outcomeFile: string): Promise<number> {
  const sim = simulatorFromEnv();
  const workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-ws-')), sim);
  const resultsFile = join(mkdtempSync(join(tmpdir(), 'coffea-casa-mocha-')), 'results.json');
  const env = { ...sim.editorEnv, COFFEA_CASA_TEST_RESULTS: resultsFile };

  const electron = await desktopVsCode();
  let host: string;
  let leaks: string[] = [];
  if (electron.path) {
    host = `VS Code desktop (${electron.path})`;
    const { runTests } = await import('@vscode/test-electron');
    await runTests({
      vscodeExecutablePath: electron.path,
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [workspaceFileOf(workspace), '--disable-extensions'],
      extensionTestsEnv: env,
    }).catch(() => undefined);
  } else {
    console.log(`[editor] no desktop VS Code (${electron.reason}); using code-server`);
    host = `code-server 4.139.1 (${electron.reason ? 'no desktop VS Code' : 'chosen'})`;
    const dataDir = await runInCodeServer(workspace, env);
    leaks = findSecrets([dataDir, workspace], simulatorSecrets(sim.info), ['extensions']);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as Omit<Outcome, 'host'>;
  // After the whole scenario, no credential may be in a log, a setting or a file the editor or we wrote.
  const outcome: Outcome = leaks.length
    ? { ...results, failed: results.failed + 1, host }
    : { ...results, passed: results.passed + 1, host };
  if (leaks.length) console.error(`[editor] credentials found after the tests:\n  ${leaks.join('\n  ')}`);
  else console.log('[editor] ✔ no credential in any log, setting or file written during the tests');
  writeFileSync(outcomeFile, JSON.stringify(outcome));
  return outcome.failed === 0 && outcome.passed > 0 ? 0 : 1;
}

/** A desktop VS Code: the one named by VSCODE_EXECUTABLE_PATH, or one @vscode/test-electron can download. */
async function desktopVsCode(): Promise<{ path?: string; reason?: string }> {
  if (process.env.VSCODE_EXECUTABLE_PATH) return { path: process.env.VSCODE_EXECUTABLE_PATH };
  try {
    const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
    const download = downloadAndUnzipVSCode({ version: 'stable', timeout: 15_000 });
    return { path: await download };
  } catch (error) {
    return { reason: `download failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}

/** Runs the suite in code-server and returns its data folder (logs, settings, state), for the credential sweep. */
async function runInCodeServer(workspace: string, env: NodeJS.ProcessEnv): Promise<string> {
  const install = installFromEnv();
  if (!install) throw new Error('COFFEA_CASA_NODE24 and COFFEA_CASA_CODE_SERVER must name the provisioned code-server');
  const dataDir = codeServerDataDir();
  const server = await startCodeServer(install, {
    dataDir,
    workspace,
    env,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  });
  const browser = await launchChromium();
  const { context } = browser;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const finished = new Promise<number>((done) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => done(code));
    });
    page.on('console', (message) => {
      const text = message
        .text()
        .replace(/%c/g, '')
        .replace(/\s*color:[^;]*;?/g, '');
      if (/passing|failing|pending|✔|✗|\d+\)|Error/.test(text)) console.log(`[extension host] ${text.trim()}`);
    });
    const authority = new URL(server.url).host;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${authority}${root}`],
      ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
    ]);
    // Opened as a workspace file, so tests may add folders without VS Code starting a new workspace.
    await page.goto(
      `${server.url}/?workspace=${encodeURIComponent(workspaceFileOf(workspace))}&payload=${encodeURIComponent(payload)}`,
    );
    const timeout = new Promise<number>((_, reject) =>
      setTimeout(
        () => reject(new Error('the extension host did not report an end of the tests within 5 minutes')),
        300_000,
      ).unref(),
    );
    const code = await Promise.race([finished, timeout]);
    console.log(`[editor] codeAutomationExit(${code})`);
  } finally {
    await browser.close();
    await server.stop();
  }
  return dataDir;
}

if (require.main === module) {
  const outcomeFile = process.argv[2] ?? join(root, 'test-results', 'editor.json');
  mkdirSync(join(outcomeFile, '..'), { recursive: true });
  main(outcomeFile).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
