import { EntryChunks, type ColumnChunk, type ColumnSource, type ReadProgress } from './chunk';
import { HistError, reason, throwIfAborted } from './errors';
import { loadXxh3, xxh3 } from './xxh3';
import type {
  JsrootColumnDescriptor,
  JsrootFieldDescriptor,
  JsrootIo,
  JsrootRntuple,
  JsrootRntupleDescriptor,
  JsrootSelector,
} from './jsrootApi';

/** The parts of jsroot the RNTuple reader uses. */
export interface RntupleModules {
  readonly rntuple: JsrootRntuple;
  readonly TSelector: new () => JsrootSelector;
  readonly unzip: JsrootIo['R__unzip'];
}

/** The RNTuple anchor as jsroot reads it from the file: where the header and footer envelopes are. */
interface Anchor {
  readonly _typename?: string;
  readonly fVersionEpoch?: number;
  readonly fSeekHeader: number;
  readonly fNBytesHeader: number;
  readonly fLenHeader: number;
  readonly fSeekFooter: number;
  readonly fNBytesFooter: number;
  readonly fLenFooter: number;
  readonly $file: { readBuffer(place: number[]): Promise<DataView | DataView[]> };
}

// RNTuple fields through jsroot 7.11's own reader (`rntupleProcess` with a TSelector), after three corrections to the
// descriptor it reads from. As jsroot leaves it, the fields of a file written by ROOT's RDataFrame or NanoAOD importer
// come out wrong:
// - `findField` takes the first field of that name anywhere in the schema, so `Muon_pt` finds the float inside the
//   hidden untyped collection `_collection0` rather than the top-level RVec projected onto it, and reads its
//   flattened values one per entry;
// - projected fields have no columns of their own but alias columns, which jsroot never looks at, so they are
//   "not found";
// - `ROOT::VecOps::RVec<T>`, `std::optional<T>` and `std::unique_ptr<T>` are not among the collections it knows, so
//   their offset column is read as if it were the values.
// A cardinality field (`ROOT::RNTupleCardinality<T>`) is read as its collection's offsets, and the count of an entry
// is the step from the previous offset, which restarts at every cluster.

/** The types jsroot reads as one number per element. `char` is left out: jsroot gives it as a one-letter string. */
const NUMBER_TYPES = new Set([
  'bool',
  'std::byte',
  'std::int8_t',
  'std::uint8_t',
  'std::int16_t',
  'std::uint16_t',
  'std::int32_t',
  'std::uint32_t',
  'std::int64_t',
  'std::uint64_t',
  'float',
  'double',
  'Double32_t',
]);

/** Collections stored as an offset column and one item field: std::vector's layout, which jsroot reads. */
const VECTOR_LIKE = /^(std::vector|ROOT::VecOps::RVec|ROOT::RVec|std::optional|std::unique_ptr)</;
/** Collections jsroot already reads through their offsets. */
const SETS = /^std::(unordered_)?(multi)?set</;
const CARDINALITY = /^ROOT::(Experimental::)?RNTupleCardinality</;

/** How a top-level field is read: values (flattened when it is a collection), or counts from its offsets. */
type FieldPlan = { readonly ok: true; readonly cardinality: boolean } | { readonly ok: false; readonly why: string };

/** A field's columns: its own, and for a projected field the physical columns it aliases. */
function columnsOf(descriptor: JsrootRntupleDescriptor, fieldId: number): JsrootColumnDescriptor[] {
  const own = descriptor.columnDescriptors.filter((column) => column.fieldId === fieldId);
  const aliased = (descriptor.aliasColumns ?? [])
    .filter((alias) => alias.fieldId === fieldId)
    .map((alias) => descriptor.columnDescriptors[alias.physicalColumnId])
    .filter((column): column is JsrootColumnDescriptor => column !== undefined);
  return [...own, ...aliased];
}

function childrenOf(descriptor: JsrootRntupleDescriptor, fieldId: number): number[] {
  const out: number[] = [];
  descriptor.fieldDescriptors.forEach((field, i) => {
    if (i !== fieldId && field.parentFieldId === fieldId) out.push(i);
  });
  return out;
}

