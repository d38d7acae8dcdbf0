// The small part of jsroot's I/O and tree API that the ROOT reader uses. jsroot ships no types for these modules;
// the names and shapes are those of jsroot 7.11's modules/io.mjs and modules/tree.mjs.

declare module 'jsroot/io' {
  export class FileProxy {
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
    readDirectory(name: string, cycle?: number): Promise<JsrootDirectory & { dir_name?: string }>;
    delete(): void;
  }
  export function openFile(file: FileProxy | string | ArrayBuffer): Promise<JsrootFile>;
}

declare module 'jsroot/tree' {
  export class TSelector {
    tgtobj: Record<string, unknown>;
    addBranch(branch: string | object, name?: string, direct?: boolean): number;
    Abort(): void;
    Begin(tree: unknown): void;
    Process(entry: number): void;
    ShowProgress(progress?: number): string | undefined | void;
    Terminate(complete: boolean): void;
  }
  export function treeProcess(tree: unknown, selector: TSelector, args?: object): Promise<TSelector>;
}
