import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Log } from '../log';
import type { CachedResults } from '../servicex/resultsCache';
import { isTransformNode, type TransformNode } from '../trees/datasetsTree';
import { CommandIds } from './ids';
import { readWithProgress } from './progress';
import { transformName } from './servicexItems';

/** Where the files go: the Python client's cache (so notebooks reuse them) or a folder the user picks. */
export type DownloadTarget = 'cache' | { readonly folder: string };

async function chooseTarget(backends: ServiceXBackends): Promise<DownloadTarget | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'ServiceX cache', description: backends.cacheFolder(), detail: 'A later deliver() in Python reuses it' },
      { label: 'Choose a folder…' },
    ],
    { title: 'Download the results to' },
  );
  if (!picked) return undefined;
  if (picked.label === 'ServiceX cache') return 'cache';
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Download Here',
  });
  return folder?.[0] ? { folder: folder[0].fsPath } : undefined;
}

/** Downloads a transform's results with a cancellable progress notification; undefined when nothing was downloaded. */
export async function downloadWithProgress(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
  node: TransformNode,
  target: DownloadTarget,
): Promise<CachedResults | undefined> {
  const name = transformName(node);
  const result = await readWithProgress(
    connections,
    node.facility,
    `Downloading ${name}`,
    async (facility, signal, progress) => {
      const client = await backends.client(facility, node.url);
      const features = await client.features(signal);
      if (!features.ok) return features;
      const { downloadTransform } = await import('../servicex/resultsCache.js');
      let last = 0;
      return await downloadTransform(
        client,
        facility.http,
        node.transform,
        features.value,
        target === 'cache' ? { cache: backends.cacheFolder() } : target,
        {
          shorten: backends.shortenNames(),
          signal,
          onFile: (done, total) => {
            const now = (done / total) * 100;
            progress.report({ message: `${done} of ${total} files`, increment: now - last });
            last = now;
          },
        },
      );
    },
  );
  if (!result) {
    void vscode.window.showErrorMessage(`${node.facility} is not connected.`);
    return undefined;
  }
  if (!result.ok) {
    if (result.error.kind !== 'cancelled') {
      log.warn(`${node.facility}: downloading ${name}: ${result.error.message}`);
      void vscode.window.showErrorMessage(`Could not download ${name}: ${result.error.message}`);
    }
    return undefined;
  }
  log.info(`${node.facility}: ${result.value.files.length} files of ${name} in ${result.value.folder}.`);
  return result.value;
}

/**
 * `coffeaCasa.downloadResults transformNode [target]`: downloads a complete transform's files, into the ServiceX
 * cache (with the record the Python client looks for) or a folder; a test passes the target. Resolves to where they
 * went.
 */
export function registerDownloadResults(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.downloadResults,
    async (...args: unknown[]): Promise<CachedResults | undefined> => {
      const node = args[0];
      if (!isTransformNode(node)) return undefined;
      const given = args[1];
      const target =
        given === 'cache' ||
        (typeof given === 'object' && given !== null && typeof (given as { folder?: unknown }).folder === 'string')
          ? (given as DownloadTarget)
          : await chooseTarget(backends);
      if (!target) return undefined;
      const done = await downloadWithProgress(connections, backends, log, node, target);
      if (done) {
        const cached = done.recorded
          ? ' The Python client will find them in its cache.'
          : done.note
            ? ` (Not recorded for the Python client: ${done.note}.)`
            : '';
        void vscode.window.showInformationMessage(
          `${done.files.length} files of ${transformName(node)} in ${done.folder}.${cached}`,
        );
      }
      return done;
    },
  );
}
