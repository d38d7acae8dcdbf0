import { open, stat, type FileHandle } from 'node:fs/promises';
import { extname, isAbsolute } from 'node:path';
import type { AsyncBuffer } from 'hyparquet' with { 'resolution-mode': 'import' };

// Branch names for completion after `e.` come from a local sample file, typically a previous ServiceX result. Sample
// files can be gigabytes, so only the Parquet footer is read, through a file handle, and the result is cached until
// the file's modification time changes.

/** How much of the file's tail is read first; the footer of a file with a few thousand columns fits. */
const FOOTER_FETCH_BYTES = 64 * 1024;
/** The most bytes one read may ask for; a corrupt footer can claim any metadata length. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/** What reading a sample file gave: its top-level column names, or why it gave none (one line for the log). */
export interface BranchNamesResult {
  readonly names: readonly string[];
  readonly problem?: string;
}

/** Observes each byte range read from a sample file; the tests use it to check that only the footer is read. */
export type ReadObserver = (start: number, end: number) => void;

/** Reads the branch names offered for a sample file: the top-level columns of a Parquet file, nothing otherwise. */
export async function readBranchNames(path: string, onRead?: ReadObserver): Promise<BranchNamesResult> {
  const none = (problem: string): BranchNamesResult => ({ names: [], problem: `Sample file ${path}: ${problem}` });
  const extension = extname(path).toLowerCase();
  if (extension === '.root') {
    return none(
      'ROOT sample files are not read yet; they will be once the ROOT reader lands. ' +
        'Use a Parquet file (e.g. a ServiceX result) to get branch names in the meantime.',
    );
  }
  if (extension !== '.parquet') return none('only Parquet files (.parquet) are read for branch names.');
  if (!isAbsolute(path)) return none('the path is not absolute, so it cannot be read.');
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return none(`it cannot be opened (${reason(error)}).`);
  }
  try {
    const { size } = await handle.stat();
    const names = await parquetBranchNames(fileBuffer(handle, size, onRead));
    return { names };
  } catch (error) {
    return none(`it is not a readable Parquet file; it may be truncated or corrupt (${reason(error)}).`);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The top-level column names of the Parquet file in `file`, from its footer alone. */
export async function parquetBranchNames(file: AsyncBuffer): Promise<string[]> {
  // hyparquet is ESM only; the server is CommonJS, and the import also keeps it off the start-up path.
  const { parquetMetadataAsync, parquetSchema } = await import('hyparquet');
  const metadata = await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES });
  // A jagged column written by awkward is `Muon_pt.list.element` in the file; the query reads it as `e.Muon_pt`.
  return parquetSchema(metadata).children.map((child) => child.element.name);
}

/** An async buffer over an open file that reads only the ranges asked for. */
function fileBuffer(handle: FileHandle, size: number, onRead?: ReadObserver): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const length = Math.max(0, end - start);
      if (length > MAX_READ_BYTES) {
        const limit = MAX_READ_BYTES / 1024 ** 2;
        throw new Error(`its footer asks for a ${length}-byte read of metadata, more than the ${limit} MiB allowed`);
      }
      onRead?.(start, start + length);
      const bytes = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      // A file that shrank meanwhile gives a short buffer, which the footer check then rejects.
      return filled === length ? bytes.buffer : bytes.buffer.slice(0, filled);
    },
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where the sample file's branch names report what they did: the server's console. */
export interface BranchLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The branch names of the configured sample file, read on first use and again only when the file's modification time
 * or size changes. `names()` is synchronous for the language service; `refresh()` brings it up to date.
 */
export class SampleFileBranches {
  private path: string | null = null;
  private cached: { readonly key: string; readonly names: readonly string[] } | undefined;
  private loading: { readonly key: string; readonly done: Promise<void> } | undefined;

  constructor(
    private readonly log: BranchLog,
    private readonly read: (path: string) => Promise<BranchNamesResult> = readBranchNames,
  ) {}

  /** Sets the sample file (an absolute path) or clears it; nothing is read until `refresh()`. */
  setPath(path: string | null): void {
    if (path === this.path) return;
    this.path = path;
    this.cached = undefined;
    if (path === null) this.log.info('No sample file is set; no branch names are offered.');
  }

  /** The branch names of the sample file as last read, or undefined when there is none. */
  names(): readonly string[] | undefined {
    return this.cached && this.cached.key.startsWith(`${this.path}\0`) ? this.cached.names : undefined;
  }

  /** Reads the sample file if it is new or changed since it was last read; never rejects. */
  async refresh(): Promise<void> {
    const path = this.path;
    if (path === null) return;
    let key: string;
    try {
      const { mtimeMs, size } = await stat(path);
      key = `${path}\0${mtimeMs}\0${size}`;
    } catch (error) {
      if (this.path !== path) return;
      // A missing file is reported once per path, and read again once it appears.
      key = `${path}\0missing`;
      if (this.cached?.key !== key) {
        this.log.warn(`Sample file ${path}: it cannot be found (${reason(error)}); no branch names are offered.`);
        this.cached = { key, names: [] };
      }
      return;
    }
    if (this.cached?.key === key || this.path !== path) return;
    if (this.loading?.key !== key) this.loading = { key, done: this.load(path, key) };
    await this.loading.done;
  }

  private async load(path: string, key: string): Promise<void> {
    let result: BranchNamesResult;
    try {
      result = await this.read(path);
    } catch (error) {
      result = { names: [], problem: `Sample file ${path}: reading it failed (${reason(error)}).` };
    }
    // A read overtaken by a newer one (the file changed while it was read) or by a new setting is dropped.
    if (this.loading?.key !== key || this.path !== path) return;
    this.loading = undefined;
    this.cached = { key, names: result.names };
    if (result.problem) this.log.warn(`${result.problem} No branch names are offered.`);
    else this.log.info(`Sample file ${path}: offering ${result.names.length} branch names after \`e.\`.`);
  }
}
