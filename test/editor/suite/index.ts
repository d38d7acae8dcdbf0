import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/**
 * The entry point VS Code's test runner loads in the extension host (the `run()` contract of @vscode/test-electron,
 * also honoured by code-server's smoke-test driver). Counts go to COFFEA_CASA_TEST_RESULTS as JSON, because the
 * runner outside the editor cannot read mocha's reporter.
 */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Order matters: the language-server test checks that nothing started it before a spec was opened.
  for (const file of [
    'activation.test.js',
    'connect.test.js',
    'languageServer.test.js',
    'grammar.test.js',
    'diagnostics.test.js',
    'languageFeatures.test.js',
    'servers.test.js',
    'terminal.test.js',
    'files.test.js',
    'signin.test.js',
    'activity.test.js',
    'kernelActions.test.js',
    'daskClusters.test.js',
    'gpuServers.test.js',
    'deliver.test.js',
    'histogram.test.js',
    'clusterTriton.test.js',
  ]) {
    mocha.addFile(join(__dirname, file));
  }
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] as string[] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (test, error: Error) => {
      counts.failed++;
      counts.failures.push(`${test.fullTitle()}: ${error.message}`);
    });
    runner.on('pending', () => counts.skipped++);
  });
  if (process.env.COFFEA_CASA_TEST_RESULTS) writeFileSync(process.env.COFFEA_CASA_TEST_RESULTS, JSON.stringify(counts));
  if (counts.failed > 0) throw new Error(`${counts.failed} editor tests failed:\n${counts.failures.join('\n')}`);
}
