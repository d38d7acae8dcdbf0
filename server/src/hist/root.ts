import { EntryChunks, type ColumnChunk, type ColumnSource, type ReadProgress } from './chunk';
import { HistError, reason, throwIfAborted } from './errors';
import type {
  JsrootDirectory,
  JsrootFile,
  JsrootIo,
  JsrootKey,
  JsrootRntuple,
  JsrootSelector,
  JsrootTree,
} from './jsrootApi';
import type { LocalFile } from './localFile';
import { PageChecks, readDescriptor, rntupleColumns, summarizeRntuple } from './rntuple';

/** A branch of a TTree with the type a physicist reads in ROOT's `Print()`. */
export interface RootBranchInfo {
  readonly name: string;
  /** `float`, `double`, `int32`, `bool`, `vector<float>`, … with `[]` for a variable-length array. */
  readonly type: string;
  /** True when an entry holds several values (flattened when binned). */
  readonly jagged: boolean;
  /** Sub-branches of a split object. */
  readonly branches?: readonly RootBranchInfo[];
}

/** An object in a ROOT file, as the custom editor's tree shows it. */
export type RootItem =
  | { readonly kind: 'directory'; readonly path: string; readonly name: string; readonly items: readonly RootItem[] }
  | {
      readonly kind: 'tree';
      readonly path: string;
      readonly name: string;
      readonly title: string;
      readonly entries: number;
      readonly branches: readonly RootBranchInfo[];
    }
  | {
      readonly kind: 'histogram';
      readonly path: string;
      readonly name: string;
      readonly title: string;
      readonly className: string;
      readonly dimension: 1 | 2 | 3;
    }
  | {
      readonly kind: 'rntuple';
      readonly path: string;
      readonly name: string;
      readonly className: string;
      /** Absent when the RNTuple cannot be read; `problem` then says why. */
      readonly entries?: number;
      readonly fields: readonly RootFieldInfo[];
      readonly problem?: string;
    }
  | { readonly kind: 'other'; readonly path: string; readonly name: string; readonly className: string };

/** A top-level field of an RNTuple, with its C++ type (`ROOT::VecOps::RVec<float>`, `std::int32_t`, …). */
export interface RootFieldInfo {
  readonly name: string;
  readonly type: string;
  /** Why the field cannot be histogrammed (text, records, a layout jsroot cannot read); absent when it can. */
  readonly unsupported?: string;
}

/**
 * jsroot is an ES module and the server is CommonJS, so it comes in through import(); only its I/O, tree and RNTuple
 * modules are loaded, not the drawing code (which would pull in canvas, which cannot be built here). jsroot ships no
 * types for these modules, so the import is typed by our description of the part we use (`jsrootApi.ts`).
 */
async function loadJsroot(): Promise<{ io: JsrootIo; tree: JsrootTree; rntuple: JsrootRntuple }> {
  // `as string` keeps tsc from looking for the types that jsroot does not ship; esbuild still sees a literal path
  // and bundles the modules.
  /* eslint-disable @typescript-eslint/no-unnecessary-type-assertion */
  const modules: unknown[] = await Promise.all([
    import('jsroot/io' as string),
    import('jsroot/tree' as string),
    import('jsroot/rntuple' as string),
  ]);
  /* eslint-enable @typescript-eslint/no-unnecessary-type-assertion */
  return { io: modules[0] as JsrootIo, tree: modules[1] as JsrootTree, rntuple: modules[2] as JsrootRntuple };
}

let loaded: ReturnType<typeof loadJsroot> | undefined;

function jsroot(): ReturnType<typeof loadJsroot> {
  loaded ??= loadJsroot();
  return loaded;
}

/**
 * Opens a ROOT file through our bounds-checked reader rather than jsroot's own, which ignores short reads; `checks`
 * verifies RNTuple pages against the checksums written after them as they are read.
 */
