import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { HistogramJobs } from '../hist/histogramJobs';
import type { HistogramContent, HistogramPanels } from '../hist/histogramPanel';
import type { Log } from '../log';
import { isCacheNode, isTransformNode } from '../trees/datasetsTree';
import { downloadWithProgress } from './downloadResults';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.openResultsInHistogram transformNode|cacheNode [column]`: the result files of one sample as one dataset
 * in the histogram viewer. A transform is downloaded into the ServiceX cache first; the column is asked from the
 * first file's contents unless given.
 */
export function registerOpenResultsInHistogram(
  connections: Connections,
  backends: ServiceXBackends,
  jobs: HistogramJobs,
  panels: HistogramPanels,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.openResultsInHistogram,
    async (...args: unknown[]): Promise<HistogramContent | undefined> => {
      const node = args[0];
      let name: string;
      let files: readonly string[];
      if (isTransformNode(node)) {
        const downloaded = await downloadWithProgress(connections, backends, log, node, 'cache');
        if (!downloaded) return undefined;
        name = node.transform.title ?? node.transform.requestId;
        files = downloaded.files;
      } else if (isCacheNode(node)) {
        name = node.title;
        files = node.files;
      } else return undefined;
      if (files.length === 0) {
        void vscode.window.showWarningMessage(`${name} has no downloaded files to draw.`);
        return undefined;
      }
      let column = typeof args[1] === 'string' ? args[1] : undefined;
      let tree: string | undefined;
      if (!column) {
        const listed = await jobs.list(files[0]);
        if (!listed.ok) {
          jobs.report(listed);
          return undefined;
        }
        const { listingItems, parsePick } = await import('../hist/listing.js');
        const choices = listingItems(listed.value)
          .filter((item) => item.pickable)
          .map((item) => ({ label: item.label, description: item.description, pick: parsePick(item.id) }));
        const chosen = await vscode.window.showQuickPick(choices, { title: `Column of ${name} to histogram` });
        if (!chosen?.pick || chosen.pick.kind !== 'column') return undefined;
        column = chosen.pick.column;
        tree = chosen.pick.tree;
      }
      return panels.showRequest({
        samples: [{ name, files }],
        column,
        ...(tree ? { tree } : {}),
        title: `${column} · ${name}`,
      });
    },
  );
}
