import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver/node';

/** Deadlines, not sleeps: each ends as soon as the server answers or exits. */
const SHUTDOWN_GRACE_MS = 2_000;
const KILL_DEADLINE_MS = 3_000;

/** One language server over stdio, with a way to wait for the next diagnostics of a document. */
export class BenchLspClient {
  private readonly waiters = new Map<string, ((count: number) => void)[]>();
  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(
    command: string[],
    options: { configuration?: (section: string) => unknown; initializationOptions?: unknown } = {},
  ): Promise<{ client: BenchLspClient; initializeMs: number }> {
    const started = performance.now();
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new BenchLspClient(child, connection);
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: unknown[] }) => {
      const waiting = client.waiters.get(params.uri) ?? [];
      client.waiters.delete(params.uri);
      for (const resolve of waiting) resolve(params.diagnostics.length);
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => options.configuration?.(item.section ?? '') ?? null),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification(() => undefined);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: {}, synchronization: { didSave: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return { client, initializeMs: performance.now() - started };
  }

  /** Resolves with the number of diagnostics in the next publish for `uri`. */
  nextDiagnostics(uri: string, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push((count) => {
        clearTimeout(timer);
        resolve(count);
      });
      this.waiters.set(uri, list);
    });
  }

  /** Resident memory of the server process, from /proc. */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb * 1024;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      // A server that does not answer shutdown is not waited for: the exit notification and the kill below follow.
      await Promise.race([
        this.connection.sendRequest('shutdown'),
        new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS)),
      ]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    setTimeout(() => this.child.kill('SIGKILL'), KILL_DEADLINE_MS).unref();
    await exited;
    this.connection.dispose();
  }
}