export async function openRootFile(file: LocalFile, checks?: PageChecks): Promise<JsrootFile> {
  const { io } = await jsroot();
  class Proxy extends io.FileProxy {
    override openFile = () => Promise.resolve(true);
    override getFileName = () => file.path;
    override getFileSize = () => file.size;
    override readBuffer = async (position: number, length: number) => {
      const extra = checks?.extra(position, length) ?? 0;
      const bytes = await file.read(position, position + length + extra, 'ROOT record');
      if (extra > 0) checks?.verify(position, bytes);
      return new DataView(bytes.buffer, bytes.byteOffset, length);
    };
    override closeFile = () => undefined;
  }
  const proxy = new Proxy();
  try {
    const opened = await io.openFile(proxy);
    if (!opened) throw new Error('it has no ROOT header');
    // Objects near the end may not be needed for what is asked, so a cut file could otherwise pass unnoticed.
    if (opened.fEND > file.size) {
      throw new HistError(
        'corrupt',
        `${file.path} is truncated: its header says it has ${opened.fEND} bytes, but it has only ${file.size}.`,
      );
    }
    return opened;
  } catch (error) {
    throw asHistError(error, `${file.path} is not a readable ROOT file; it may be truncated or corrupt`);
  }
}

function asHistError(error: unknown, context: string): HistError {
  if (error instanceof HistError) return error;
  return new HistError('corrupt', `${context} (${reason(error)}).`);
}

/** The directories, trees (with branches), histograms and RNTuples in a ROOT file. */
export async function listRootKeys(file: LocalFile): Promise<RootItem[]> {
  const root = await openRootFile(file);
  return listDirectory(root, root, '', file.path);
}

async function listDirectory(
  root: JsrootFile,
  directory: JsrootDirectory,
  prefix: string,
  path: string,
): Promise<RootItem[]> {
  const items: RootItem[] = [];
  for (const key of latestCycles(directory.fKeys)) {
    const itemPath = prefix + key.fName;
    const className = key.fClassName;
    if (className === 'TDirectory' || className === 'TDirectoryFile') {
      const sub = await root.readDirectory(itemPath).catch((error: unknown) => {
        throw asHistError(error, `Directory ${itemPath} in ${path} cannot be read`);
      });
      items.push({
        kind: 'directory',
        path: itemPath,
        name: key.fName,
        items: await listDirectory(root, sub, `${itemPath}/`, path),
      });
    } else if (className === 'TTree' || className === 'TNtuple' || className === 'TNtupleD') {
      const tree = await readTree(root, itemPath, path);
      items.push({
        kind: 'tree',
        path: itemPath,
        name: key.fName,
        title: tree.fTitle ?? '',
        entries: Number(tree.fEntries ?? 0),
        branches: tree.fBranches.arr.map(describeBranch),
      });
    } else if (/^TH[123]/.test(className) || /^TProfile/.test(className)) {
      const dimension =
        className.startsWith('TH2') || className === 'TProfile2D' ? 2 : className.startsWith('TH3') ? 3 : 1;
      items.push({ kind: 'histogram', path: itemPath, name: key.fName, title: key.fTitle, className, dimension });
    } else if (className === 'ROOT::RNTuple' || className === 'ROOT::Experimental::RNTuple') {
      items.push({
        kind: 'rntuple',
        path: itemPath,
        name: key.fName,
        className,
        ...(await rntupleFields(root, itemPath, path)),
      });
    } else if (!(key.fName === 'StreamerInfo' && className === 'TList')) {
      items.push({ kind: 'other', path: itemPath, name: key.fName, className });
    }
  }
  return items;
}

/**
 * The entry count and top-level fields of an RNTuple, from its header and footer; an RNTuple that cannot be read is
 * still listed, with the reason, so that the rest of the file can be browsed.
 */
async function rntupleFields(
  root: JsrootFile,
  itemPath: string,
  path: string,
): Promise<{ entries?: number; fields: RootFieldInfo[]; problem?: string }> {
  const { io, rntuple } = await jsroot();
  try {
    const tuple = await root.readObject(itemPath);
    const where = { tuplePath: itemPath, filePath: path };
    return summarizeRntuple(await readDescriptor({ rntuple, unzip: io.R__unzip }, tuple, where));
  } catch (error) {
    return { fields: [], problem: asHistError(error, `RNTuple ${itemPath} in ${path} cannot be read`).message };
  }
}

/** ROOT keeps earlier cycles of a rewritten object; only the newest is shown and read, as ROOT itself does. */
function latestCycles(keys: readonly JsrootKey[]): JsrootKey[] {
  const newest = new Map<string, JsrootKey>();
  for (const key of keys) {
    const seen = newest.get(key.fName);
    if (!seen || key.fCycle > seen.fCycle) newest.set(key.fName, key);
  }
  return [...newest.values()];
}

