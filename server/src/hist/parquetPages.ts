import type * as DataPages from 'hyparquet/src/datapage.js' with { 'resolution-mode': 'import' };
import type { ColumnMetaData, Compressors, DecodedArray, PageHeader, SchemaTree } from 'hyparquet' with {
  'resolution-mode': 'import',
};
import type { ColumnChunk } from './chunk';
import { HistError } from './errors';
import type { LocalFile } from './localFile';
import type { ParquetLeaf } from './parquetLeaves';

// A leaf column read page by page with hyparquet's own page decoders, straight into one reused array of doubles.
// hyparquet's row reader assembles every value into a JavaScript array (and every list into its own array), which
// for a histogram is several times the memory of the numbers themselves. Here a column's row group costs one page
// (read from the file on its own) and the row group's values as doubles, in buffers kept from one row group to the
// next.
// Nulls are left out, as `ak.flatten` leaves out None; `rowLengths` keeps which row each value came from.

/** What hyparquet's page decoders need to know of a column. */
type ColumnDecoder = Parameters<typeof DataPages.readDataPage>[2];

/** hyparquet's page-level functions, from the modules its package exports one by one. */
export interface PageDecoders {
  readonly parquetHeader: (reader: { view: DataView; offset: number }) => PageHeader;
  readonly decompressPage: (
    bytes: Uint8Array,
    size: number,
    codec: ColumnMetaData['codec'],
    compressors: Compressors | undefined,
  ) => Uint8Array;
  readonly readDataPage: (
    bytes: Uint8Array,
    header: NonNullable<PageHeader['data_page_header']>,
    decoder: ColumnDecoder,
  ) => DecodedPage;
  readonly readDataPageV2: (bytes: Uint8Array, header: PageHeader, decoder: ColumnDecoder) => DecodedPage;
  readonly readPlain: (
    reader: { view: DataView; offset: number },
    type: ColumnMetaData['type'],
    count: number,
    fixedLength: number | undefined,
  ) => DecodedArray;
  readonly convert: (data: DecodedArray, decoder: ColumnDecoder) => DecodedArray;
  readonly convertWithDictionary: (
    data: DecodedArray,
    dictionary: DecodedArray | undefined,
    encoding: string,
    decoder: ColumnDecoder,
  ) => DecodedArray;
  readonly parsers: ColumnDecoder['parsers'];
}

interface DecodedPage {
  definitionLevels: number[] | undefined;
  repetitionLevels: number[];
  dataPage: DecodedArray;
}

/** Loads hyparquet's page decoders (ES modules, so through import()). */
export async function loadPageDecoders(): Promise<PageDecoders> {
  const [column, datapage, plain, convert] = await Promise.all([
    import('hyparquet/src/column.js'),
    import('hyparquet/src/datapage.js'),
    import('hyparquet/src/plain.js'),
    import('hyparquet/src/convert.js'),
  ]);
  return {
    parquetHeader: column.parquetHeader,
    decompressPage: datapage.decompressPage,
    readDataPage: datapage.readDataPage,
    readDataPageV2: datapage.readDataPageV2,
    readPlain: plain.readPlain,
    convert: convert.convert,
    convertWithDictionary: convert.convertWithDictionary as PageDecoders['convertWithDictionary'],
    parsers: convert.DEFAULT_PARSERS,
  };
}

/** More rows than any writer puts in one row group; a footer claiming more is corrupt. */
const MAX_ROWS = 2 ** 31;
/** The most values a reader makes room for before it has seen them. */
const FIRST_VALUES = 1 << 22;

/** How many bytes are read at first for a page header; real headers are a few dozen bytes. */
const HEADER_WINDOW = 4096;

/** Reads one leaf's column chunks, one row group at a time, into buffers it reuses. */
export class LeafReader {
  private headerBytes: Uint8Array = new Uint8Array(0);
  private pageBytes: Uint8Array = new Uint8Array(0);
  private values = new Float64Array(0);
  private lengths = new Uint32Array(0);
  private readonly maxRepetition: number;
  private readonly maxDefinition: number;

