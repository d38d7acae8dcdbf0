import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import type { HistogramContent } from '../../../client/src/hist/histogramPanel';
import type { SampleProgress } from '../../../client/src/servicex/delivery';
import { isCacheNode, isTransformNode } from '../../../client/src/trees/datasetsTree';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import type { SimulatorInfo } from '../../../sim/src/info';
import { activated, allNodes } from './extension';

// From a spec to a plot against the simulator's ServiceX: the token added in VS Code, the sample delivered from its
// lens into a private ServiceX cache, the transform in the Datasets view, the cached result in "Local cache", and its
// files binned in the histogram viewer.
describe('delivering a spec and plotting its result', () => {
  const info = JSON.parse(process.env.COFFEA_CASA_SIM_INFO_JSON ?? '{}') as Partial<SimulatorInfo>;
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-deliver-'));
  let ticking: NodeJS.Timeout | undefined;

  after(async () => {
    if (ticking) clearInterval(ticking);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('coffeaCasa').update('servicex.configFile', undefined, true);
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers from the lens, lists the transform and the cached result, and bins its files', async () => {
    assert.ok(info.servicex && info.servicexRefreshToken && info.control, 'the runner passes the simulator');
    const { api } = await activated();
    // A servicex.yaml of the user's own, with its cache in a private folder and no token in it.
    const config = join(dir, 'servicex.yaml');
    writeFileSync(
      config,
      `api_endpoints:\n  - name: sim\n    endpoint: ${info.servicex}\ncache_path: ${join(dir, 'cache')}\n`,
    );
    await vscode.workspace.getConfiguration('coffeaCasa').update('servicex.configFile', config, true);
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
    assert.equal(
      await vscode.commands.executeCommand('coffeaCasa.addServiceXToken', info.servicex, info.servicexRefreshToken),
      true,
    );

    const spec = join(dir, 'hzz.yaml');
    writeFileSync(
      spec,
      [
        'General:',
        '  OutputFormat: parquet',
        'Sample:',
        '  - Name: hzz-muons',
        '    Dataset: !Rucio sim:hzz',
        '    Query: !FuncADL_Uproot |',
        "      FromTree('events').Select(lambda e: {'pt': e.Muon_Px})",
        '',
      ].join('\n'),
    );
    const document = await vscode.workspace.openTextDocument(spec);
    await vscode.window.showTextDocument(document);
    let lens: vscode.CodeLens | undefined;
    while (!lens) {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        document.uri,
      );
      lens = lenses.find((l) => l.command?.title === 'Deliver hzz-muons');
      if (!lens) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The simulated ServiceX moves on when its clock does: step it while the delivery polls.
    ticking = setInterval(() => {
      void fetch(`${info.control}/servicex/clock`, { method: 'POST', body: '{"advanceSeconds": 2}' }).catch(
        () => undefined,
      );
    }, 200);
    const args = (lens.command?.arguments ?? []) as unknown[];
    const outcome = await vscode.commands.executeCommand<SampleProgress[]>(lens.command?.command ?? '', ...args);
    clearInterval(ticking);
    ticking = undefined;
    assert.equal(outcome?.length, 1);
    assert.equal(outcome[0].status, 'Complete', outcome[0].problem);
    assert.ok((outcome[0].localFiles?.length ?? 0) > 0);

    const nodes = await allNodes(api.views.datasets);
    const transform = nodes.filter(isTransformNode).find((n) => n.transform.requestId === outcome[0].requestId);
    assert.equal(transform?.kind, 'transform.complete');
    const cached = nodes.filter(isCacheNode).find((n) => n.title === 'hzz-muons');
    assert.ok(cached, 'the Local cache group shows the delivered sample');

    const content = await vscode.commands.executeCommand<HistogramContent>(
      'coffeaCasa.openResultsInHistogram',
      cached,
      'mu_pt',
    );
    assert.equal(content?.data.kind, '1d');
    const entries = content?.data.kind === '1d' ? content.data.series[0].entries : 0;
    assert.ok(entries > 0, 'the files were binned');
    assert.ok(api.histograms.panels().some((p) => p.content?.title === content?.title));
  });
});
