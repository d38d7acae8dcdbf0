// The small part of jsroot's I/O and tree API that the ROOT reader uses, as jsroot 7.11's modules/io.mjs and
// modules/tree.mjs define it; jsroot ships no types for these modules.

/** The base class of jsroot's readers of files it cannot open itself; we give it our bounds-checked reads. */
export interface JsrootFileProxy {
  openFile(): Promise<boolean>;
  getFileName(): string;
  getFileSize(): number;
  readBuffer(position: number, length: number): Promise<DataView>;
  closeFile(): void;
}

export interface JsrootKey {
  fName: string;
  fCycle: number;
  fClassName: string;
  fTitle: string;
}

export interface JsrootDirectory {
  fKeys: JsrootKey[];
}

export interface JsrootFile extends JsrootDirectory {
  /** The file's length as its header gives it. */
  fEND: number;
  readObject(name: string, cycle?: number): Promise<unknown>;
  readDirectory(name: string, cycle?: number): Promise<JsrootDirectory>;
}

/** `jsroot/io`. */
export interface JsrootIo {
  FileProxy: new () => JsrootFileProxy;
  openFile(file: JsrootFileProxy): Promise<JsrootFile | false>;
  /** Decompresses ROOT's compressed blocks into `size` bytes; null (logged unless `noalert`) when it cannot. */
  R__unzip: (data: DataView, size: number, noalert?: boolean) => Promise<DataView | null>;
}

/** jsroot's TSelector: branches to read, then `Process` once per entry with the values in `tgtobj`. */
export interface JsrootSelector {
  tgtobj: Record<string, unknown>;
  addBranch(branch: string, name?: string): number;
  Abort(): void;
  Process(entry: number): void;
  ShowProgress(progress?: number): string | undefined;
}

/** `jsroot/tree`. */
export interface JsrootTree {
  TSelector: new () => JsrootSelector;
  treeProcess(tree: unknown, selector: JsrootSelector): Promise<JsrootSelector>;
}

/** A field of an RNTuple's schema, as jsroot's `RNTupleDescriptorBuilder` keeps it, in field-id order. */
export interface JsrootFieldDescriptor {
  fieldName: string;
  /** The C++ type; empty for an untyped collection. */
  typeName: string;
  /** The field's own id for a top-level field. */
  parentFieldId: number;
  structRole: number;
  flags: number;
  /** For a projected field, the field it shows under another name. */
  sourceFieldId: number | null;
}

/** A physical column: `index` is its id, where jsroot looks up its pages; `fieldId` the field it belongs to. */
export interface JsrootColumnDescriptor {
  coltype: number;
  bitsOnStorage: number;
  fieldId: number;
  flags: number;
  representationIndex: number;
  /** Set for a deferred column, one added to the schema after the first entries were written. */
  firstElementIndex: bigint | number | null;
  index: number;
}

/** An RNTuple's header, footer and page list as jsroot reads them (the fields we use). */
export interface JsrootRntupleDescriptor {
  fieldDescriptors: JsrootFieldDescriptor[];
  columnDescriptors: JsrootColumnDescriptor[];
  /** The columns of projected fields: a physical column shown as a column of another field. */
  aliasColumns?: { physicalColumnId: number; fieldId: number }[];
  clusterGroups?: { entrySpan: bigint | number }[];
  /** Only the clusters of the first cluster group: jsroot reads no other page list. */
  clusterSummaries?: { numEntries: number }[];
  /** Per cluster, per physical column, where its pages are and whether each is followed by its checksum. */
  pageLocations?: { pages: { locator: { offset: bigint | number; size: number }; hasChecksum: boolean }[] }[][];
}

/**
 * `jsroot/rntuple`: the descriptor (read once and kept on the RNTuple object as `builder`), and a TSelector-style loop
 * over entries, cluster by cluster, with the selector's branches naming top-level fields.
 */
export interface JsrootRntuple {
  readHeaderFooter(tuple: unknown): Promise<JsrootRntupleDescriptor | null>;
  rntupleProcess(tuple: unknown, selector: JsrootSelector): Promise<JsrootSelector>;
}