/** Whether jsroot, with our corrections, gives numbers for a field; if not, why, as a clause of a sentence. */
function planField(descriptor: JsrootRntupleDescriptor, fieldId: number, topLevel: boolean): FieldPlan {
  const field = descriptor.fieldDescriptors[fieldId];
  const type = field.typeName;
  const columns = columnsOf(descriptor, fieldId);
  const children = childrenOf(descriptor, fieldId);
  if (columns.some((column) => column.representationIndex > 0)) {
    return { ok: false, why: `it changes its column representation between clusters, which jsroot 7.11 cannot follow` };
  }
  if (columns.some((column) => column.firstElementIndex !== null && column.firstElementIndex !== undefined)) {
    return {
      ok: false,
      why: 'it was added after the first entries were written (a deferred column), which jsroot 7.11 reads wrongly',
    };
  }
  if (CARDINALITY.test(type) && columns.length === 1 && children.length === 0) {
    return topLevel
      ? { ok: true, cardinality: true }
      : { ok: false, why: 'it holds a cardinality inside another field, which is not read here' };
  }
  if (NUMBER_TYPES.has(type) && columns.length === 1 && children.length === 0) return { ok: true, cardinality: false };
  if ((VECTOR_LIKE.test(type) || SETS.test(type)) && columns.length === 1 && children.length === 1) {
    return itemPlan(descriptor, children[0]);
  }
  if (/^std::(array|atomic)</.test(type) && columns.length === 0 && children.length === 1) {
    return itemPlan(descriptor, children[0]);
  }
  if (type === 'std::string' || type === 'char') return { ok: false, why: `it holds text (${type})` };
  if (type === '') return { ok: false, why: 'it is an untyped collection of records' };
  return { ok: false, why: `its type ${type} is not a number or a collection of numbers` };
}

function itemPlan(descriptor: JsrootRntupleDescriptor, fieldId: number): FieldPlan {
  const plan = planField(descriptor, fieldId, false);
  return plan.ok ? { ok: true, cardinality: false } : plan;
}

function topLevelIds(descriptor: JsrootRntupleDescriptor): number[] {
  const ids: number[] = [];
  descriptor.fieldDescriptors.forEach((field, i) => {
    if (field.parentFieldId === i) ids.push(i);
  });
  return ids;
}

/** Entries in all cluster groups, as the footer gives them. */
function entriesOf(descriptor: JsrootRntupleDescriptor): number {
  return (descriptor.clusterGroups ?? []).reduce((sum, group) => sum + Number(group.entrySpan), 0);
}

/** A top-level field as the custom editor lists it; `unsupported` says why it cannot be histogrammed. */
export interface RntupleFieldSummary {
  readonly name: string;
  readonly type: string;
  readonly unsupported?: string;
}

/**
 * The entry count and the top-level fields of an RNTuple, leaving out the hidden ones (names starting with `_`) that
 * ROOT adds for untyped collections.
 */
export function summarizeRntuple(descriptor: JsrootRntupleDescriptor): {
  entries: number;
  fields: RntupleFieldSummary[];
} {
  const fields = topLevelIds(descriptor)
    .filter((i) => !descriptor.fieldDescriptors[i].fieldName.startsWith('_'))
    .map((i) => {
      const { fieldName: name, typeName: type } = descriptor.fieldDescriptors[i];
      const plan = planField(descriptor, i, true);
      return plan.ok ? { name, type } : { name, type, unsupported: `It cannot be histogrammed: ${plan.why}.` };
    });
  return { entries: entriesOf(descriptor), fields };
}

/**
 * The descriptor jsroot reads from, corrected as the comment at the top says: projected fields get the columns they
 * alias, vector-like collections are named std::vector, and fields below the top level that share a top-level
 * name are renamed so that jsroot's search by name finds the top-level one.
 */
