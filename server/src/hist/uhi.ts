import { HistError } from './errors';
import { parsePythonJson, stringifyPythonJson } from './pythonJson';

// UHI JSON (scikit-hep/uhi, uhi_schema 1; servicex-facts.md §10.1): a document maps histogram names to histograms.
// Validation follows the rules of uhi's histogram.schema.json, with messages in the shape of the Python validator's
// ("data.one must contain ['axes'] properties"), then checks what the schema cannot say: that dense data arrays have
// the shape the axes give (bins plus flow bins) and that sparse indexes fit inside it.

export type UhiMetadata = Record<string, string | number | boolean>;

export type UhiAxis = { metadata?: UhiMetadata; writer_info?: Record<string, UhiMetadata> } & (
  | {
      type: 'regular';
      lower: number;
      upper: number;
      bins: number;
      underflow: boolean;
      overflow: boolean;
      circular: boolean;
    }
  | { type: 'variable'; edges: number[] | string; underflow: boolean; overflow: boolean; circular: boolean }
  | { type: 'category_str'; categories: string[]; flow: boolean }
  | { type: 'category_int'; categories: number[]; flow: boolean }
  | { type: 'boolean' }
);

/** A data array: numbers nested one level per axis, or a path to out-of-band data (ZIP or HDF5 flavour). */
export type UhiArray = number[] | UhiArray[] | string;

export interface UhiStorage {
  type: 'int' | 'double' | 'weighted' | 'mean' | 'weighted_mean';
  index?: number[][] | string;
  values?: UhiArray;
  variances?: UhiArray;
  counts?: UhiArray;
  sum_of_weights?: UhiArray;
  sum_of_weights_squared?: UhiArray;
}

export interface UhiHistogram {
  uhi_schema?: 1;
  writer_info?: Record<string, UhiMetadata>;
  metadata?: UhiMetadata;
  axes: UhiAxis[];
  storage: UhiStorage;
}

export type UhiDocument = Record<string, UhiHistogram>;

/** The data fields each storage holds, besides `type` and `index` (uhi histogram.schema.json, `*_storage`). */
export const STORAGE_FIELDS: Record<UhiStorage['type'], readonly (keyof UhiStorage)[]> = {
  int: ['values'],
  double: ['values'],
  weighted: ['values', 'variances'],
  mean: ['counts', 'values', 'variances'],
  weighted_mean: ['sum_of_weights', 'sum_of_weights_squared', 'values', 'variances'],
};

const AXIS_FIELDS: Record<string, { required: readonly string[]; optional: readonly string[] }> = {
  regular: {
    required: ['type', 'lower', 'upper', 'bins', 'underflow', 'overflow', 'circular'],
    optional: ['metadata', 'writer_info'],
  },
  variable: { required: ['type', 'edges', 'underflow', 'overflow', 'circular'], optional: ['metadata', 'writer_info'] },
  category_str: { required: ['type', 'categories', 'flow'], optional: ['metadata', 'writer_info'] },
  category_int: { required: ['type', 'categories', 'flow'], optional: ['metadata', 'writer_info'] },
  boolean: { required: ['type'], optional: ['metadata', 'writer_info'] },
};

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (names: readonly string[]) => `[${names.map((n) => `'${n}'`).join(', ')}]`;
const child = (path: string, key: string) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** Every way `document` breaks the UHI schema (empty when it is valid), one sentence each, with a `data.…` path. */
export function validateUhi(document: Json): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return ['data must be an object mapping histogram names to histograms'];
  for (const [name, hist] of Object.entries(document)) {
    if (name === '') problems.push('data must not contain a histogram with an empty name');
    else checkHistogram(child('data', name), hist, problems);
  }
  return problems;
}

function checkHistogram(path: string, hist: Json, problems: string[]): void {
  if (!isObject(hist)) {
    problems.push(`${path} must be an object (a histogram)`);
    return;
  }
  const missing = ['axes', 'storage'].filter((key) => !(key in hist));
  if (missing.length > 0) {
    problems.push(`${path} must contain ${list(missing)} properties`);
    return;
  }
  for (const key of Object.keys(hist)) {
    if (!['uhi_schema', 'writer_info', 'metadata', 'axes', 'storage'].includes(key))
      problems.push(`${path} must not contain '${key}'`);
  }
  if ('uhi_schema' in hist && hist.uhi_schema !== 1)
    problems.push(`${path}.uhi_schema must be 1 (only uhi_schema 1 is supported)`);
  if ('metadata' in hist) checkMetadata(`${path}.metadata`, hist.metadata, problems);
  if ('writer_info' in hist) checkWriterInfo(`${path}.writer_info`, hist.writer_info, problems);
  const before = problems.length;
  if (!Array.isArray(hist.axes)) problems.push(`${path}.axes must be an array of axes`);
  else hist.axes.forEach((axis, i) => checkAxis(`${path}.axes[${i}]`, axis, problems));
  checkStorage(`${path}.storage`, hist.storage, problems);
  if (problems.length === before) checkShapes(path, hist.axes as UhiAxis[], hist.storage as UhiStorage, problems);
}

