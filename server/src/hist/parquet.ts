import type { AsyncBuffer, Compressors, FileMetaData, SchemaTree } from 'hyparquet' with {
  'resolution-mode': 'import',
};
import { flattenRows, type ColumnChunk, type ColumnSource, type ReadProgress } from './chunk';
import { HistError, reason, throwIfAborted } from './errors';
import { MAX_READ_BYTES, type LocalFile } from './localFile';

/** One top-level column of a Parquet file, as the custom editor lists it. */
export interface ParquetColumnInfo {
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
  const [lib, extra] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  return { lib, compressors: guarded(extra.compressors) };
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

/** The rows, row groups and top-level columns of a Parquet file, from its footer alone. */
export async function listParquetColumns(file: LocalFile): Promise<ParquetInfo> {
  const metadata = await metadataOf(file);
  const { lib } = await hyparquet();
  const rows = Number(metadata.num_rows);
  const columns = lib.parquetSchema(metadata).children.map((child) => describe(child, rows));
  return { rows, rowGroups: metadata.row_groups.length, columns };
}

function describe(column: SchemaTree, rows: number): ParquetColumnInfo {
  let leaf = column;
  let jagged = false;
  while (leaf.children.length === 1) {
    if (leaf.element.repetition_type === 'REPEATED' || leaf.element.converted_type === 'LIST') jagged = true;
    leaf = leaf.children[0];
  }
  if (leaf.element.repetition_type === 'REPEATED') jagged = true;
  const physicalType = leaf.children.length > 1 ? 'STRUCT' : (leaf.element.type ?? 'GROUP');
  const logical = leaf.element.logical_type?.type ?? leaf.element.converted_type;
  const base = { name: column.element.name, physicalType, jagged, rows };
  return logical ? { ...base, logicalType: logical } : base;
}

/**
 * Reads `columns` of a Parquet file row group by row group, so only one row group's values are in memory at a time;
 * list columns are flattened as `ak.flatten` does.
 */
export async function parquetColumns(
  file: LocalFile,
  columns: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ColumnSource> {
  const metadata = await metadataOf(file);
  const { lib, compressors } = await hyparquet();
  const names = lib.parquetSchema(metadata).children.map((child) => child.element.name);
  for (const column of columns) {
    if (!names.includes(column)) {
      const known = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
      throw new HistError('notFound', `${file.path} has no column "${column}". Its columns are: ${known}.`);
    }
  }
  const totalRows = Number(metadata.num_rows);
  async function read(onChunks: (chunks: readonly ColumnChunk[]) => void, onProgress?: ReadProgress): Promise<void> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      throwIfAborted(signal);
      const rowEnd = rowStart + Number(group.num_rows);
      const decoded = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
      try {
        await lib.parquetRead({
          file: asyncBuffer(file, 'column chunk'),
          metadata,
          columns: [...columns],
          rowStart,
          rowEnd,
          compressors,
          onChunk: (chunk) => {
            const list = decoded.get(chunk.columnName) ?? [];
            list.push({ rowStart: chunk.rowStart, data: chunk.columnData as ArrayLike<unknown> });
            decoded.set(chunk.columnName, list);
          },
        });
      } catch (error) {
        if (error instanceof HistError) throw error;
        throw new HistError(
          'corrupt',
          `${file.path} could not be decoded in rows ${rowStart}–${rowEnd}; it may be corrupt (${reason(error)}).`,
        );
      }
      onChunks(columns.map((column) => flattenRows(rowsOf(decoded.get(column) ?? [], rowStart, rowEnd), column)));
      rowStart = rowEnd;
      onProgress?.(rowStart, totalRows);
    }
  }
  return { totalRows, read, knownRange: (column) => statisticsRange(metadata, column) };
}

/**
 * The range of a column from the footer's statistics, when every row group has exact, finite ones: then the
 * automatic range needs no pass over the data. Writers leave NaN out of statistics, as the first pass does.
 */
function statisticsRange(metadata: FileMetaData, column: string): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const group of metadata.row_groups) {
    // A record column has several leaves, and its values are refused later anyway.
    const leaves = group.columns.filter((c) => c.meta_data?.path_in_schema[0] === column);
    const stats = leaves.length === 1 ? leaves[0].meta_data?.statistics : undefined;
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

/** The rows [start, end) out of decoded pieces, which may start earlier or end later than asked. */
function rowsOf(
  pieces: readonly { rowStart: number; data: ArrayLike<unknown> }[],
  start: number,
  end: number,
): ArrayLike<unknown> {
  const sorted = [...pieces].sort((a, b) => a.rowStart - b.rowStart);
  if (sorted.length === 1 && sorted[0].rowStart === start && sorted[0].data.length === end - start)
    return sorted[0].data;
  const rows: unknown[] = [];
  for (const piece of sorted) {
    for (let i = 0; i < piece.data.length; i++) {
      const row = piece.rowStart + i;
      if (row >= start && row < end && row === start + rows.length) rows.push(piece.data[i]);
    }
  }
  return rows;
}
