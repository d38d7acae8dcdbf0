import type { AsyncBuffer, ColumnMetaData, Compressors, FileMetaData } from 'hyparquet' with {
  'resolution-mode': 'import',
};
import type { ColumnChunk, ColumnSource, ReadProgress } from './chunk';
import { HistError, reason, throwIfAborted } from './errors';
import { MAX_READ_BYTES, type LocalFile } from './localFile';
import { findLeaf, parquetLeaves, type ParquetLeaf } from './parquetLeaves';
import { LeafReader, loadPageDecoders } from './parquetPages';

/** One binnable column of a Parquet file, as the custom editor lists it. */
export interface ParquetColumnInfo {
  /** The column's name, or a record field's dotted path (`Muon.pt`). */
  readonly name: string;
  /** The leaf's physical type (DOUBLE, INT64, BYTE_ARRAY, …). */
  readonly physicalType: string;
  /** The logical or converted type (STRING, TIMESTAMP, …), when the file gives one. */
  readonly logicalType?: string;
  /** True for a list column (one list per row, flattened when binned). */
  readonly jagged: boolean;
  readonly rows: number;
}

export interface ParquetInfo {
  readonly rows: number;
  readonly rowGroups: number;
  readonly columns: readonly ParquetColumnInfo[];
}

/** hyparquet and its decompressors are ES modules and the server is CommonJS, so both come in through import(). */
async function loadHyparquet() {
  const [lib, extra, decoders] = await Promise.all([
    import('hyparquet'),
    import('hyparquet-compressors'),
    loadPageDecoders(),
  ]);
  return { lib, compressors: guarded(extra.compressors), decoders };
}

/**
 * Every decompressor behind a check of the size the page header claims, which is allocated before anything is
 * decompressed: a corrupt header claiming gigabytes gives a clear error instead of a huge allocation.
 */
function guarded(compressors: Compressors): Compressors {
  const out: Compressors = {};
  for (const [codec, decompress] of Object.entries(compressors) as [
    keyof Compressors,
    Compressors[keyof Compressors],
  ][]) {
    if (!decompress) continue;
    out[codec] = (input, outputLength) => {
      if (outputLength > MAX_READ_BYTES) {
        const mib = Math.round(outputLength / 1024 ** 2);
        throw new Error(`a ${codec} page claims ${mib} MiB once decompressed, more than any real page`);
      }
      return decompress(input, outputLength);
    };
  }
  return out;
}

let loaded: ReturnType<typeof loadHyparquet> | undefined;

function hyparquet(): ReturnType<typeof loadHyparquet> {
  loaded ??= loadHyparquet();
  return loaded;
}

/** `what` names what hyparquet is reading, for the message when the file cannot hold it. */
function asyncBuffer(file: LocalFile, what: string): AsyncBuffer {
  return {
    byteLength: file.size,
    slice: async (start: number, end = file.size) => {
      const bytes = await file.read(start, end, what);
      return bytes.buffer as ArrayBuffer;
    },
  };
}

async function metadataOf(file: LocalFile): Promise<FileMetaData> {
  const { lib } = await hyparquet();
  try {
    return await lib.parquetMetadataAsync(asyncBuffer(file, 'Parquet footer'));
  } catch (error) {
    if (error instanceof HistError) throw error;
    throw new HistError(
      'corrupt',
      `${file.path} is not a readable Parquet file; it may be truncated or corrupt (${reason(error)}).`,
    );
  }
}

/** The rows, row groups and binnable columns (schema leaves, dotted for record fields) of a Parquet file. */
export async function listParquetColumns(file: LocalFile): Promise<ParquetInfo> {
  const metadata = await metadataOf(file);
  const { lib } = await hyparquet();
  const rows = Number(metadata.num_rows);
  const columns = parquetLeaves(lib.parquetSchema(metadata)).map((leaf) => describe(leaf, rows));
  return { rows, rowGroups: metadata.row_groups.length, columns };
}

function describe(leaf: ParquetLeaf, rows: number): ParquetColumnInfo {
  const { element } = leaf.schemaPath[leaf.schemaPath.length - 1];
  const logical = element.logical_type?.type ?? element.converted_type;
  const base = { name: leaf.name, physicalType: element.type ?? 'GROUP', jagged: leaf.jagged, rows };
  return logical ? { ...base, logicalType: logical } : base;
}

/**
 * Reads `columns` of a Parquet file row group by row group, page by page, so only one row group's values are in
 * memory at a time, as doubles in buffers reused from one row group to the next; list columns are flattened as
 * `ak.flatten` does. A record's fields are named with dots (`Muon.pt`).
 */
export async function parquetColumns(
  file: LocalFile,
  columns: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ColumnSource> {
  const metadata = await metadataOf(file);
  const { lib, compressors, decoders } = await hyparquet();
  const leaves = parquetLeaves(lib.parquetSchema(metadata));
  const chosen = columns.map((column) => {
    const found = findLeaf(leaves, column, file.path);
    if ('problem' in found) throw new HistError('notFound', found.problem);
    return found;
  });
  const totalRows = Number(metadata.num_rows);
  async function read(onChunks: (chunks: readonly ColumnChunk[]) => void, onProgress?: ReadProgress): Promise<void> {
    const readers = chosen.map((leaf) => new LeafReader(file, leaf, decoders, compressors));
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      throwIfAborted(signal);
      const rows = Number(group.num_rows);
      const chunks: ColumnChunk[] = [];
      for (let i = 0; i < chosen.length; i++) {
        const meta = columnChunkOf(group.columns, chosen[i], file.path, rowStart);
        chunks.push(await readers[i].read(meta, rows, rowStart));
      }
      onChunks(chunks);
      rowStart += rows;
      onProgress?.(rowStart, totalRows);
    }
  }
  return { totalRows, read, knownRange: (column) => statisticsRange(metadata, leaves, column) };
}

/** The metadata of a leaf's chunk in a row group. */
function columnChunkOf(
  chunks: FileMetaData['row_groups'][number]['columns'],
  leaf: ParquetLeaf,
  path: string,
  rowStart: number,
): ColumnMetaData {
  const chunk = chunks.find((c) => samePath(c.meta_data?.path_in_schema, leaf.path));
  if (!chunk?.meta_data)
    throw new HistError('corrupt', `${path} has no data for column ${leaf.name} in the row group at row ${rowStart}.`);
  if (chunk.file_path)
    throw new HistError('unsupported', `${path} keeps column ${leaf.name} in another file (${chunk.file_path}).`);
  return chunk.meta_data;
}

function samePath(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((part, i) => part === b[i]);
}

/**
 * The range of a column from the footer's statistics, when every row group has exact, finite ones: then the
 * automatic range needs no pass over the data. Writers leave NaN out of statistics, as the first pass does.
 */
function statisticsRange(
  metadata: FileMetaData,
  leaves: readonly ParquetLeaf[],
  column: string,
): [number, number] | undefined {
  const leaf = findLeaf(leaves, column, '');
  if ('problem' in leaf) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const group of metadata.row_groups) {
    const stats = group.columns.find((c) => samePath(c.meta_data?.path_in_schema, leaf.path))?.meta_data?.statistics;
    if (!stats || stats.is_min_value_exact === false || stats.is_max_value_exact === false) return undefined;
    const low = toNumber(stats.min_value ?? stats.min);
    const high = toNumber(stats.max_value ?? stats.max);
    if (low === undefined || high === undefined) return undefined;
    min = Math.min(min, low);
    max = Math.max(max, high);
  }
  return min <= max ? [min, max] : undefined;
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
