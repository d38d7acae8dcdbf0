import { HistError } from './errors';

/**
 * One piece of a column as the engine bins it: the values of a range of rows (events), flattened as `ak.flatten`
 * does, and for a jagged column how many values each row had, so that a per-event weight can be spread over them.
 */
export interface ColumnChunk {
  readonly values: Float64Array;
  /** Values per row; absent when every row has exactly one value. */
  readonly rowLengths?: Uint32Array;
  /** Rows in this chunk. */
  readonly rows: number;
}

/** Progress of a reader: rows done out of rows in all. */
export type ReadProgress = (rowsDone: number, rowsTotal: number) => void;

/**
 * Several columns of one file read in step: `read` calls `onChunks` with one chunk per column, over the same rows,
 * until the columns end, and may be called again for a second pass.
 */
export interface ColumnSource {
  readonly totalRows: number;
  /** The finite minimum and maximum of a column when the file's metadata gives them exactly, saving a pass. */
  knownRange?(column: string): readonly [number, number] | undefined;
  read(onChunks: (chunks: readonly ColumnChunk[]) => void, onProgress?: ReadProgress): Promise<void>;
}

/**
 * Flattens decoded rows (numbers, bigints, booleans, dates, nulls, nested arrays) into a chunk; `column` names the
 * column in the error for values that are not numbers.
 */
export function flattenRows(rows: ArrayLike<unknown>, column: string): ColumnChunk {
  // The decoder's own array is used as it is when it already holds doubles: the engine only reads it.
  if (rows instanceof Float64Array) return { values: rows, rows: rows.length };
  if (isNumericArray(rows)) return { values: Float64Array.from(rows as ArrayLike<number>), rows: rows.length };
  // A nullable column without nulls comes as a plain array of numbers: copied in one loop, without the general walk.
  const plain = new Float64Array(rows.length);
  let i = 0;
  for (; i < rows.length; i++) {
    const value = rows[i];
    if (typeof value !== 'number') break;
    plain[i] = value;
  }
  if (i === rows.length) return { values: plain, rows: rows.length };
  const values: number[] = [];
  const rowLengths = new Uint32Array(rows.length);
  let jagged = false;
  for (let r = 0; r < rows.length; r++) {
    const before = values.length;
    pushFlat(rows[r], values, column);
    rowLengths[r] = values.length - before;
    if (rowLengths[r] !== 1) jagged = true;
  }
  const flat = Float64Array.from(values);
  return jagged ? { values: flat, rowLengths, rows: rows.length } : { values: flat, rows: rows.length };
}

/**
 * Entries gathered one at a time, as jsroot's selectors hand them over, and passed on as chunks: one per column,
 * flattened, over the same entries.
 */
export class EntryChunks {
  private readonly pending: unknown[][];
  /** Entries passed on so far. */
  rowsDone = 0;

  constructor(
    private readonly names: readonly string[],
    private readonly onChunks: (chunks: readonly ColumnChunk[]) => void,
  ) {
    this.pending = names.map(() => []);
  }

  /** Adds the current entry's value of column `column` (by index). */
  push(column: number, value: unknown): void {
    this.pending[column].push(value);
  }

  /** Entries gathered and not yet passed on. */
  get size(): number {
    return this.pending[0].length;
  }

  /** Passes on what has been gathered, if anything. */
  flush(): void {
    if (this.size === 0) return;
    const chunks = this.pending.map((rows, i) => flattenRows(rows, this.names[i]));
    this.rowsDone += this.size;
    for (const rows of this.pending) rows.length = 0;
    this.onChunks(chunks);
  }
}

function isNumericArray(rows: ArrayLike<unknown>): boolean {
  return (
    rows instanceof Float64Array ||
    rows instanceof Float32Array ||
    rows instanceof Int32Array ||
    rows instanceof Uint32Array ||
    rows instanceof Int16Array ||
    rows instanceof Uint16Array ||
    rows instanceof Int8Array ||
    rows instanceof Uint8Array
  );
}

function pushFlat(value: unknown, out: number[], column: string): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'number') out.push(value);
  else if (typeof value === 'bigint') out.push(Number(value));
  else if (typeof value === 'boolean') out.push(value ? 1 : 0);
  else if (value instanceof Date) out.push(value.getTime());
  else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) pushFlat(items[i], out, column);
  } else {
    const what = typeof value === 'string' ? 'text' : 'records';
    throw new HistError('unsupported', `Column "${column}" holds ${what}, not numbers, so it cannot be histogrammed.`);
  }
}

/**
 * Spreads a per-row weight chunk over the values of a jagged chunk (each value of a row gets the row's weight), as
 * awkward broadcasting does; returns the weights unchanged when the layouts already match value for value.
 */
export function alignWeights(values: ColumnChunk, weights: ColumnChunk, names: string): Float64Array {
  if (!values.rowLengths && !weights.rowLengths && values.values.length === weights.values.length)
    return weights.values;
  if (values.rowLengths && weights.rowLengths && sameLengths(values.rowLengths, weights.rowLengths))
    return weights.values;
  if (values.rowLengths && !weights.rowLengths && weights.values.length === values.rows) {
    const out = new Float64Array(values.values.length);
    let k = 0;
    for (let r = 0; r < values.rows; r++) {
      const w = weights.values[r];
      for (let j = 0; j < values.rowLengths[r]; j++) out[k++] = w;
    }
    return out;
  }
  throw new HistError(
    'invalid',
    `The columns ${names} do not have the same number of values per event, so they cannot be paired.`,
  );
}

function sameLengths(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
