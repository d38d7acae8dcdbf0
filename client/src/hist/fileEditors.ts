import * as vscode from 'vscode';
import type { HistogramPanels } from './histogramPanel';

/** The read-only editors for result files, matching `contributes.customEditors` in package.json. */
export const FILE_EDITORS = [
  'coffeaCasa.rootFile',
  'coffeaCasa.parquetFile',
  'coffeaCasa.uhiFile',
  // Any .json file, offered through "Reopen Editor With…", since UHI files are not always named *.uhi.json.
  'coffeaCasa.jsonHistogramFile',
] as const;

/**
 * Opens ROOT, Parquet and UHI JSON files as their contents beside a histogram panel. The documents are read-only and
 * hold nothing: the worker reads the file when the panel asks for its listing or for bins.
 */
export function registerFileEditors(panels: HistogramPanels): vscode.Disposable {
  const provider: vscode.CustomReadonlyEditorProvider = {
    openCustomDocument: (uri) => ({ uri, dispose: () => undefined }),
    resolveCustomEditor: (document, panel) => {
      if (document.uri.scheme !== 'file') {
        panel.webview.html =
          '<!DOCTYPE html><p>Only files on this machine can be opened here; download the file first.</p>';
        return;
      }
      panels.showFile(panel, document.uri.fsPath);
    },
  };
  return vscode.Disposable.from(
    ...FILE_EDITORS.map((viewType) =>
      vscode.window.registerCustomEditorProvider(viewType, provider, { supportsMultipleEditorsPerDocument: true }),
    ),
  );
}
