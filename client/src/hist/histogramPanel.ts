import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  isHistSource,
  isWebviewMessage,
  type ExtensionToWebview,
  type HistData,
  type HistSource,
  type ListingItem,
  type ViewOptions,
  type WebviewToExtension,
} from '../../../webviews/shared/protocol';
import type { Log } from '../log';
import { copyAsPython } from './copyAsPython';
import type { HistogramJobs } from './histogramJobs';
import { listingItems, parsePick } from './listing';
import { exportName, pngSize } from './images';

/** The panel type, also the id of its serializer in package.json (`onWebviewPanel:` activation). */
export const HISTOGRAM_VIEW_TYPE = 'coffeaCasa.histogram';

/** What a panel shows: the bins, where they came from, and how to draw them at first. */
export interface HistogramContent {
  readonly title: string;
  readonly data: HistData;
  readonly source?: HistSource;
  readonly options?: ViewOptions;
}

/** The page of a histogram panel: one script with a nonce, styles from the built folder, nothing else allowed. */
export function histogramHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', 'main.js'));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    // The PNG export rasterises the plot's own SVG through a blob URL.
    `img-src ${webview.cspSource} blob: data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { display: flex; height: 100vh; margin: 0; padding: 0; box-sizing: border-box; }
  #listing { width: 260px; overflow: auto; border-right: 1px solid var(--vscode-panel-border); padding: 6px 0; }
  #listing .item { display: block; width: 100%; text-align: left; padding: 2px 8px; border: 0; background: none;
    color: var(--vscode-foreground); font: inherit; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  #listing .group { font-weight: 600; }
  #listing .pickable { cursor: pointer; }
  #listing .pickable:hover, #listing .pickable:focus { background: var(--vscode-list-hoverBackground); }
  #listing .detail { color: var(--vscode-descriptionForeground); }
  main { flex: 1; display: flex; flex-direction: column; padding: 0 12px; min-width: 0; }
  #controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 8px 0; }
  #controls .control { display: flex; gap: 6px; align-items: center; }
  #plot { flex: 1; min-height: 240px; outline-offset: 2px; }
  #plot svg { width: 100%; height: 100%; }
  #readout { position: fixed; right: 16px; bottom: 28px; white-space: pre; padding: 4px 8px;
    background: var(--vscode-editorHoverWidget-background); color: var(--vscode-editorHoverWidget-foreground);
    border: 1px solid var(--vscode-editorHoverWidget-border); }
  #status { min-height: 1.4em; padding: 4px 0; }
  #status.error { color: var(--vscode-errorForeground); }
</style>
<title>Histogram</title>
</head>
<body>
<nav id="listing" aria-label="File contents" hidden></nav>
<main>
<div id="controls" role="toolbar" aria-label="Histogram options"></div>
<div id="plot" tabindex="0" role="img" aria-label="Histogram plot; use the arrow keys to read the bins"></div>
<div id="readout" role="status" aria-live="polite" hidden></div>
<div id="status" role="status" aria-live="polite"></div>
</main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Writes bytes under a temporary name beside the target and renames it, so that a failed write leaves nothing half. */
export async function writeAtomically(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const temporary = target.with({ path: `${target.path}.${randomBytes(6).toString('hex')}.part` });
  try {
    await vscode.workspace.fs.writeFile(temporary, bytes);
    await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
  } catch (error) {
    await vscode.workspace.fs.delete(temporary).then(undefined, () => undefined);
    throw error;
  }
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  content?: HistogramContent;
  /** For a file editor: the file, and its contents once listed. */
  readonly file?: { readonly path: string; items?: ListingItem[] };
  /** Where the last export went, for tests. */
  lastExport?: vscode.Uri;
}

/**
 * The histogram panels: opens them, answers their messages (after checking each one), exports and copies, and brings
 * them back after a reload from the state each webview saved.
 */
export class HistogramPanels implements vscode.Disposable {
  private readonly open = new Set<OpenPanel>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly jobs: HistogramJobs,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(HISTOGRAM_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        // The webview restores its own bins and options; the extension needs the source back for Copy as Python.
        const saved = state as { data?: HistData; source?: unknown } | undefined;
        const source = isHistSource(saved?.source) ? saved.source : undefined;
        const content = saved?.data ? { title: panel.title, data: saved.data, source } : undefined;
        this.attach(panel, content);
        return Promise.resolve();
      },
    });
  }

  /** Opens a panel for the content, beside the active editor. */
  show(content: HistogramContent): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(HISTOGRAM_VIEW_TYPE, content.title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews')],
    });
    this.attach(panel, content);
    return panel;
  }

  /** Opens a file editor's panel: the file's contents beside the plot; picking a row draws it. */
  showFile(panel: vscode.WebviewPanel, path: string): void {
    this.attach(panel, undefined, path);
  }

  /** Bins what a request names and opens a panel for it; resolves to the panel's content, or undefined. */
  async showRequest(request: Parameters<HistogramJobs['request']>[0]): Promise<HistogramContent | undefined> {
    const result = await this.jobs.request(request);
    if (!result.ok) {
      this.jobs.report(result);
      return undefined;
    }
    this.show(result.value);
    return result.value;
  }

  /** The panels open now, with what each shows and where it last exported; for tests. */
  panels(): readonly {
    panel: vscode.WebviewPanel;
    content?: HistogramContent;
    lastExport?: vscode.Uri;
    file?: { readonly path: string; items?: readonly ListingItem[] };
  }[] {
    return [...this.open];
  }

  private attach(panel: vscode.WebviewPanel, content: HistogramContent | undefined, file?: string): void {
    const entry: OpenPanel = { panel, content, ...(file ? { file: { path: file } } : {}) };
    this.open.add(entry);
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews')],
    };
    panel.webview.html = histogramHtml(panel.webview, this.extensionUri, randomBytes(16).toString('base64'));
    const subscription = panel.webview.onDidReceiveMessage((message: unknown) => {
      if (!isWebviewMessage(message)) {
        this.log.warn('A histogram panel sent a message that was not understood; it was ignored.');
        return;
      }
      void this.answer(entry, message);
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      this.open.delete(entry);
    });
  }

  private post(entry: OpenPanel, message: ExtensionToWebview): void {
    void entry.panel.webview.postMessage(message);
  }

  private async answer(entry: OpenPanel, message: WebviewToExtension): Promise<void> {
    const content = entry.content;
    if (message.type === 'ready') {
      if (entry.file) await this.sendListing(entry, entry.file);
      if (!content) return;
      this.post(entry, { type: 'init', title: content.title });
      this.post(entry, { type: 'histogram', data: content.data, options: content.options, source: content.source });
    } else if (message.type === 'pick') {
      await this.draw(entry, message.id);
    } else if (message.type === 'addSample') {
      await this.addSample(entry);
    } else if (message.type === 'redraw') {
      await this.redraw(entry, message.weight, message.y);
    } else if (message.type === 'copyPython') {
      if (!content) return;
      await vscode.env.clipboard.writeText(copyAsPython(content.data, content.source, message.options, message.edges));
      this.post(entry, { type: 'status', message: 'Python code copied to the clipboard.' });
    } else {
      await this.export(entry, message.format, message.data);
    }
  }

  private async sendListing(entry: OpenPanel, file: { readonly path: string; items?: ListingItem[] }): Promise<void> {
    if (!file.items) {
      const listed = await this.jobs.list(file.path);
      if (!listed.ok) {
        this.post(entry, { type: 'status', message: listed.error.message, error: true });
        return;
      }
      file.items = listingItems(listed.value);
    }
    this.post(entry, { type: 'listing', items: file.items });
  }

  /** Draws a picked row in the same panel; ids that this extension did not make are ignored. */
  private async draw(entry: OpenPanel, id: string): Promise<void> {
    const pick = parsePick(id);
    if (!entry.file || !pick) return;
    const result = await this.jobs.pick(entry.file.path, pick);
    if (!result.ok) {
      if (result.error.kind !== 'cancelled')
        this.post(entry, { type: 'status', message: result.error.message, error: true });
      return;
    }
    entry.content = result.value;
    const { data, source, options } = result.value;
    this.post(entry, { type: 'histogram', data, source, options });
  }

  /**
   * Bins the drawn column again with a weight column and/or a second column (ids of the listing's rows, which must be
   * columns of the same tree); an id this extension did not make is ignored.
   */
  private async redraw(entry: OpenPanel, weightId?: string, yId?: string): Promise<void> {
    const source = entry.content?.source;
    if (!source?.column) return;
    const weight = weightId === undefined ? undefined : parsePick(weightId);
    const y = yId === undefined ? undefined : parsePick(yId);
    const sameTree = (pick: typeof weight) =>
      pick === undefined || (pick.kind === 'column' && (pick.tree ?? '') === (source.tree ?? ''));
    if (!sameTree(weight) || !sameTree(y)) return;
    const column = (pick: typeof weight) => (pick?.kind === 'column' ? pick.column : undefined);
    const result = await this.jobs.request({
      samples: source.samples,
      column: source.column,
      ...(source.tree ? { tree: source.tree } : {}),
      ...(column(weight) ? { weight: column(weight) } : {}),
      ...(column(y) ? { y: column(y) } : {}),
      title: entry.content?.title,
    });
    if (!result.ok) {
      if (result.error.kind !== 'cancelled')
        this.post(entry, { type: 'status', message: result.error.message, error: true });
      return;
    }
    entry.content = result.value;
    this.post(entry, { type: 'histogram', data: result.value.data, source: result.value.source });
  }

  /** Bins the same column of other files, each as one more sample, beside the samples already drawn. */
  private async addSample(entry: OpenPanel): Promise<void> {
    const source = entry.content?.source;
    if (!source?.column || entry.content?.data.kind !== '1d') return;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      filters: {
        [source.format === 'parquet' ? 'Parquet files' : 'ROOT files']: [
          source.format === 'parquet' ? 'parquet' : 'root',
        ],
      },
      openLabel: 'Add as Samples',
    });
    if (!picked || picked.length === 0) return;
    const samples = [
      ...source.samples,
      ...picked.map((uri) => ({ name: uri.path.split('/').pop() ?? uri.fsPath, files: [uri.fsPath] })),
    ];
    const edges = entry.content.data.edges;
    const result = await this.jobs.request({
      samples,
      column: source.column,
      ...(source.tree ? { tree: source.tree } : {}),
      ...(source.weight ? { weight: source.weight } : {}),
      // The binning stays the one on screen, so that the samples can be stacked and divided.
      bins: edges.length - 1,
      range: [edges[0], edges[edges.length - 1]],
      title: entry.content.title,
    });
    if (!result.ok) {
      if (result.error.kind !== 'cancelled')
        this.post(entry, { type: 'status', message: result.error.message, error: true });
      return;
    }
    entry.content = { ...result.value, options: undefined };
    this.post(entry, { type: 'histogram', data: result.value.data, source: result.value.source });
  }

  private async export(entry: OpenPanel, format: 'png' | 'svg', data: string): Promise<void> {
    const bytes = format === 'png' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
    const size = format === 'png' ? pngSize(bytes) : undefined;
    if (format === 'png' && !size) {
      this.post(entry, { type: 'status', message: 'The panel did not produce a PNG image.', error: true });
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = exportName(entry.content?.title ?? entry.panel.title, format);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      saveLabel: `Export ${format.toUpperCase()}`,
    });
    if (!target) return;
    try {
      await writeAtomically(target, bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.post(entry, { type: 'status', message: `Could not write ${target.fsPath}: ${reason}`, error: true });
      return;
    }
    entry.lastExport = target;
    const dimensions = size ? ` (${size.width}×${size.height})` : '';
    this.post(entry, { type: 'status', message: `Exported ${target.fsPath}${dimensions}.` });
  }

  dispose(): void {
    this.registration.dispose();
    for (const entry of this.open) entry.panel.dispose();
    this.open.clear();
  }
}
