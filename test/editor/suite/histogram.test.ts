import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HistogramContent } from '../../../client/src/hist/histogramPanel';
import { testdataDir } from '../../support/testdata';
import { activated } from './extension';

// The ROOT file editor and the histogram worker inside VS Code's extension host: uproot-HZZ.root opens in the
// viewer, its webview asks for the file's contents (listed by the worker thread), and a branch of it is binned.
describe('the histogram viewer', () => {
  const hzz = join(testdataDir(), 'root', 'uproot-HZZ.root');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens uproot-HZZ.root, lists its branches, and bins Muon_Px', async () => {
    const { api } = await activated();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(hzz), 'coffeaCasa.rootFile');
    // The listing arrives once the webview has loaded and said it is ready.
    let items: readonly { label: string; pickable: boolean }[] | undefined;
    while (!items) {
      items = api.histograms.panels().find((p) => p.file?.path === hzz)?.file?.items;
      if (!items) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      items.some((i) => i.label === 'Muon_Px' && i.pickable),
      items.map((i) => i.label).join(', '),
    );

    const content = await vscode.commands.executeCommand<HistogramContent>('coffeaCasa.showHistogram', {
      samples: [{ name: 'HZZ', files: [hzz] }],
      column: 'Muon_Px',
      tree: 'events',
      bins: 40,
    });
    assert.ok(content && content.data.kind === '1d');
    assert.equal(content.data.edges.length, 41);
    const [series] = content.data.series;
    const filled = series.values.reduce((a, b) => a + b, 0) + series.underflow + series.overflow;
    assert.equal(filled, series.entries);
    assert.ok(series.entries > 0);
  });
});