function checkMetadata(path: string, metadata: Json, problems: string[]): void {
  if (!isObject(metadata)) {
    problems.push(`${path} must be an object`);
    return;
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (key !== '' && !['string', 'number', 'boolean'].includes(typeof value)) {
      problems.push(
        `${child(path, key)} must be valid exactly by one definition: a string, a number or a boolean (metadata does not nest)`,
      );
    }
  }
}

function checkWriterInfo(path: string, info: Json, problems: string[]): void {
  if (!isObject(info)) {
    problems.push(`${path} must be an object mapping library names to their information`);
    return;
  }
  for (const [library, value] of Object.entries(info)) checkMetadata(child(path, library), value, problems);
}

function checkAxis(path: string, axis: Json, problems: string[]): void {
  if (!isObject(axis) || typeof axis.type !== 'string' || !(axis.type in AXIS_FIELDS)) {
    problems.push(`${path} must be an axis whose type is one of ${list(Object.keys(AXIS_FIELDS))}`);
    return;
  }
  const { required, optional } = AXIS_FIELDS[axis.type];
  const missing = required.filter((key) => !(key in axis));
  if (missing.length > 0) problems.push(`${path} must contain ${list(missing)} properties (a ${axis.type} axis)`);
  for (const key of Object.keys(axis)) {
    if (!required.includes(key) && !optional.includes(key))
      problems.push(`${path} must not contain '${key}' (a ${axis.type} axis)`);
  }
  if ('metadata' in axis) checkMetadata(`${path}.metadata`, axis.metadata, problems);
  if ('writer_info' in axis) checkWriterInfo(`${path}.writer_info`, axis.writer_info, problems);
  for (const key of ['underflow', 'overflow', 'circular', 'flow']) {
    if (key in axis && typeof axis[key] !== 'boolean') problems.push(`${path}.${key} must be true or false`);
  }
  if (axis.type === 'regular') {
    for (const key of ['lower', 'upper'])
      if (key in axis && typeof axis[key] !== 'number') problems.push(`${path}.${key} must be a number`);
    if ('bins' in axis && !(Number.isInteger(axis.bins) && (axis.bins as number) >= 0))
      problems.push(`${path}.bins must be a whole number, 0 or more`);
  } else if (axis.type === 'variable' && 'edges' in axis && typeof axis.edges !== 'string') {
    const edges = axis.edges;
    if (!Array.isArray(edges) || edges.length < 2 || !edges.every((e) => typeof e === 'number')) {
      problems.push(`${path}.edges must be an array of at least two numbers (or a path to out-of-band data)`);
    } else if (edges.some((e, i, all) => i > 0 && !(all[i - 1] < e))) {
      problems.push(`${path}.edges must increase strictly`);
    }
  } else if (axis.type === 'category_str' || axis.type === 'category_int') {
    const kind = axis.type === 'category_str' ? 'string' : 'integer';
    const categories = axis.categories;
    const good = (c: Json) => (kind === 'string' ? typeof c === 'string' : Number.isInteger(c));
    if (!Array.isArray(categories) || !categories.every(good))
      problems.push(`${path}.categories must be an array of ${kind}s`);
    else if (new Set(categories).size !== categories.length)
      problems.push(`${path}.categories must not repeat a category`);
  }
}