function forReading(descriptor: JsrootRntupleDescriptor): void {
  const fields = descriptor.fieldDescriptors;
  const topNames = new Set(topLevelIds(descriptor).map((i) => fields[i].fieldName));
  descriptor.fieldDescriptors = fields.map((field, i): JsrootFieldDescriptor => {
    const vectorLike = /^(ROOT::VecOps::RVec|ROOT::RVec|std::optional|std::unique_ptr)<(.*)>$/.exec(field.typeName);
    const typeName = vectorLike ? `std::vector<${vectorLike[2]}>` : field.typeName;
    const shadows = field.parentFieldId !== i && topNames.has(field.fieldName);
    return { ...field, typeName, fieldName: shadows ? `${field.fieldName}\u0000${i}` : field.fieldName };
  });
  // jsroot finds a field's columns by `fieldDescriptors[column.fieldId] === field`, so the copies are made after the
  // fields they point at; `index` stays the physical column's, which is where jsroot looks up the pages.
  const aliased = (descriptor.aliasColumns ?? []).flatMap((alias) => {
    const physical = descriptor.columnDescriptors[alias.physicalColumnId];
    return physical ? [{ ...physical, fieldId: alias.fieldId }] : [];
  });
  descriptor.columnDescriptors = [...descriptor.columnDescriptors, ...aliased];
  descriptor.aliasColumns = [];
}

/** Where an RNTuple is, for messages: its path in the file and the file's path. */
export interface RntupleLocation {
  readonly tuplePath: string;
  readonly filePath: string;
}

/** An envelope read, decompressed and checked against the XXH3 checksum that ends it. */
async function checkedEnvelope(
  unzip: RntupleModules['unzip'],
  anchor: Anchor,
  envelope: { name: string; seek: number; stored: number; length: number },
  where: RntupleLocation,
): Promise<DataView> {
  const { name, seek, stored, length } = envelope;
  const damaged = (why: string) =>
    new HistError('corrupt', `${where.filePath} is corrupt: the ${name} of RNTuple ${where.tuplePath} ${why}.`);
  let view: DataView | null;
  try {
    const raw = (await anchor.$file.readBuffer([seek, stored])) as DataView;
    view = stored === length ? raw : await unzip(raw, length, true);
  } catch (error) {
    if (error instanceof HistError) throw error;
    throw damaged(`cannot be decompressed (${reason(error)})`);
  }
  if (!view || view.byteLength !== length || length < 16) throw damaged('cannot be decompressed');
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (xxh3(bytes.subarray(0, length - 8)) !== view.getBigUint64(length - 8, true)) {
    throw damaged('does not match its checksum');
  }
  return view;
}

/**
 * Where the footer says the page lists are (RNTuple 1.0: after the envelope preamble, the feature flags, the header
 * checksum and the schema extension record frame comes the list frame of cluster groups, each ending with the page
 * list's uncompressed length and locator).
 */
function pageListLinks(footer: DataView): { seek: number; stored: number; length: number }[] {
  let at = 8;
  while (footer.getBigUint64(at, true) >> 63n) at += 8;
  at += 8 + 8;
  at += Number(footer.getBigInt64(at, true));
  const count = footer.getUint32(at + 8, true);
  at += 12;
  const links = [];
  for (let i = 0; i < count; i++) {
    const size = Number(footer.getBigInt64(at, true));
    const length = Number(footer.getBigUint64(at + 28, true));
    const stored = footer.getInt32(at + 36, true);
    if (stored < 0 || size <= 0) throw new RangeError('a cluster group is not a plain record with a file locator');
    links.push({ seek: Number(footer.getBigUint64(at + 40, true)), stored, length });
    at += size;
  }
  return links;
}

/**
 * Checks the header, the footer and the page lists against the XXH3 checksums that end them before jsroot parses
 * them: jsroot logs a stack trace and gives nothing for a damaged envelope, and may misread one that still parses.
 */
async function checkEnvelopes(unzip: RntupleModules['unzip'], anchor: Anchor, where: RntupleLocation): Promise<void> {
  const envelope = (name: string, seek: number, stored: number, length: number) =>
    checkedEnvelope(unzip, anchor, { name, seek: Number(seek), stored: Number(stored), length: Number(length) }, where);
  await envelope('header', anchor.fSeekHeader, anchor.fNBytesHeader, anchor.fLenHeader);
  const footer = await envelope('footer', anchor.fSeekFooter, anchor.fNBytesFooter, anchor.fLenFooter);
  let links;
  try {
    links = pageListLinks(footer);
  } catch (error) {
    throw new HistError(
      'unsupported',
      `The footer of RNTuple ${where.tuplePath} in ${where.filePath} has a layout this reader does not know (${reason(error)}).`,
    );
  }
  for (const link of links) await envelope('page list', link.seek, link.stored, link.length);
}

