import type * as vscode from 'vscode';
import type { FacilitySession } from './connection/connections';
import type { HistogramPanels } from './hist/histogramPanel';
import type { LanguageClientStatus } from './languageClient';
import type { TreeNode } from './trees/node';
import type { UriOutcome } from './uriHandler';

/** What `activate` returns: a read-only view of the extension's state, used by other extensions and by our tests. */
export interface CoffeaCasaApi {
  sessions(): readonly FacilitySession[];
  readonly views: Readonly<Record<'sessions' | 'datasets' | 'gpuServers', vscode.TreeDataProvider<TreeNode>>>;
  languageServer(): { status(): LanguageClientStatus; ready(): Promise<void> };
  /** What a terminal opened by `coffeaCasa.openTerminal` writes from now on; VS Code's own API for this is proposed. */
  remoteTerminalOutput(terminal: vscode.Terminal): vscode.Event<string> | undefined;
  /** Handles a `vscode://coffea-casa.coffea-casa-vscode/open?…` link as the URI handler does. */
  handleUri(uri: vscode.Uri): Promise<UriOutcome>;
  /** The histogram panels: open one with bins, and see what each shows and last exported. */
  readonly histograms: Pick<HistogramPanels, 'show' | 'panels' | 'showRequest'>;
}
