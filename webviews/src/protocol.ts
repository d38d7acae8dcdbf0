/**
 * Messages between the extension and its webview panels. The webview speaks first with `ready`; the extension answers
 * with `init`. Every message received on either side is checked with `isWebviewMessage` before use.
 */
export type WebviewToExtension = { readonly type: 'ready' };
export type ExtensionToWebview = { readonly type: 'init'; readonly title: string };

/** Checks an untrusted message from a webview. */
export function isWebviewMessage(value: unknown): value is WebviewToExtension {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ready';
}
