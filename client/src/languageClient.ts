import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  FacilityCodegensNotification,
  SampleFileNotification,
  type FacilityCodegensParams,
  type SampleFileParams,
} from '../../server/src/protocol';
import { isQueryDocument, QUERY_LANGUAGES } from './language/specDetection';
import type { Log } from './log';

/** The setting naming a Parquet file whose columns the server offers as branch names. */
const SAMPLE_FILE_SETTING = 'coffeaCasa.languageServer.sampleFile';

/** The sample file setting as an absolute path: `~` is the home folder, relative paths start at the first folder. */
function resolveSampleFile(
  setting: string,
  home: string,
  workspaceFolder: string | undefined,
): SampleFileParams['path'] {
  const trimmed = setting.trim();
  if (!trimmed) return null;
  const expanded = trimmed === '~' || /^~[/\\]/.test(trimmed) ? path.join(home, trimmed.slice(1)) : trimmed;
  if (path.isAbsolute(expanded)) return path.normalize(expanded);
  // Without a folder there is nothing to resolve against; the server then says it cannot read the path.
  return workspaceFolder ? path.resolve(workspaceFolder, expanded) : expanded;
}

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
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SAMPLE_FILE_SETTING)) void this.sendSampleFile();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.sendSampleFile()),
    );
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
    await this.sendSampleFile();
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

  /** Tells the server which sample file to take branch names from; it reads the file when completion needs it. */
  private async sendSampleFile(): Promise<void> {
    if (this.client?.state !== State.Running) return;
    const setting = vscode.workspace.getConfiguration().get<string>(SAMPLE_FILE_SETTING, '');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const params: SampleFileParams = {
      path: resolveSampleFile(setting, homedir(), folder?.scheme === 'file' ? folder.fsPath : undefined),
    };
    await this.client.sendNotification(SampleFileNotification, params);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    void this.client?.stop();
  }
}
