import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SIMULATOR_PROFILE_NAME, simulatorEditorEnv } from '../../sim/src/facilityProfile';
import { useWorkbench } from '../support/workbench';
import { simulatorFromEnv, writeSimulatorWorkspace } from '../support/workspace';

// The GPU Servers view in code-server and Debian's Chromium: the simulator's Triton server with its models and GPU
// utilisation, and a model unloaded from its row (then loaded again, so that the shared simulator is as it was).
describe('the GPU Servers view in code-server', () => {
  let workspace: string | undefined;
  const sim = simulatorFromEnv();
  const bench = useWorkbench(() => [workspace]);
  const model = 'particlenet_ak4';

  test('shows the Triton server, its models and its GPUs', async () => {
    workspace = writeSimulatorWorkspace(mkdtempSync(join(tmpdir(), 'coffea-casa-e2e-gpu-')), sim, {
      connectOnStartup: true,
    });
    await bench.open(workspace, simulatorEditorEnv(sim.info));
    const page = bench.page;
    await page.locator('.statusbar').getByText(`${SIMULATOR_PROFILE_NAME}: connected`).waitFor({ timeout: 90_000 });
    await page.locator('.activitybar a[aria-label^="Coffea-Casa"]').first().click();
    const gpu = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'GPU Servers' }) });
    await gpu
      .locator('.monaco-list-row', { hasText: /^Triton 127\.0\.0\.1:\d+/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await gpu.locator('.monaco-list-row', { hasText: model }).filter({ hasText: 'READY' }).first().waitFor();
    // A GPU row reads "<utilisation>% <sparkline> · <used>/<total> · <power> W".
    await gpu.locator('.monaco-list-row', { hasText: /GPU-/ }).filter({ hasText: /\d+% / }).first().waitFor();
    await bench.shot('30-gpu-servers.png');
  });

  test('unloading a model from its row changes its state in the tree', async () => {
    const page = bench.page;
    const gpu = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'GPU Servers' }) });
    const row = gpu.locator('.monaco-list-row', { hasText: model }).first();
    await row.hover();
    await row.locator('.action-label[aria-label="Unload Model"]').click();
    await gpu.locator('.monaco-list-row', { hasText: model }).filter({ hasText: 'UNAVAILABLE' }).first().waitFor({
      timeout: 30_000,
    });
    await bench.shot('31-gpu-model-unloaded.png');
    const unloaded = gpu.locator('.monaco-list-row', { hasText: model }).first();
    await unloaded.hover();
    await unloaded.locator('.action-label[aria-label="Load Model"]').click();
    await gpu.locator('.monaco-list-row', { hasText: model }).filter({ hasText: 'READY' }).first().waitFor({
      timeout: 30_000,
    });
  });
});