interface TreeObject {
  _typename: string;
  fTitle?: string;
  fEntries?: number | bigint;
  fBranches: { arr: BranchObject[] };
}

interface BranchObject {
  _typename: string;
  fName: string;
  fClassName?: string;
  fTypeName?: string;
  fBranches?: { arr: BranchObject[] };
  fLeaves?: {
    arr: {
      _typename: string;
      fIsUnsigned?: boolean;
      fLen?: number;
      fLeafCount?: { fName: string } | null;
      fTypeName?: string;
    }[];
  };
}

async function readObject(root: JsrootFile, itemPath: string, path: string): Promise<unknown> {
  try {
    return await root.readObject(itemPath);
  } catch (error) {
    // jsroot's words for a name the file's keys do not have.
    if (/^Key not found/.test(reason(error))) {
      throw new HistError('notFound', `${path} has no TTree or RNTuple named "${itemPath}".`);
    }
    throw asHistError(error, `${itemPath} in ${path} cannot be read`);
  }
}

function asTree(object: unknown, itemPath: string, path: string): TreeObject {
  const tree = object as TreeObject | null;
  if (!tree || !tree.fBranches) throw new HistError('notFound', `${itemPath} in ${path} is not a TTree or an RNTuple.`);
  return tree;
}

async function readTree(root: JsrootFile, itemPath: string, path: string): Promise<TreeObject> {
  return asTree(await readObject(root, itemPath, path), itemPath, path);
}

const LEAF_TYPES: Record<string, [signed: string, unsigned: string]> = {
  TLeafF: ['float', 'float'],
  TLeafD: ['double', 'double'],
  TLeafI: ['int32', 'uint32'],
  TLeafL: ['int64', 'uint64'],
  TLeafS: ['int16', 'uint16'],
  TLeafB: ['int8', 'uint8'],
  TLeafO: ['bool', 'bool'],
  TLeafC: ['string', 'string'],
  TLeafF16: ['float16', 'float16'],
  TLeafD32: ['double32', 'double32'],
};

function describeBranch(branch: BranchObject): RootBranchInfo {
  const children = branch.fBranches?.arr ?? [];
  const leaf = branch.fLeaves?.arr[0];
  let type = branch.fClassName || leaf?.fTypeName || 'unknown';
  let jagged = /^(vector|std::vector|ROOT::VecOps::RVec|RVec)</.test(type);
  if (leaf && LEAF_TYPES[leaf._typename]) {
    type = LEAF_TYPES[leaf._typename][leaf.fIsUnsigned ? 1 : 0];
    if (leaf.fLeafCount || (leaf.fLen ?? 1) > 1) {
      jagged = true;
      type += '[]';
    }
  }
  const info = { name: branch.fName, type, jagged };
  return children.length > 0 ? { ...info, branches: children.map(describeBranch) } : info;
}

function findBranch(branches: readonly BranchObject[], name: string): BranchObject | undefined {
  for (const branch of branches) {
    if (branch.fName === name) return branch;
    const found = findBranch(branch.fBranches?.arr ?? [], name);
    if (found) return found;
  }
  return undefined;
}

function allBranchNames(branches: readonly BranchObject[], out: string[] = []): string[] {
  for (const branch of branches) {
    out.push(branch.fName);
    allBranchNames(branch.fBranches?.arr ?? [], out);
  }
  return out;
}

const isTreeClass = (className: string) => className === 'TTree' || className.startsWith('TNtuple');
const isRntupleClass = (className: string) =>
  className === 'ROOT::RNTuple' || className === 'ROOT::Experimental::RNTuple';

/**
 * The first TTree in the file (searching directories), for when the caller names none; a file without a TTree
 * gives its first RNTuple instead.
 */
async function defaultTree(root: JsrootFile, path: string): Promise<string> {
  const search = async (
    directory: JsrootDirectory,
    prefix: string,
    wanted: (className: string) => boolean,
  ): Promise<string | undefined> => {
    const keys = latestCycles(directory.fKeys);
    const tree = keys.find((key) => wanted(key.fClassName));
    if (tree) return prefix + tree.fName;
    for (const key of keys) {
      if (key.fClassName !== 'TDirectory' && key.fClassName !== 'TDirectoryFile') continue;
      const found = await search(await root.readDirectory(prefix + key.fName), `${prefix}${key.fName}/`, wanted);
      if (found) return found;
    }
    return undefined;
  };
  const found = (await search(root, '', isTreeClass)) ?? (await search(root, '', isRntupleClass));
  if (found) return found;
  throw new HistError('notFound', `${path} has no TTree or RNTuple to read from.`);
}