  constructor(
    private readonly file: LocalFile,
    private readonly leaf: ParquetLeaf,
    private readonly decoders: PageDecoders,
    private readonly compressors: Compressors,
  ) {
    const path = leaf.schemaPath.slice(1);
    this.maxRepetition = path.filter((node) => node.element.repetition_type === 'REPEATED').length;
    this.maxDefinition = path.filter((node) => node.element.repetition_type !== 'REQUIRED').length;
  }

  /**
   * The values of one row group's chunk of this leaf, with `rows` rows. The chunk's arrays are this reader's own
   * buffers: they hold until the next call, which is all a fill needs.
   */
  async read(meta: ColumnMetaData, rows: number, firstRow: number): Promise<ColumnChunk> {
    const where = `${this.file.path} could not be decoded in rows ${firstRow}–${firstRow + rows} of column ${this.leaf.name}`;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const size = Number(meta.total_compressed_size);
    const end = start + size;
    this.file.checkRange(start, end, 'column chunk');
    const decoder: ColumnDecoder = {
      pathInSchema: meta.path_in_schema,
      type: meta.type,
      element: this.leaf.schemaPath[this.leaf.schemaPath.length - 1].element,
      schemaPath: this.leaf.schemaPath as SchemaTree[],
      codec: meta.codec,
      parsers: this.decoders.parsers,
      compressors: this.compressors,
    };
    if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
      throw new HistError('corrupt', `${where}: its footer claims ${rows} rows in one row group; it may be corrupt.`);
    }
    // The footer's count is only a first size: a corrupt one must not allocate, and appending grows the buffer.
    this.ensureValues(Math.min(Number(meta.num_values) || 0, FIRST_VALUES));
    const rowLevels = this.maxRepetition > 0 || this.maxDefinition > 0;
    if (rowLevels) this.ensureLengths(rows);
    const state = { count: 0, row: -1 };
    let dictionary: DecodedArray | undefined;
    let at = start;
    try {
      while (at < end) {
        const { header, length } = await this.pageHeader(at, end);
        at += length;
        const pageSize = header.compressed_page_size;
        if (!(pageSize >= 0) || at + pageSize > end) throw new Error('a page runs past the end of its column chunk');
        // A dictionary serves the whole chunk, so it gets a buffer of its own; data pages share one.
        const into = header.type === 'DICTIONARY_PAGE' ? undefined : this.pageBuffer(pageSize);
        const compressed = await this.file.read(at, at + pageSize, 'page', into);
        at += pageSize;
        if (header.type === 'DICTIONARY_PAGE') {
          dictionary = this.dictionary(compressed, header, decoder);
          continue;
        }
        let page: DecodedPage;
        let encoding: string;
        if (header.type === 'DATA_PAGE' && header.data_page_header) {
          const bytes = this.decoders.decompressPage(
            compressed,
            header.uncompressed_page_size,
            meta.codec,
            this.compressors,
          );
          page = this.decoders.readDataPage(bytes, header.data_page_header, decoder);
          encoding = header.data_page_header.encoding;
        } else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2) {
          page = this.decoders.readDataPageV2(compressed, header, decoder);
          encoding = header.data_page_header_v2.encoding;
        } else continue; // an index page, or a page type this reader does not need
        const values = this.decoders.convertWithDictionary(page.dataPage, dictionary, encoding, decoder);
        this.append(values, state);
        if (rowLevels) this.countRows(page, values.length, state, rows);
      }
    } catch (error) {
      if (error instanceof HistError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new HistError('corrupt', `${where}; it may be corrupt (${message}).`);
    }
    const read = rowLevels ? state.row + 1 : state.count;
    if (read !== rows) {
      throw new HistError(
        'corrupt',
        `${where}: the footer says ${rows} rows but the pages hold ${read}; it may be corrupt.`,
      );
    }
    const values = this.values.subarray(0, state.count);
    return rowLevels && !allOnes(this.lengths, rows)
      ? { values, rowLengths: this.lengths.subarray(0, rows), rows }
      : { values, rows };
  }

  /**
   * The page header at `at`: read through a small window, made larger when the header (with long statistics, say)
   * runs off its end.
   */
  private async pageHeader(at: number, end: number): Promise<{ header: PageHeader; length: number }> {
    let window = Math.min(HEADER_WINDOW, end - at);
    for (;;) {
      if (this.headerBytes.length < window) this.headerBytes = new Uint8Array(window);
      const bytes = await this.file.read(at, at + window, 'page header', this.headerBytes);
      const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
      try {
        return { header: this.decoders.parquetHeader(reader), length: reader.offset };
      } catch (error) {
        // Running off the window is a RangeError or hyparquet's own "exceeds remaining bytes"; a header that is
        // corrupt rather than long fails again at the chunk's end, and that error is the one reported.
        if (window >= end - at) throw error;
        window = Math.min(window * 4, end - at);
      }
    }
  }

  /** The buffer data pages are read into, grown (with room to spare) when a page is larger. */
  private pageBuffer(size: number): Uint8Array {
    if (this.pageBytes.length < size) {
      this.pageBytes = new Uint8Array(0); // let the old buffer go before the larger one
      this.pageBytes = new Uint8Array(Math.ceil(size * 1.125));
    }
    return this.pageBytes;
  }

  private dictionary(compressed: Uint8Array, header: PageHeader, decoder: ColumnDecoder): DecodedArray {
    const count = header.dictionary_page_header?.num_values ?? 0;
    const bytes = this.decoders.decompressPage(
      compressed,
      header.uncompressed_page_size,
      decoder.codec,
      this.compressors,
    );
    const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
    return this.decoders.convert(
      this.decoders.readPlain(reader, decoder.type, count, decoder.element.type_length),
      decoder,
    );
  }

  private ensureValues(count: number): void {
    if (this.values.length < count) this.values = new Float64Array(count);
  }

  private ensureLengths(rows: number): void {
    if (this.lengths.length < rows) this.lengths = new Uint32Array(rows);
    this.lengths.fill(0, 0, rows);
  }

  /** Adds a page's values, as doubles, after those already read. */
  private append(data: DecodedArray, state: { count: number }): void {
    if (state.count + data.length > this.values.length) {
      // Room for more: the buffer doubles (a corrupt file is caught by the row count check at the end).
      const grown = new Float64Array(Math.max(state.count + data.length, this.values.length * 2));
      grown.set(this.values.subarray(0, state.count));
      this.values = grown;
    }
    const out = this.values;
    let k = state.count;
    if (
      data instanceof Float64Array ||
      data instanceof Float32Array ||
      data instanceof Int32Array ||
      data instanceof Uint32Array ||
      data instanceof Uint8Array
    ) {
      out.set(data, k);
      k += data.length;
    } else {
      for (let i = 0; i < data.length; i++) out[k++] = toNumber(data[i], this.leaf.name);
    }
    state.count = k;
  }

  /**
   * Rows from a page's levels: a repetition level of 0 starts a row, and a definition level at the maximum is a
   * value (anything lower is a null or an empty list, which adds no value to its row).
   */
  private countRows(page: DecodedPage, valueCount: number, state: { row: number }, rows: number): void {
    const { repetitionLevels } = page;
    const definitions = page.definitionLevels ?? [];
    const levels = repetitionLevels.length || definitions.length || valueCount;
    const lengths = this.lengths;
    const full = this.maxDefinition;
    for (let i = 0; i < levels; i++) {
      if (repetitionLevels.length === 0 || repetitionLevels[i] === 0) {
        state.row++;
        if (state.row >= rows) throw new Error(`more rows than the ${rows} the row group declares`);
      }
      // hyparquet drops the definition levels of a page without nulls: every level is then a value.
      if (definitions.length === 0 || definitions[i] === full) lengths[state.row]++;
    }
  }
}

function allOnes(lengths: Uint32Array, rows: number): boolean {
  for (let i = 0; i < rows; i++) if (lengths[i] !== 1) return false;
  return true;
}

function toNumber(value: unknown, column: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  const what = typeof value === 'string' ? 'text' : value instanceof Uint8Array ? 'bytes' : 'records';
  throw new HistError('unsupported', `Column "${column}" holds ${what}, not numbers, so it cannot be histogrammed.`);
}
