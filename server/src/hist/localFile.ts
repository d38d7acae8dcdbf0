import { open, type FileHandle } from 'node:fs/promises';
import { HistError, reason, throwIfAborted } from './errors';

/** The most bytes one read may ask for; a corrupt header can claim any length, and we must not allocate it. */
export const MAX_READ_BYTES = 512 * 1024 * 1024;

/**
 * A local file read by byte ranges, for both readers: hyparquet asks for slices and jsroot for blocks. Every range is
 * checked against the file's size first, so a truncated file or a header claiming gigabytes gives a clear error
 * instead of a huge allocation or a buffer of zeros.
 */
export class LocalFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Opens `path` for reading; the caller must `close()` it. */
  static async open(path: string, signal?: AbortSignal): Promise<LocalFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new HistError('notFound', `${path} does not exist.`);
      if (code === 'EISDIR') throw new HistError('io', `${path} is a folder, not a file.`);
      throw new HistError('io', `${path} cannot be opened (${reason(error)}).`);
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new HistError('io', `${path} is not a regular file.`);
      return new LocalFile(path, handle, stats.size, signal);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * The bytes [start, end); `what` names the structure being read, for the error message. With `into`, a buffer at
   * least that long, they are read into its beginning (a view of it is returned) instead of a new buffer.
   */
  async read(start: number, end: number, what: string, into?: Uint8Array): Promise<Uint8Array> {
    const length = this.checkRange(start, end, what);
    const bytes = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(bytes, filled, length - filled, start + filled);
      if (bytesRead === 0) throw new HistError('corrupt', `${this.path} became shorter while it was read.`);
      filled += bytesRead;
    }
    return bytes;
  }

  /** Checks that [start, end) is a range of this file one read may ask for, and gives its length. */
  checkRange(start: number, end: number, what: string): number {
    throwIfAborted(this.signal);
    const length = end - start;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 0 || length < 0) {
      throw new HistError('corrupt', `${this.path} is corrupt: its ${what} points at bytes ${start} to ${end}.`);
    }
    if (end > this.size) {
      throw new HistError(
        'corrupt',
        `${this.path} is truncated or corrupt: its ${what} needs bytes up to ${end}, but the file has only ${this.size}.`,
      );
    }
    if (length > MAX_READ_BYTES) {
      const mib = Math.round(length / 1024 ** 2);
      throw new HistError(
        'corrupt',
        `${this.path} is corrupt or too large: its ${what} claims ${mib} MiB in one piece.`,
      );
    }
    return length;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Opens `path`, runs `work` on it and closes it whatever happens. */
export async function withLocalFile<T>(
  path: string,
  signal: AbortSignal | undefined,
  work: (file: LocalFile) => Promise<T>,
): Promise<T> {
  const file = await LocalFile.open(path, signal);
  try {
    return await work(file);
  } finally {
    await file.close();
  }
}
