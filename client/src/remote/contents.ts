import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { redact } from '../facility/urls';

// Plain TypeScript over the Jupyter Contents REST API (`/api/contents`), sent through the services library's
// `makeRequest` so that the token travels in a header. The library's ContentsManager takes no AbortSignal, so the
// calls are made here. Expected failures come back as values; the VS Code provider turns them into FileSystemErrors.

/** Why a Contents API call failed, in the terms a file system needs. */
export type ContentsFailureKind =
  | 'notFound'
  | 'exists'
  | 'noPermissions'
  | 'isDirectory'
  | 'notDirectory'
  | 'tooLarge'
  | 'unavailable'
  | 'cancelled'
  | 'failed';

export interface ContentsFailure {
  readonly kind: ContentsFailureKind;
  /** A sentence for the user; never contains a token. */
  readonly message: string;
}

export type ContentsResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContentsFailure };

/** What the server says about one file or directory. */
export interface ContentsEntry {
  readonly name: string;
  readonly path: string;
  readonly type: 'file' | 'directory' | 'notebook';
  /** Bytes for files; 0 for directories. */
  readonly size: number;
  readonly mtime: number;
  readonly ctime: number;
  readonly writable: boolean;
}

export interface ContentsLimits {
  /** Files larger than this are refused on read, because the Contents API sends a file whole in one JSON body. */
  readonly maxReadBytes: number;
  /** Uploads larger than this go in chunks, which keeps each request well under the server's body limit. */
  readonly chunkThreshold: number;
  readonly chunkBytes: number;
}

const MiB = 1024 * 1024;

/** The limits used unless a caller (a test) asks for others. */
export const DEFAULT_LIMITS: ContentsLimits = {
  maxReadBytes: 100 * MiB,
  chunkThreshold: 10 * MiB,
  chunkBytes: 4 * MiB,
};

/** What a write may do, as in VS Code's `writeFile` options. */
export interface WriteFlags {
  readonly create: boolean;
  readonly overwrite: boolean;
}

interface RawModel {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'notebook';
  size?: number | null;
  last_modified?: string;
  created?: string;
  writable?: boolean;
  format?: string | null;
  content?: unknown;
}

const ok = <T>(value: T): ContentsResult<T> => ({ ok: true, value });
const fail = <T = never>(kind: ContentsFailureKind, message: string): ContentsResult<T> => ({
  ok: false,
  error: { kind, message },
});

function entryOf(model: RawModel): ContentsEntry {
  return {
    name: model.name,
    path: model.path,
    type: model.type,
    size: model.type === 'directory' ? 0 : (model.size ?? 0),
    mtime: Date.parse(model.last_modified ?? '') || 0,
    ctime: Date.parse(model.created ?? '') || 0,
    writable: model.writable ?? true,
  };
}

