import * as vscode from 'vscode';
import type { HistogramRequest } from '../hist/histogramJobs';
import type { HistogramContent, HistogramPanels } from '../hist/histogramPanel';
import { CommandIds } from './ids';

function isRequest(value: unknown): value is HistogramRequest {
  const samples = (value as { samples?: unknown } | undefined)?.samples;
  return (
    Array.isArray(samples) &&
    samples.every((sample: unknown) => {
      const s = sample as { name?: unknown; files?: unknown } | undefined;
      return typeof s?.name === 'string' && Array.isArray(s.files) && s.files.every((f) => typeof f === 'string');
    })
  );
}

/**
 * `coffeaCasa.showHistogram [request]`: bins a column over samples of files (what the Datasets view hands over for a
 * ServiceX result) and opens the plot. Without a request it asks for files, and opens them in the file editor, where
 * the user picks a column. Resolves to what the panel shows, or undefined.
 */
export function registerShowHistogram(panels: HistogramPanels): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.showHistogram,
    async (...args: unknown[]): Promise<HistogramContent | undefined> => {
      if (isRequest(args[0])) return panels.showRequest(args[0]);
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'Result files': ['root', 'parquet', 'json'] },
        openLabel: 'Open in Histogram Viewer',
      });
      if (!picked?.[0]) return undefined;
      const viewType = /\.parquet$/i.test(picked[0].path)
        ? 'coffeaCasa.parquetFile'
        : /\.json$/i.test(picked[0].path)
          ? 'coffeaCasa.uhiFile'
          : 'coffeaCasa.rootFile';
      await vscode.commands.executeCommand('vscode.openWith', picked[0], viewType);
      return undefined;
    },
  );
}