/** How many entries are gathered before they are handed on as one chunk. */
const ENTRIES_PER_CHUNK = 65536;

/**
 * Reads branches of a TTree in step with jsroot's tree processing, basket by basket; each entry's values are
 * flattened (jagged branches as `ak.flatten`) and handed on in chunks of entries. When `treeName` names an RNTuple
 * (or names nothing and the file's only tree-like object is one), its top-level fields are read instead.
 */
export async function rootBranches(
  file: LocalFile,
  treeName: string | undefined,
  branches: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ColumnSource> {
  const { io, tree: treeModule, rntuple } = await jsroot();
  const checks = new PageChecks();
  const root = await openRootFile(file, checks);
  const treePath = treeName ?? (await defaultTree(root, file.path));
  const object = await readObject(root, treePath, file.path);
  if (isRntupleClass((object as { _typename?: string } | null)?._typename ?? '')) {
    const where = { tuplePath: treePath, filePath: file.path };
    const modules = { rntuple, TSelector: treeModule.TSelector, unzip: io.R__unzip };
    return rntupleColumns(modules, object, where, branches, signal, checks);
  }
  const tree = asTree(object, treePath, file.path);
  const known = allBranchNames(tree.fBranches.arr);
  for (const branch of branches) {
    if (!known.includes(branch)) {
      const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
      throw new HistError(
        'notFound',
        `TTree ${treePath} in ${file.path} has no branch "${branch}". Its branches are: ${list}.`,
      );
    }
  }
  const totalRows = Number(tree.fEntries ?? 0);

  async function read(onChunks: (chunks: readonly ColumnChunk[]) => void, onProgress?: ReadProgress): Promise<void> {
    throwIfAborted(signal);
    const entries = new EntryChunks(branches, onChunks);
    let failure: unknown;
    const selector: JsrootSelector = new treeModule.TSelector();
    // jsroot adds the counter of a jagged branch by itself and refuses it a second time, unless it came first.
    const counters = new Set(
      branches.map((branch) => findBranch(tree.fBranches.arr, branch)?.fLeaves?.arr[0]?.fLeafCount?.fName),
    );
    const order = branches
      .map((_, i) => i)
      .sort((a, b) => Number(counters.has(branches[b])) - Number(counters.has(branches[a])));
    for (const i of order) selector.addBranch(branches[i], `b${i}`);
    selector.Process = function (this: JsrootSelector) {
      if (failure !== undefined) return;
      if (signal?.aborted) {
        this.Abort();
        return;
      }
      try {
        // jsroot reuses nothing between entries, but a typed array may view a basket buffer, so values are copied.
        for (let i = 0; i < branches.length; i++) entries.push(i, copyValue(this.tgtobj[`b${i}`]));
        if (entries.size >= ENTRIES_PER_CHUNK) entries.flush();
      } catch (error) {
        failure = error;
        this.Abort();
      }
    };
    selector.ShowProgress = (fraction?: number) => {
      if (signal?.aborted || failure !== undefined) return 'break';
      if (fraction !== undefined) onProgress?.(Math.round(fraction * totalRows), totalRows);
      return undefined;
    };
    try {
      await treeModule.treeProcess(tree, selector);
    } catch (error) {
      throw asHistError(
        error,
        `Branches ${branches.join(', ')} of ${treePath} in ${file.path} cannot be read; the file may be corrupt`,
      );
    }
    if (failure !== undefined) throw asHistError(failure, `Branches of ${treePath} in ${file.path} cannot be read`);
    throwIfAborted(signal);
    entries.flush();
    onProgress?.(entries.rowsDone, totalRows);
    if (entries.rowsDone !== totalRows) {
      throw new HistError(
        'corrupt',
        `${file.path} is truncated or corrupt: TTree ${treePath} claims ${totalRows} entries but only ${entries.rowsDone} could be read.`,
      );
    }
  }
  return { totalRows, read };
}

function copyValue(value: unknown): unknown {
  return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
}