/** The RNTuple's header, footer and page list, or a clear error when jsroot cannot read them. */
export async function readDescriptor(
  jsroot: Pick<RntupleModules, 'rntuple' | 'unzip'>,
  tuple: unknown,
  where: RntupleLocation,
): Promise<JsrootRntupleDescriptor> {
  await loadXxh3();
  // ROOT before 6.34 wrote pre-release formats under ROOT::Experimental::RNTuple; jsroot reads only format 1.
  const anchor = tuple as Anchor | null;
  const experimental = anchor?._typename === 'ROOT::Experimental::RNTuple';
  if (experimental || (anchor?.fVersionEpoch !== undefined && anchor.fVersionEpoch !== 1)) {
    throw new HistError(
      'unsupported',
      `RNTuple ${where.tuplePath} in ${where.filePath} is in a format from before RNTuple 1.0 (ROOT 6.34), which jsroot 7.11 does not read.`,
    );
  }
  if (!anchor?.$file) throw new HistError('corrupt', `${where.tuplePath} in ${where.filePath} is not an RNTuple.`);
  await checkEnvelopes(jsroot.unzip, anchor, where);
  let descriptor: JsrootRntupleDescriptor | null;
  try {
    // jsroot logs and swallows its own errors here, giving null.
    descriptor = await jsroot.rntuple.readHeaderFooter(tuple);
  } catch (error) {
    if (error instanceof HistError) throw error;
    descriptor = null;
  }
  if (!descriptor?.fieldDescriptors || !descriptor.clusterSummaries) {
    throw new HistError(
      'corrupt',
      `RNTuple ${where.tuplePath} in ${where.filePath} cannot be read: its header, footer or page list is truncated or corrupt.`,
    );
  }
  return descriptor;
}

/**
 * The page checksums of an RNTuple, checked as jsroot reads each page through our file proxy (it never checks them
 * itself): a page garbled inside its compressed bytes would otherwise decode into wrong numbers without an error.
 */
export class PageChecks {
  /** Page offset to page size, for the pages written with a checksum after them. */
  private readonly pages = new Map<number, number>();
  private where: RntupleLocation | undefined;

  watch(descriptor: JsrootRntupleDescriptor, where: RntupleLocation): void {
    this.where = where;
    for (const cluster of descriptor.pageLocations ?? []) {
      for (const column of cluster) {
        for (const page of column.pages) {
          if (page.hasChecksum) this.pages.set(Number(page.locator.offset), page.locator.size);
        }
      }
    }
  }

  /** Bytes to read beyond a request: the 8 of the checksum when the request is exactly a checked page. */
  extra(position: number, length: number): number {
    return this.pages.get(position) === length ? 8 : 0;
  }

  /** Checks a page read with its checksum (`extra` bytes longer than the page). */
  verify(position: number, bytes: Uint8Array): void {
    const length = bytes.length - 8;
    const stored = new DataView(bytes.buffer, bytes.byteOffset + length, 8).getBigUint64(0, true);
    if (xxh3(bytes.subarray(0, length)) === stored) return;
    const { tuplePath, filePath } = this.where ?? { tuplePath: '', filePath: 'The file' };
    throw new HistError(
      'corrupt',
      `${filePath} is corrupt: the page of RNTuple ${tuplePath} at byte ${position} does not match its checksum.`,
    );
  }
}

/** How many entries are gathered before they are handed on as one chunk (a cluster ends a chunk too). */
const ENTRIES_PER_CHUNK = 65536;

/** Thrown from inside jsroot's entry loop to stop it, which it has no other way to do. */
class Stop extends Error {}

/**
 * Reads top-level fields of an RNTuple cluster by cluster through jsroot's `rntupleProcess`; each entry's values are
 * flattened (collections as `ak.flatten`) and handed on in chunks of entries that never cross a cluster.
 */
