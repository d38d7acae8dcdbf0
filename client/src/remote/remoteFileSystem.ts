import * as vscode from 'vscode';
import type { Connections, FacilitySession } from '../connection/connections';
import type { HubServer } from '../facility/hub';
import type { Log } from '../log';
import type { ContentsClient, ContentsEntry, ContentsFailure, ContentsResult } from './contents';

/** The URI scheme of files on hub servers: `coffea-casa://<facility>/<server>/<path>`. */
export const REMOTE_SCHEME = 'coffea-casa';

/** How the default server is written in a URI; `default` is read too, unless the user has a server of that name. */
const DEFAULT_SERVER_SEGMENT = '~';

/** The URI of a path on a hub server; `server` is "" for the default server. */
export function remoteUri(facility: string, server: string, path = ''): vscode.Uri {
  const segments = path.split('/').filter((p) => p !== '');
  const serverSegment = server === '' ? DEFAULT_SERVER_SEGMENT : server;
  return vscode.Uri.from({
    scheme: REMOTE_SCHEME,
    authority: facility,
    path: `/${[serverSegment, ...segments].join('/')}`,
  });
}

interface Located {
  readonly client: ContentsClient;
  /** The path on the server, relative to its root. */
  readonly path: string;
  readonly signal: AbortSignal;
}

interface SessionAccess {
  readonly token: string;
  readonly signal: AbortSignal;
  readonly clients: Map<string, ContentsClient>;
}

function unavailable(message: string): vscode.FileSystemError {
  return vscode.FileSystemError.Unavailable(message);
}

/** Throws the FileSystemError VS Code expects for a failed Contents API call. */
function unwrap<T>(result: ContentsResult<T>, uri: vscode.Uri): T {
  if (result.ok) return result.value;
  throw errorOf(result.error, uri);
}

function errorOf(failure: ContentsFailure, uri: vscode.Uri): vscode.FileSystemError {
  switch (failure.kind) {
    case 'notFound':
      return vscode.FileSystemError.FileNotFound(uri);
    case 'exists':
      return vscode.FileSystemError.FileExists(uri);
    case 'isDirectory':
      return vscode.FileSystemError.FileIsADirectory(uri);
    case 'notDirectory':
      return vscode.FileSystemError.FileNotADirectory(uri);
    case 'noPermissions':
      return vscode.FileSystemError.NoPermissions(failure.message);
    case 'unavailable':
    case 'cancelled':
      return unavailable(failure.message);
    default:
      return new vscode.FileSystemError(failure.message);
  }
}

/**
 * The files of the user's running hub servers, through each server's Jupyter Contents API. Access to a facility
 * lasts as long as its session: the token is taken once per connection, and disconnecting forgets it.
 */
