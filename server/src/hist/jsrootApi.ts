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

/** `jsroot/rntuple`: the header and footer of an RNTuple, with its field descriptors in field-id order. */
export interface JsrootRntuple {
  readHeaderFooter(tuple: unknown): Promise<{
    fieldDescriptors?: { fieldName: string; typeName: string; parentFieldId: number }[];
  } | null>;
}