export async function rntupleColumns(
  jsroot: RntupleModules,
  tuple: unknown,
  where: RntupleLocation,
  names: readonly string[],
  signal: AbortSignal | undefined,
  checks?: PageChecks,
): Promise<ColumnSource> {
  const { tuplePath, filePath } = where;
  const descriptor = await readDescriptor(jsroot, tuple, where);
  checks?.watch(descriptor, where);
  const groups = descriptor.clusterGroups ?? [];
  if (groups.length > 1) {
    throw new HistError(
      'unsupported',
      `RNTuple ${tuplePath} in ${filePath} keeps its entries in ${groups.length} cluster groups; jsroot 7.11 reads only the first.`,
    );
  }
  const totalRows = entriesOf(descriptor);
  const fields = descriptor.fieldDescriptors;
  const tops = topLevelIds(descriptor);
  const cardinality = names.map((name) => {
    const id = tops.find((i) => fields[i].fieldName === name);
    if (id === undefined) {
      const known = summarizeRntuple(descriptor).fields.map((field) => field.name);
      const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
      throw new HistError(
        'notFound',
        `RNTuple ${tuplePath} in ${filePath} has no field "${name}". Its fields are: ${list}.`,
      );
    }
    const plan = planField(descriptor, id, true);
    if (!plan.ok) {
      const type = fields[id].typeName ? ` (${fields[id].typeName})` : '';
      throw new HistError(
        'unsupported',
        `Field "${name}"${type} of RNTuple ${tuplePath} in ${filePath} cannot be histogrammed: ${plan.why}.`,
      );
    }
    return plan.cardinality;
  });
  const clusterEnds = new Set<number>();
  const clusterStarts = new Set<number>();
  let end = 0;
  for (const summary of descriptor.clusterSummaries ?? []) {
    clusterStarts.add(end);
    end += summary.numEntries;
    clusterEnds.add(end);
  }
  if (end !== totalRows) {
    throw new HistError(
      'corrupt',
      `${filePath} is corrupt: RNTuple ${tuplePath} claims ${totalRows} entries but its clusters hold ${end}.`,
    );
  }
  forReading(descriptor);

  async function read(onChunks: (chunks: readonly ColumnChunk[]) => void, onProgress?: ReadProgress): Promise<void> {
    throwIfAborted(signal);
    const entries = new EntryChunks(names, onChunks);
    const lastOffset = names.map(() => 0);
    let failure: unknown;
    const flush = () => {
      entries.flush();
      onProgress?.(entries.rowsDone, totalRows);
    };
    const selector = new jsroot.TSelector();
    names.forEach((name, i) => selector.addBranch(name, `f${i}`));
    selector.Process = function (this: JsrootSelector, entry: number) {
      if (signal?.aborted) throw new Stop();
      try {
        if (clusterStarts.has(entry)) lastOffset.fill(0);
        for (let i = 0; i < names.length; i++) {
          const value = this.tgtobj[`f${i}`];
          if (cardinality[i]) {
            const offset = Number(value);
            entries.push(i, offset - lastOffset[i]);
            lastOffset[i] = offset;
          } else entries.push(i, value);
        }
        if (entries.size >= ENTRIES_PER_CHUNK || clusterEnds.has(entry + 1)) flush();
      } catch (error) {
        failure = error;
        throw new Stop();
      }
    };
    try {
      await jsroot.rntuple.rntupleProcess(tuple, selector);
    } catch (error) {
      if (!(error instanceof Stop)) {
        if (error instanceof HistError) throw error;
        throw new HistError(
          'corrupt',
          `Fields ${names.join(', ')} of RNTuple ${tuplePath} in ${filePath} cannot be read; the file may be corrupt (${reason(error)}).`,
        );
      }
    }
    if (failure !== undefined) {
      if (failure instanceof HistError) throw failure;
      throw new HistError(
        'corrupt',
        `Fields of RNTuple ${tuplePath} in ${filePath} cannot be read (${reason(failure)}).`,
      );
    }
    throwIfAborted(signal);
    flush();
    if (entries.rowsDone !== totalRows) {
      throw new HistError(
        'corrupt',
        `${filePath} is truncated or corrupt: RNTuple ${tuplePath} claims ${totalRows} entries but only ${entries.rowsDone} could be read.`,
      );
    }
  }
  return { totalRows, read };
}
