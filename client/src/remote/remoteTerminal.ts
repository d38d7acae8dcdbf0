import { TerminalAPI, TerminalManager, type ServerConnection, type Terminal } from '@jupyterlab/services';
import * as vscode from 'vscode';
import { describeJupyterFailure, terminalPresence } from './jupyterConnection';

/** How often a dropped connection is checked on, and how long to wait before each check, in milliseconds. */
const RECONNECT_CHECKS_MS = [1_000, 2_000, 4_000, 8_000, 16_000];

/** What a remote terminal connects to. */
export interface RemoteTerminalTarget {
  /** "alice's default server on coffea.casa", for the lines the terminal writes about itself. */
  readonly label: string;
  readonly settings: ServerConnection.ISettings;
  /** An existing terminal's name to reconnect to; a new terminal is started without one. */
  readonly name?: string;
  /** Aborts when the facility session ends, which ends the terminal too. */
  readonly signal: AbortSignal;
}

/** Terminal notices are dimmed and bracketed so that they cannot be mistaken for the shell's output. */
const notice = (text: string) => `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;

/**
 * A VS Code terminal backed by a Jupyter terminal on a user's server. The library reconnects a dropped socket; this
 * class bounds how long that may take, and asks the server whether the terminal or the server itself is gone, so that
 * the user gets a clear line and a closed terminal instead of a silent one. Nothing here throws into VS Code.
 */
export class RemoteTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  /** Everything the terminal shows, as VS Code receives it; the editor tests read the shell's output here. */
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  private manager?: TerminalManager;
  private connection?: Terminal.ITerminalConnection;
  private size?: vscode.TerminalDimensions;
  private readonly earlyInput: string[] = [];
  private connectedOnce = false;
  private reconnecting = false;
  private ended = false;
  private shutDown = false;
  /** Aborts the backoff waits of a reconnect check when the terminal ends. */
  private readonly lifetime = new AbortController();

  constructor(private readonly target: RemoteTerminalTarget) {
    target.signal.addEventListener('abort', this.onSessionEnded, { once: true });
  }

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    this.size = initialDimensions;
    void this.connect();
  }

  handleInput(data: string): void {
    if (this.ended) return;
    // Input typed while the terminal is being created waits here; while the socket (re)connects, the library queues it.
    if (this.connection) this.connection.send({ type: 'stdin', content: [data] });
    else this.earlyInput.push(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = dimensions;
    this.sendSize();
  }

  /** The user closed the terminal: its shell on the server is shut down too, so that nothing is left running. */
  close(): void {
    this.finish();
    // A terminal this one attached to was started elsewhere (JupyterLab, say): closing the view leaves its shell be;
    // the Sessions view's Shut Down Terminal ends it.
    if (this.target.name === undefined) this.shutDownRemote();
  }

  private async connect(): Promise<void> {
    const { label, settings, name } = this.target;
    this.write(`\x1b[2mConnecting to ${label}…\x1b[0m\r\n`);
    try {
      this.manager = new TerminalManager({ serverSettings: settings, standby: 'never' });
      // The manager's first poll of the running terminals fails with the same error that startNew reports.
      this.manager.ready.catch(() => undefined);
      const connection = name ? this.manager.connectTo({ model: { name } }) : await this.manager.startNew();
      this.connection = connection;
      if (this.ended) {
        // The user closed the terminal while it was starting.
        connection.dispose();
        this.shutDownRemote();
        return;
      }
      connection.messageReceived.connect((_, message) => {
        if (message.type === 'stdout' && typeof message.content?.[0] === 'string') this.write(message.content[0]);
      });
      connection.connectionStatusChanged.connect((_, status) => this.onStatus(status));
      this.sendSize();
      for (const data of this.earlyInput.splice(0)) connection.send({ type: 'stdin', content: [data] });
    } catch (error) {
      this.end(`Could not open a terminal on ${label}: ${describeJupyterFailure(error)}.`, 1);
    }
  }

  private sendSize(): void {
    if (this.ended || !this.size) return;
    // terminado's set_size is rows, columns, then the pixel height and width, which it does not need.
    this.connection?.send({ type: 'set_size', content: [this.size.rows, this.size.columns, 0, 0] });
  }

  private onStatus(status: Terminal.ConnectionStatus): void {
    if (this.ended) return;
    const { label } = this.target;
    if (status === 'connected' && !this.connectedOnce) {
      this.connectedOnce = true;
    } else if (status === 'connected' && this.reconnecting) {
      this.reconnecting = false;
      this.write(notice('Reconnected.'));
      this.sendSize();
    } else if (status === 'connecting' && !this.reconnecting) {
      this.reconnecting = true;
      this.write(notice(`Connection to ${label} lost; reconnecting…`));
      void this.watchReconnect();
    } else if (status === 'disconnected') {
      // The library disposes the connection itself when the shell exits (terminado's "disconnect") or when the
      // manager no longer sees the terminal on the server; otherwise it has given up reconnecting.
      if (this.connection?.isDisposed) void this.explainEnd();
      else
        this.end(`Could not ${this.connectedOnce ? 'reconnect' : 'connect'} to ${label}; the terminal is closed.`, 1);
    }
  }

  /** Bounds the library's reconnect attempts, and stops early when the server says there is nothing to go back to. */
  private async watchReconnect(): Promise<void> {
    const { label, settings } = this.target;
    const name = this.connection?.name;
    if (!name) return;
    for (const wait of RECONNECT_CHECKS_MS) {
      if (!(await this.pause(wait)) || !this.reconnecting) return;
      const presence = await terminalPresence(settings, name);
      if (this.ended || !this.reconnecting) return;
      if (presence === 'serverStopped') return this.end(`${label} has stopped; the terminal is closed.`, 1);
      if (presence === 'gone') return this.end(`The terminal no longer exists on ${label}.`, 1);
    }
    this.end(`Could not reconnect to ${label}; the terminal is closed.`, 1);
  }

  /** The connection ended without us: the shell exited (a normal end, like a local shell) or the server went away. */
  private async explainEnd(): Promise<void> {
    const { label, settings } = this.target;
    const presence = await terminalPresence(settings, this.connection?.name ?? '');
    if (presence === 'serverStopped') this.end(`${label} has stopped; the terminal is closed.`, 1);
    else this.end(`The shell on ${label} has exited.`, 0);
  }

  private readonly onSessionEnded = () => {
    this.end('Disconnected from the facility; the terminal is closed.', 1);
    // Ending the session is the user's choice, so the shell it started goes with it.
    this.shutDownRemote();
  };

  /** Deletes the terminal on the server, at most once; one that is already gone (404) or unreachable is left be. */
  private shutDownRemote(): void {
    const name = this.connection?.name;
    if (!name || this.shutDown) return;
    this.shutDown = true;
    TerminalAPI.shutdownTerminal(name, this.target.settings).catch(() => undefined);
  }

  /** Resolves true after `ms`, or false at once if the terminal ends first. */
  private pause(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const signal = this.lifetime.signal;
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve(true);
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  private write(text: string): void {
    if (!this.ended) this.written.fire(text);
  }

  /** Writes why the terminal ends and closes it; a non-zero code keeps the message on screen until a key is pressed. */
  private end(message: string, code: number): void {
    if (this.ended) return;
    this.write(notice(message));
    this.finish();
    this.closed.fire(code);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.lifetime.abort();
    this.target.signal.removeEventListener('abort', this.onSessionEnded);
    this.connection?.dispose();
    this.manager?.dispose();
  }
}
