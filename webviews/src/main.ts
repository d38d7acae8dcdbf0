import type { ExtensionToWebview, WebviewToExtension } from './protocol';

// The panel script: it announces itself and renders what the extension sends. The histogram viewer builds on this.
declare function acquireVsCodeApi(): { postMessage(message: WebviewToExtension): void };

const vscode = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (message?.type === 'init' && typeof message.title === 'string') {
    document.title = message.title;
    const heading = document.querySelector('h1');
    if (heading) heading.textContent = message.title;
  }
});

vscode.postMessage({ type: 'ready' });
