import { gzipSync } from 'node:zlib';

// hyparquet-writer writes only version 2 data pages, but pyarrow (and so awkward and ServiceX) writes version 1 by
// default. This rewrites a file's data pages as version 1 pages compressed with GZIP, following parquet.thrift:
// a V1 page body is the repetition levels and the definition levels, each RLE-encoded behind a 4-byte length, then
// the values, all compressed together; a V2 page keeps its levels uncompressed and unprefixed in front of the values.
// The file must be written UNCOMPRESSED and without offset or column indexes, so only page framing and the footer's
// offsets and sizes change. Thrift structures are handled as raw field numbers (field_N), as in parquet.thrift.

type Raw = Record<string, unknown>;

interface ThriftModules {
  deserialize: (reader: { view: DataView; offset: number }) => Raw;
  serialize: (value: Raw) => Uint8Array;
}

async function thrift(): Promise<ThriftModules> {
  const { deserializeTCompactProtocol } = await import('hyparquet/src/thrift.js');
  const { serializeTCompactProtocol } = await import('hyparquet-writer/src/thrift.js');
  const { ByteWriter } = await import('hyparquet-writer');
  return {
    deserialize: (reader) => deserializeTCompactProtocol(reader),
    serialize: (value) => {
      const writer = new ByteWriter();
      serializeTCompactProtocol(writer, value);
      return new Uint8Array(writer.getBuffer());
    },
  };
}

const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;
const RLE = 3;
const GZIP = 2;

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The same file with every data page as a GZIP-compressed version 1 page (and dictionaries GZIP-compressed too).
 * With `statisticsBytes`, each data page header carries page statistics whose max and min values are that long, as
 * pyarrow writes for long strings: headers then run to kilobytes.
 */
export async function asVersion1Pages(file: Uint8Array, statisticsBytes = 0): Promise<Uint8Array> {
  const { deserialize, serialize } = await thrift();
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const footerLength = view.getUint32(file.length - 8, true);
  const footerStart = file.length - 8 - footerLength;
  const footer = deserialize({ view, offset: footerStart });
  const out: Uint8Array[] = [file.subarray(0, 4)];
  let offset = 4;
  for (const group of footer.field_4 as Raw[]) {
    let groupSize = 0;
    for (const chunk of group.field_1 as Raw[]) {
      const meta = chunk.field_3 as Raw;
      if (chunk.field_4 !== undefined || chunk.field_6 !== undefined)
        throw new Error('write the file without page indexes');
      if (meta.field_4 !== 0) throw new Error('write the file UNCOMPRESSED');
      const start = Number((meta.field_11 as bigint | undefined) ?? (meta.field_9 as bigint));
      const end = start + Number(meta.field_7);
      const reader = { view, offset: start };
      const chunkStart = offset;
      let uncompressed = 0;
      let firstData: number | undefined;
      let dictionaryAt: number | undefined;
      while (reader.offset < end) {
        const header = deserialize(reader);
        const body = file.subarray(reader.offset, reader.offset + (header.field_3 as number));
        reader.offset += header.field_3 as number;
        let page: Uint8Array;
        let size: number;
        let rewritten: Raw;
        if (header.field_1 === DATA_PAGE_V2) {
          const v2 = header.field_8 as Raw;
          const repLength = v2.field_6 as number;
          const defLength = v2.field_5 as number;
          const plain = concat([
            ...(repLength > 0 ? [u32(repLength), body.subarray(0, repLength)] : []),
            ...(defLength > 0 ? [u32(defLength), body.subarray(repLength, repLength + defLength)] : []),
            body.subarray(repLength + defLength),
          ]);
          page = new Uint8Array(gzipSync(plain));
          size = plain.length;
          rewritten = {
            field_1: DATA_PAGE,
            field_2: size,
            field_3: page.length,
            field_5: {
              field_1: v2.field_1,
              field_2: v2.field_4,
              field_3: RLE,
              field_4: RLE,
              ...(statisticsBytes > 0
                ? {
                    field_5: {
                      field_5: new Uint8Array(statisticsBytes).fill(0x7a),
                      field_6: new Uint8Array(statisticsBytes),
                    },
                  }
                : {}),
            },
          };
          firstData ??= offset;
        } else if (header.field_1 === DICTIONARY_PAGE) {
          page = new Uint8Array(gzipSync(body));
          size = body.length;
          rewritten = { ...header, field_2: size, field_3: page.length };
          dictionaryAt = offset;
        } else throw new Error(`unexpected page type ${String(header.field_1)}`);
        const encodedHeader = serialize(rewritten);
        out.push(encodedHeader, page);
        offset += encodedHeader.length + page.length;
        uncompressed += encodedHeader.length + size;
      }
      meta.field_4 = GZIP;
      meta.field_6 = BigInt(uncompressed);
      meta.field_7 = BigInt(offset - chunkStart);
      meta.field_9 = BigInt(firstData ?? chunkStart);
      if (dictionaryAt !== undefined) meta.field_11 = BigInt(dictionaryAt);
      else delete meta.field_11;
      chunk.field_2 = BigInt(chunkStart);
      // Encoding statistics name the page type; they would still say DATA_PAGE_V2.
      delete meta.field_13;
      groupSize += uncompressed;
    }
    group.field_2 = BigInt(groupSize);
    delete group.field_5;
    delete group.field_6;
  }
  const encodedFooter = serialize(footer);
  out.push(encodedFooter, u32(encodedFooter.length), file.subarray(file.length - 4));
  return concat(out);
}

/** The same file with its footer changed by `edit` (raw thrift fields: `field_4` is the list of row groups). */
export async function withFooter(file: Uint8Array, edit: (footer: Raw) => void): Promise<Uint8Array> {
  const { deserialize, serialize } = await thrift();
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const footerStart = file.length - 8 - view.getUint32(file.length - 8, true);
  const footer = deserialize({ view, offset: footerStart });
  edit(footer);
  const encoded = serialize(footer);
  return concat([file.subarray(0, footerStart), encoded, u32(encoded.length), file.subarray(file.length - 4)]);
}
