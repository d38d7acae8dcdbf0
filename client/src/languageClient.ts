import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { FacilityCodegensNotification, type FacilityCodegensParams } from '../../server/src/protocol';
import { isQueryDocument, QUERY_LANGUAGES } from './language/specDetection';
import type { Log } from './log';

export type LanguageClientStatus = 'notStarted' | 'starting' | 'running' | 'stopped';

/** The ServiceX query language server's client, started only once a query file or a ServiceX spec is opened. */
export class QueryLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionPath: string,
    private readonly log: Log,
    private readonly facility: { codegens(): FacilityCodegensParams; onDidChange: vscode.Event<void> },
  ) {
    this.subscriptions.push(vscode.workspace.onDidOpenTextDocument((doc) => this.consider(doc)));
    this.subscriptions.push(facility.onDidChange(() => void this.sendCodegens()));
    for (const doc of vscode.workspace.textDocuments) this.consider(doc);
  }

  status(): LanguageClientStatus {
    if (!this.client) return 'notStarted';
    switch (this.client.state) {
      case State.Running:
        return 'running';
      case State.Starting:
        return 'starting';
      default:
        return 'stopped';
    }
  }

  /** Resolves once the server has answered `initialize` (starting it if a relevant document asked for it). */
  ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private consider(doc: vscode.TextDocument): void {
    if (this.starting || doc.uri.scheme === 'git') return;
    if (!isQueryDocument(doc.languageId, () => doc.getText())) return;
    this.starting = this.start().catch((error: unknown) => {
      this.log.error(
        `The ServiceX language server did not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private async start(): Promise<void> {
    const module = path.join(this.extensionPath, 'dist', 'server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [...QUERY_LANGUAGES.map((language) => ({ language })), { language: 'yaml' }],
    };
    this.client = new LanguageClient(
      'coffeaCasa.languageServer',
      'ServiceX Query Language Server',
      serverOptions,
      clientOptions,
    );
    await this.client.start();
    this.log.info('The ServiceX language server is running.');
    await this.sendCodegens();
  }

  /** Sends a custom request to the server; undefined when the server is not running. */
  async request<R>(method: string, params: unknown): Promise<R | undefined> {
    if (this.client?.state !== State.Running) return undefined;
    return this.client.sendRequest<R>(method, params);
  }

  /** Tells the server which codegens the connected ServiceX offers, so specs are checked against the real list. */
  private async sendCodegens(): Promise<void> {
    if (this.client?.state !== State.Running) return;
    await this.client.sendNotification(FacilityCodegensNotification, this.facility.codegens());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.client?.stop();
  }
}
