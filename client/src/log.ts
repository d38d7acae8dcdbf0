import * as vscode from 'vscode';
import { redact } from './facility/urls';

/** The extension's one output channel; every line passes through `redact` so that no token reaches it. */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Coffea-Casa', { log: true });

  info(message: string): void {
    this.channel.info(redact(message));
  }

  warn(message: string): void {
    this.channel.warn(redact(message));
  }

  error(message: string): void {
    this.channel.error(redact(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