function checkStorage(path: string, storage: Json, problems: string[]): void {
  if (!isObject(storage) || typeof storage.type !== 'string' || !(storage.type in STORAGE_FIELDS)) {
    problems.push(`${path} must be a storage whose type is one of ${list(Object.keys(STORAGE_FIELDS))}`);
    return;
  }
  const fields = STORAGE_FIELDS[storage.type as UhiStorage['type']];
  for (const key of Object.keys(storage)) {
    if (key !== 'type' && key !== 'index' && !fields.includes(key as keyof UhiStorage)) {
      problems.push(`${path} must not contain '${key}' (a ${storage.type} storage holds ${list(fields)})`);
    }
  }
  const present = fields.filter((key) => key in storage);
  if ('index' in storage || present.length > 0) {
    const missing = fields.filter((key) => !(key in storage));
    if (missing.length > 0) {
      problems.push(
        `${path} must contain ${list(missing)} properties (a ${storage.type} storage holds all of ${list(fields)} or none)`,
      );
    }
  }
  for (const key of present) {
    const data = storage[key];
    if (typeof data !== 'string' && !isNumberArray(data)) {
      problems.push(`${path}.${key} must be a (nested) array of numbers or a path to out-of-band data`);
    }
  }
  if ('index' in storage && typeof storage.index !== 'string') {
    const index = storage.index;
    if (!Array.isArray(index) || !index.every((row) => Array.isArray(row) && row.every((i) => Number.isInteger(i)))) {
      problems.push(`${path}.index must be an array (one per axis) of arrays of whole numbers`);
    }
  }
}

function isNumberArray(data: Json): boolean {
  return Array.isArray(data) && data.every((item) => typeof item === 'number' || isNumberArray(item));
}

/** How many cells an axis has along its dimension in the data arrays: bins plus flow bins. */
export function axisExtent(axis: UhiAxis): number | undefined {
  switch (axis.type) {
    case 'regular':
      return axis.bins + (axis.underflow ? 1 : 0) + (axis.overflow ? 1 : 0);
    case 'variable':
      return typeof axis.edges === 'string'
        ? undefined
        : axis.edges.length - 1 + (axis.underflow ? 1 : 0) + (axis.overflow ? 1 : 0);
    case 'category_str':
    case 'category_int':
      return axis.categories.length + (axis.flow ? 1 : 0);
    case 'boolean':
      return 2;
  }
}

function checkShapes(path: string, axes: UhiAxis[], storage: UhiStorage, problems: string[]): void {
  const extents = axes.map(axisExtent);
  if (extents.some((e) => e === undefined)) return;
  const shape = extents as number[];
  const fields = STORAGE_FIELDS[storage.type].filter(
    (key) => storage[key] !== undefined && typeof storage[key] !== 'string',
  );
  if (storage.index !== undefined) {
    if (typeof storage.index === 'string') return;
    if (storage.index.length !== Math.max(axes.length, 1)) {
      problems.push(`${path}.storage.index must have one row per axis (${axes.length}), not ${storage.index.length}`);
      return;
    }
    const filled = storage.index[0]?.length ?? 0;
    storage.index.forEach((row, a) => {
      if (row.length !== filled) problems.push(`${path}.storage.index rows must all have the same length`);
      const bad = row.find((i) => i < 0 || i >= (shape[a] ?? 1));
      if (bad !== undefined)
        problems.push(`${path}.storage.index[${a}] holds bin ${bad}, outside the axis's 0 to ${(shape[a] ?? 1) - 1}`);
    });
    for (const key of fields) {
      const data = storage[key] as UhiArray;
      if (!Array.isArray(data) || data.length !== filled || data.some((d) => typeof d !== 'number')) {
        problems.push(`${path}.storage.${key} must be a flat array of ${filled} numbers, one per column of index`);
      }
    }
    return;
  }
  // A histogram without axes holds one cell, written as [value] by boost-histogram.
  const expected = axes.length === 0 ? [1] : shape;
  for (const key of fields) {
    const problem = shapeProblem(storage[key] as UhiArray, expected, 0);
    if (problem) problems.push(`${path}.storage.${key} ${problem}`);
  }
}

function shapeProblem(data: UhiArray, shape: number[], axis: number): string | undefined {
  if (!Array.isArray(data)) return `must be an array along axis ${axis}`;
  if (data.length !== shape[axis]) {
    return `has ${data.length} entries along axis ${axis}, but the axes give ${shape[axis]} (bins plus flow bins)`;
  }
  if (axis === shape.length - 1)
    return data.every((d) => typeof d === 'number') ? undefined : `must hold numbers along axis ${axis}`;
  for (const item of data) {
    const problem = shapeProblem(item as UhiArray, shape, axis + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** Reads a UHI JSON document (Python's NaN and Infinity allowed) and checks it; throws a `HistError` naming every problem. */
export function parseUhi(text: string, source = 'The UHI document'): UhiDocument {
  const document = parsePythonJson(text);
  const problems = validateUhi(document);
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new HistError('invalid', `${source} is not valid UHI JSON: ${shown}${more}.`);
  }
  return document as UhiDocument;
}

/** Writes a UHI document as JSON, as Python's json module would (NaN and Infinity as bare words). */
export function writeUhi(document: UhiDocument): string {
  return `${stringifyPythonJson(document)}\n`;
}