/** Decodes bytes as UTF-8 only when they round-trip exactly, so that the text format never changes a file. */
function asExactText(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return Buffer.byteLength(text) === bytes.byteLength ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The name of the sibling a save or a replace uses, unlikely to collide with the user's files. It cannot be a hidden
 * dot-file, because Jupyter servers refuse to create those unless `allow_hidden` is set.
 */
function siblingName(path: string, purpose: 'tmp' | 'old'): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${path}~coffea-casa-${random}.${purpose}`;
}

/** A client for the files of one Jupyter server; paths are relative to the server's root, without a leading slash. */
export class ContentsClient {
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly limits: ContentsLimits = DEFAULT_LIMITS,
  ) {}

  /** The entry at a path, without its content. */
  async stat(path: string, signal?: AbortSignal): Promise<ContentsResult<ContentsEntry>> {
    const model = await this.request<RawModel>(path, 'GET', undefined, signal, { content: '0' });
    return model.ok ? ok(entryOf(model.value)) : model;
  }

  /** The entries of a directory. */
  async list(path: string, signal?: AbortSignal): Promise<ContentsResult<ContentsEntry[]>> {
    const model = await this.request<RawModel>(path, 'GET', undefined, signal, { content: '1' });
    if (!model.ok) return model;
    if (model.value.type !== 'directory') return fail('notDirectory', `${path} is not a directory.`);
    return ok(((model.value.content as RawModel[] | null) ?? []).map(entryOf));
  }

  /** The bytes of a file, asked for as base64 so that any content comes back exactly. */
  async read(path: string, signal?: AbortSignal): Promise<ContentsResult<Uint8Array>> {
    const entry = await this.stat(path, signal);
    if (!entry.ok) return entry;
    if (entry.value.type === 'directory') return fail('isDirectory', `${path} is a directory.`);
    if (entry.value.size > this.limits.maxReadBytes) {
      const mib = (n: number) => (n >= MiB ? `${Math.round(n / MiB)} MiB` : `${n} bytes`);
      return fail(
        'tooLarge',
        `${path} is ${mib(entry.value.size)}, over the ${mib(this.limits.maxReadBytes)} that can be opened remotely; ` +
          'the Jupyter Contents API sends whole files. Open a terminal on the server to work with it.',
      );
    }
    const query = { content: '1', type: 'file', format: 'base64' };
    const model = await this.request<RawModel>(path, 'GET', undefined, signal, query);
    if (!model.ok) return model;
    // Python's base64 encoder puts a newline every 76 characters; Buffer's decoder skips them.
    const content = typeof model.value.content === 'string' ? model.value.content : '';
    return ok(new Uint8Array(Buffer.from(content, 'base64')));
  }

  /** Creates a directory whose parent exists; fails when anything is already there. */
  async createDirectory(path: string, signal?: AbortSignal): Promise<ContentsResult<ContentsEntry>> {
    const existing = await this.stat(path, signal);
    if (existing.ok) return fail('exists', `${path} already exists.`);
    if (existing.error.kind !== 'notFound') return existing;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const parentEntry = await this.stat(parent, signal);
    if (!parentEntry.ok) return parentEntry;
    const model = await this.request<RawModel>(path, 'PUT', { type: 'directory' }, signal);
    return model.ok ? ok(entryOf(model.value)) : model;
  }

  /**
   * Writes a file so that a failure at any point leaves the old content in place: the bytes go to a hidden sibling
   * first, which then replaces the file. Saving straight onto the file would truncate it with the first chunk of a
   * large upload, and a connection lost after that would leave half a file.
   */
  async write(
    path: string,
    bytes: Uint8Array,
    flags: WriteFlags,
    signal?: AbortSignal,
  ): Promise<ContentsResult<ContentsEntry>> {
    const existing = await this.stat(path, signal);
    if (existing.ok) {
      if (existing.value.type === 'directory') return fail('isDirectory', `${path} is a directory.`);
      if (!flags.overwrite) return fail('exists', `${path} already exists.`);
    } else if (existing.error.kind !== 'notFound') {
      return existing;
    } else if (!flags.create) {
      return existing;
    }
    const temporary = siblingName(path, 'tmp');
    const uploaded = await this.upload(temporary, bytes, signal);
    const placed = uploaded.ok ? await this.replace(temporary, path, signal) : uploaded;
    if (!placed.ok) {
      // The temporary file is removed even when the caller gave up, so no signal is passed.
      await this.request(temporary, 'DELETE');
      return placed;
    }
    return this.stat(path, signal);
  }

  /** Renames a file or directory; with `overwrite`, whatever is at the new path is replaced. */
  async rename(
    from: string,
    to: string,
    overwrite: boolean,
    signal?: AbortSignal,
  ): Promise<ContentsResult<ContentsEntry>> {
    const source = await this.stat(from, signal);
    if (!source.ok) return source;
    const target = await this.stat(to, signal);
    if (target.ok && !overwrite) return fail('exists', `${to} already exists.`);
    const moved = await this.replace(from, to, signal);
    return moved.ok ? this.stat(to, signal) : moved;
  }

  /** Deletes a file, or a directory with everything in it when `recursive` (the server deletes empty ones only). */
  async delete(path: string, recursive: boolean, signal?: AbortSignal): Promise<ContentsResult<void>> {
    if (recursive) {
      const entry = await this.stat(path, signal);
      if (!entry.ok) return entry;
      if (entry.value.type === 'directory') {
        const children = await this.list(path, signal);
        if (!children.ok) return children;
        for (const child of children.value) {
          const deleted = await this.delete(child.path, true, signal);
          if (!deleted.ok) return deleted;
        }
      }
    }
    const deleted = await this.request(path, 'DELETE', undefined, signal);
    return deleted.ok ? ok(undefined) : deleted;
  }

  /**
   * Moves `from` onto `to`. The server refuses to rename onto an existing path (409), so an existing `to` is first
   * moved aside and only deleted once `from` is in its place; if that step fails, it is moved back.
   */
  private async replace(from: string, to: string, signal?: AbortSignal): Promise<ContentsResult<void>> {
    const target = await this.stat(to, signal);
    if (!target.ok && target.error.kind !== 'notFound') return target;
    const aside = target.ok ? siblingName(to, 'old') : undefined;
    if (aside) {
      const movedAside = await this.request(to, 'PATCH', { path: aside }, signal);
      if (!movedAside.ok) return movedAside;
    }
    const moved = await this.request(from, 'PATCH', { path: to }, signal);
    if (!moved.ok) {
      if (aside) await this.request(aside, 'PATCH', { path: to });
      return moved;
    }
    if (aside) await this.delete(aside, true);
    return ok(undefined);
  }

  /** Saves bytes to a new path, in chunks above the threshold when the server appends them (Notebook ≥ 5.5). */
  private async upload(path: string, bytes: Uint8Array, signal?: AbortSignal): Promise<ContentsResult<void>> {
    const whole = async (): Promise<ContentsResult<void>> => {
      const text = asExactText(bytes);
      const body =
        text !== undefined ? { format: 'text', content: text } : { format: 'base64', content: base64(bytes) };
      const saved = await this.request(path, 'PUT', { type: 'file', ...body }, signal);
      return saved.ok ? ok(undefined) : saved;
    };
    if (bytes.byteLength <= this.limits.chunkThreshold) return whole();
    const size = this.limits.chunkBytes;
    for (let offset = 0, chunk = 1; offset < bytes.byteLength; offset += size, chunk++) {
      const end = Math.min(offset + size, bytes.byteLength);
      // Chunks are cut at byte offsets, which may split a UTF-8 character, so they always travel as base64.
      const body = { type: 'file', format: 'base64', content: base64(bytes.subarray(offset, end)) };
      const saved = await this.request<RawModel>(
        path,
        'PUT',
        { ...body, chunk: end === bytes.byteLength ? -1 : chunk },
        signal,
      );
      if (!saved.ok) return saved;
      // A server without chunk support ignores the field and overwrites each time; the size it reports tells.
      if (chunk === 2 && saved.value.size !== end) return whole();
    }
    return ok(undefined);
  }

  /** One Contents API request; the failure is classified by what it means for a file system. */
  private async request<T = unknown>(
    path: string,
    method: 'GET' | 'PUT' | 'PATCH' | 'DELETE',
    body?: object,
    signal?: AbortSignal,
    query?: Record<string, string>,
  ): Promise<ContentsResult<T>> {
    const parts = path.split('/').filter((p) => p !== '');
    let url = URLExt.join(this.settings.baseUrl, 'api/contents', ...parts.map(encodeURIComponent));
    if (query) url += URLExt.objectToQueryString(query);
    const init: RequestInit = { method, signal };
    if (body) init.body = JSON.stringify(body);
    try {
      const response = await ServerConnection.makeRequest(url, init, this.settings);
      if (!response.ok) return failureOf(response.status, await reason(response), path);
      if (response.status === 204) return ok(undefined as T);
      return ok((await response.json()) as T);
    } catch (error) {
      if (signal?.aborted) return fail('cancelled', 'The request was cancelled.');
      // An HTML page instead of JSON is what a login redirect looks like.
      if (error instanceof SyntaxError)
        return fail('noPermissions', 'The server answered with a page instead of JSON; the sign-in may have expired.');
      const detail = error instanceof Error ? error.message : String(error);
      return fail('unavailable', redact(`The server could not be reached (${detail}).`));
    }
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The server's own explanation (Notebook and jupyter_server answer `{"message": …}`), if any. */
async function reason(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : '';
  } catch {
    return '';
  }
}

function failureOf<T>(status: number, reason: string, path: string): ContentsResult<T> {
  const detail = redact(reason ? `: ${reason}` : '');
  if (status === 404) return fail('notFound', `${path || 'The server root'} does not exist${detail}.`);
  if (status === 409) return fail('exists', `${path} already exists${detail}.`);
  if (status === 401 || status === 403)
    return fail('noPermissions', `The server refused access (HTTP ${status})${detail}.`);
  // JupyterHub answers 424 (503 before hub 2.0) for a request to a server that is not running.
  if (status === 424 || status === 503)
    return fail('unavailable', `The Jupyter server is not running (HTTP ${status}); start it from the Sessions view.`);
  return fail('failed', `The server answered HTTP ${status} for ${path || 'the server root'}${detail}.`);
}