export class RemoteFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly access = new Map<string, Promise<SessionAccess | undefined>>();

  constructor(
    private readonly connections: Connections,
    private readonly log: Log,
  ) {}

  watch(): vscode.Disposable {
    // The Contents API has no change notifications; VS Code hears about our own changes through onDidChangeFile.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { client, path, signal } = await this.locate(uri);
    return statOf(unwrap(await client.stat(path, signal), uri));
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { client, path, signal } = await this.locate(uri);
    const entries = unwrap(await client.list(path, signal), uri);
    return entries.map((e) => [e.name, statOf(e).type]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { client, path, signal } = await this.locate(uri);
    return unwrap(await client.read(path, signal), uri);
  }

  async writeFile(
    uri: vscode.Uri,
    content: Uint8Array,
    options: { create: boolean; overwrite: boolean },
  ): Promise<void> {
    const { client, path, signal } = await this.locate(uri);
    const existed = (await client.stat(path, signal)).ok;
    unwrap(await client.write(path, content, options, signal), uri);
    this.fire(existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri);
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    const { client, path, signal } = await this.locate(uri);
    unwrap(await client.createDirectory(path, signal), uri);
    this.fire(vscode.FileChangeType.Created, uri);
  }

  async delete(uri: vscode.Uri, options: { recursive: boolean }): Promise<void> {
    const { client, path, signal } = await this.locate(uri);
    unwrap(await client.delete(path, options.recursive, signal), uri);
    this.fire(vscode.FileChangeType.Deleted, uri);
  }

  async rename(oldUri: vscode.Uri, newUri: vscode.Uri, options: { overwrite: boolean }): Promise<void> {
    const from = await this.locate(oldUri);
    const to = await this.locate(newUri);
    if (from.client !== to.client) {
      // VS Code falls back to copy and delete when a provider cannot rename between two places.
      throw vscode.FileSystemError.Unavailable('Files can only be renamed within one server.');
    }
    unwrap(await from.client.rename(from.path, to.path, options.overwrite, from.signal), newUri);
    this.fire(vscode.FileChangeType.Deleted, oldUri);
    this.fire(vscode.FileChangeType.Created, newUri);
  }

  dispose(): void {
    this.changed.dispose();
    this.access.clear();
  }

  private fire(type: vscode.FileChangeType, uri: vscode.Uri): void {
    this.changed.fire([{ type, uri }]);
  }

  /** The client of the server a URI names and the path on it; throws Unavailable when it cannot be reached. */
  private async locate(uri: vscode.Uri): Promise<Located> {
    const [serverSegment, ...rest] = uri.path.split('/').filter((p) => p !== '');
    // VS Code lower-cases the authority when it prints a URI, so facility names match without regard to case.
    const session = this.connections
      .sessions()
      .find((s) => s.profile.name.toLowerCase() === uri.authority.toLowerCase());
    if (!session) throw unavailable(`${uri.authority} is not connected; connect to it to see its files.`);
    const facility = session.profile.name;
    const server = serverSegment === undefined ? undefined : serverOf(session, serverSegment);
    if (!server) throw vscode.FileSystemError.FileNotFound(uri);
    const title = server.name === '' ? 'The default server' : `Server "${server.name}"`;
    if (!server.ready || !server.url) {
      throw unavailable(`${title} on ${facility} is not running; start it from the Sessions view to see its files.`);
    }
    const access = await this.sessionAccess(facility);
    if (!access) throw unavailable(`${facility} is not connected; connect to it to see its files.`);
    let client = access.clients.get(server.url);
    if (!client) {
      // The Jupyter client library is loaded on first use, so that activation stays fast.
      const { serverSettings } = await import('./jupyterConnection.js');
      const { ContentsClient } = await import('./contents.js');
      client = new ContentsClient(serverSettings(session.profile.hubUrl, server.url, access.token, session.profile));
      access.clients.set(server.url, client);
    }
    return { client, path: rest.join('/'), signal: access.signal };
  }

  /** The hub token and lifetime of a facility's session, asked for once per connection. */
  private sessionAccess(facility: string): Promise<SessionAccess | undefined> {
    let pending = this.access.get(facility);
    if (!pending) {
      pending = this.connections.act(facility, (opened, signal) => {
        signal.addEventListener('abort', () => this.access.delete(facility), { once: true });
        this.log.info(`${facility}: opening the files of its hub servers.`);
        return Promise.resolve({ token: opened.hubToken(), signal, clients: new Map<string, ContentsClient>() });
      });
      this.access.set(facility, pending);
      // A facility that was not connected is asked again next time.
      void pending.then((access) => access ?? this.access.delete(facility));
    }
    return pending;
  }
}

/** The server a URI's first segment names among the user's servers, per the hub's last answer. */
function serverOf(session: FacilitySession, segment: string): HubServer | undefined {
  const hub = session.snapshot?.hub;
  if (!hub?.ok || hub.value.identity.kind !== 'user') return undefined;
  const servers = hub.value.identity.servers;
  const named = servers.find((s) => s.name !== '' && s.name === segment);
  if (named) return named;
  return segment === DEFAULT_SERVER_SEGMENT || segment === 'default' ? servers.find((s) => s.name === '') : undefined;
}

function statOf(entry: ContentsEntry): vscode.FileStat {
  return {
    type: entry.type === 'directory' ? vscode.FileType.Directory : vscode.FileType.File,
    size: entry.size,
    mtime: entry.mtime,
    ctime: entry.ctime,
    permissions: entry.writable ? undefined : vscode.FilePermission.Readonly,
  };
}

/** Registers the provider for `coffea-casa:` URIs. */
export function registerRemoteFileSystem(connections: Connections, log: Log): vscode.Disposable {
  const provider = new RemoteFileSystem(connections, log);
  const registration = vscode.workspace.registerFileSystemProvider(REMOTE_SCHEME, provider, { isCaseSensitive: true });
  return vscode.Disposable.from(registration, provider);
}
