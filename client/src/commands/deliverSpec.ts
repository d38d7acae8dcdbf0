import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Log } from '../log';
import type { SampleProgress } from '../servicex/delivery';
import { CommandIds } from './ids';
import { readWithProgress } from './progress';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** "A: Running 3/10 · B: cached", for the progress notification. */
export function progressLine(samples: readonly SampleProgress[]): string {
  return samples
    .map((s) => {
      if (s.cacheHit) return `${s.name}: cached`;
      const files = s.files > 0 ? ` ${s.filesCompleted}/${s.files}` : '';
      return `${s.name}: ${s.status}${files}${s.filesFailed > 0 ? ` (${s.filesFailed} failed)` : ''}`;
    })
    .join(' · ');
}

/** The endpoint to deliver to: the first connected facility's, or the user's choice when there are several. */
async function chooseEndpoint(
  connections: Connections,
  backends: ServiceXBackends,
): Promise<{ facility: string; url: string } | undefined> {
  const choices = connections
    .sessions()
    .filter((s) => s.state === 'connected' || s.state === 'degraded')
    .flatMap((s) =>
      backends
        .backends(s.profile)
        .map((b) => ({ label: b.name, description: b.url, facility: s.profile.name, url: b.url })),
    );
  if (choices.length <= 1) return choices[0];
  return vscode.window.showQuickPick(choices, { title: 'Deliver with which ServiceX?' });
}

/**
 * `coffeaCasa.deliverSpec [specUri [sampleNames]]`: delivers a spec's samples (all, or the named ones) as the Python
 * client's `deliver()` would, with a progress notification that cancels the transforms when cancelled. A spec with
 * errors is refused, with a way to the Problems panel. Resolves to each sample's outcome.
 */
export function registerDeliverSpec(connections: Connections, backends: ServiceXBackends, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.deliverSpec,
    async (...args: unknown[]): Promise<readonly SampleProgress[] | undefined> => {
      const uri =
        typeof args[0] === 'string'
          ? vscode.Uri.parse(args[0])
          : args[0] instanceof vscode.Uri
            ? args[0]
            : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showErrorMessage('Open a ServiceX spec to deliver it.');
        return undefined;
      }
      const names = Array.isArray(args[1]) ? args[1].filter((n): n is string => typeof n === 'string') : undefined;
      const document = await vscode.workspace.openTextDocument(uri);
      const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      if (errors.length > 0) {
        const show = 'Show Problems';
        void vscode.window
          .showErrorMessage(
            `The spec has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix them before delivering.`,
            show,
          )
          .then((choice) => choice === show && vscode.commands.executeCommand('workbench.actions.view.problems'));
        return undefined;
      }
      const endpoint = await chooseEndpoint(connections, backends);
      if (!endpoint) {
        void vscode.window.showErrorMessage(
          'Connect to a facility with ServiceX (or add an endpoint to servicex.yaml) to deliver.',
        );
        return undefined;
      }
      const { requestsFromSpec } = await import('../delivery/specRequests.js');
      const { deliverSamples } = await import('../servicex/delivery.js');
      const { readLocalCache } = await import('../delivery/localCache.js');
      const cache = backends.cacheFolder();
      const outcome = await readWithProgress(
        connections,
        endpoint.facility,
        `Delivering ${document.uri.path.split('/').pop() ?? 'spec'}`,
        async (facility, signal, progress) => {
          const client = await backends.client(facility, endpoint.url);
          const features = await client.features(signal);
          if (!features.ok) return features;
          const limit = features.value.capabilities
            .map((c) => /^long_sample_titles_(\d+)$/.exec(c)?.[1])
            .find((n) => n !== undefined);
          const built = requestsFromSpec(document.getText(), uri.scheme === 'file' ? uri.fsPath : undefined, {
            codegens: Object.keys(features.value.codegens),
            ...(limit ? { titleLengthLimit: Number(limit) } : {}),
            readFile: readText,
          });
          if (!built.ok) {
            const first = built.problems[0];
            const where = first.line ? ` (line ${first.line})` : '';
            return {
              ok: false as const,
              error: { kind: 'badResponse' as const, message: `${first.message}${where}` },
            };
          }
          const chosen = names ? built.samples.filter((s) => names.includes(s.name)) : built.samples;
          if (chosen.length === 0)
            return {
              ok: false as const,
              error: { kind: 'badResponse' as const, message: 'No sample of that name in the spec.' },
            };
          return deliverSamples(client, facility.http, chosen, {
            cache,
            shorten: backends.shortenNames(),
            download: built.delivery === 'LocalCache',
            signal,
            onUpdate: (samples) => progress.report({ message: progressLine(samples) }),
            cachedFiles: async (hash) => {
              const contents = await readLocalCache(cache);
              const hit = contents.records.find((r) => r.hash === hash && r.status !== 'SUBMITTED');
              return hit?.fileList;
            },
          });
        },
      );
      await connections.refresh(endpoint.facility);
      if (!outcome) return undefined;
      if (!outcome.ok) {
        if (outcome.error.kind !== 'cancelled' || outcome.error.message.includes('cancelled on the server'))
          void vscode.window.showErrorMessage(`Delivery stopped: ${outcome.error.message}`);
        log.warn(`${endpoint.facility}: delivery: ${outcome.error.message}`);
        return undefined;
      }
      const problems = outcome.value.filter((s) => s.problem);
      const summary = progressLine(outcome.value);
      log.info(`${endpoint.facility}: delivered ${summary}`);
      if (problems.length > 0)
        void vscode.window.showWarningMessage(
          `Delivered with problems: ${problems.map((p) => `${p.name}: ${p.problem}`).join('; ')}`,
        );
      else void vscode.window.showInformationMessage(`Delivered: ${summary}`);
      return outcome.value;
    },
  );
}
