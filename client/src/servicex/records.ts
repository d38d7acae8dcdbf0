import { isRecord, optionalNumber, optionalString, ShapeError, shapeError } from '../facility/shape';

// Typed views of ServiceX's JSON (servicex-facts.md §1.6–1.8). The server mixes snake_case and kebab-case; these
// readers take the exact names and give camelCase fields.

/** The statuses after which a transform changes no more (the Python client's DONE_STATUS, §1.6). */
export const DONE_STATUSES: readonly string[] = ['Complete', 'Fatal', 'Canceled', 'Bad Dataset'];

export function isDone(status: string): boolean {
  return DONE_STATUSES.includes(status);
}

/** A transform request as `GET /servicex/transformation[/<id>]` describes it. */
export interface TransformRecord {
  readonly requestId: string;
  readonly title?: string;
  readonly did: string;
  readonly didId?: number;
  readonly selection: string;
  readonly codegenImage?: string;
  readonly resultFormat?: string;
  readonly resultDestination?: string;
  readonly status: string;
  readonly failureInfo?: string;
  readonly files: number;
  readonly filesCompleted: number;
  readonly filesFailed: number;
  readonly filesRemaining?: number;
  readonly submitTime?: string;
  /** Absent while running: the server sends the string "None" then (§12.3). */
  readonly finishTime?: string;
  /** Only on a single record, when results go to the object store. */
  readonly minioEndpoint?: string;
}

/** `GET …/status` (§1.7). */
export interface TransformProgress {
  readonly status: string;
  readonly requestId: string;
  readonly finishTime?: string;
  readonly filesCompleted: number;
  readonly filesFailed: number;
  readonly filesRemaining?: number;
}

/** One row of `GET …/results` (§1.4). */
export interface ResultFile {
  readonly objectName: string;
  readonly totalBytes: number;
  readonly status: string;
  readonly createdAt?: string;
  readonly filePath?: string;
}

/** A cached dataset (§1.8). */
export interface CachedDataset {
  readonly id: number;
  readonly name: string;
  readonly didFinder: string;
  readonly files: number;
  readonly size: number;
  readonly events: number;
  readonly lastUsed?: string;
  readonly lastUpdated?: string;
  readonly lookupStatus: string;
  readonly stale: boolean;
}

/** `finish-time` as the Python client reads it: the string "None" (or null) means still running. */
export function parseFinishTime(value: unknown): string | undefined {
  return typeof value === 'string' && value !== 'None' ? value : undefined;
}

export function readTransform(body: unknown): TransformRecord | ShapeError {
  if (!isRecord(body)) return shapeError('a transform record is not an object');
  const requestId = optionalString(body, 'request_id');
  const status = optionalString(body, 'status');
  if (!requestId) return shapeError('a transform record has no "request_id"');
  if (!status) return shapeError(`transform ${requestId} has no "status"`);
  return {
    requestId,
    title: optionalString(body, 'title'),
    did: optionalString(body, 'did') ?? '',
    didId: optionalNumber(body, 'did_id'),
    selection: optionalString(body, 'selection') ?? '',
    codegenImage: optionalString(body, 'code-gen-image'),
    resultFormat: optionalString(body, 'result-format'),
    resultDestination: optionalString(body, 'result-destination'),
    status,
    failureInfo: optionalString(body, 'failure-info'),
    files: optionalNumber(body, 'files') ?? 0,
    filesCompleted: optionalNumber(body, 'files-completed') ?? 0,
    filesFailed: optionalNumber(body, 'files-failed') ?? 0,
    filesRemaining: optionalNumber(body, 'files-remaining'),
    submitTime: optionalString(body, 'submit-time'),
    finishTime: parseFinishTime(body['finish-time']),
    minioEndpoint: optionalString(body, 'minio-endpoint'),
  };
}

export function readTransformList(body: unknown): TransformRecord[] | ShapeError {
  if (!isRecord(body) || !Array.isArray(body.requests)) return shapeError('the list has no "requests" array');
  return everyOf(body.requests, readTransform);
}

export function readProgress(body: unknown): TransformProgress | ShapeError {
  if (!isRecord(body)) return shapeError('the status answer is not an object');
  const status = optionalString(body, 'status');
  if (!status) return shapeError('the status answer has no "status"');
  return {
    status,
    requestId: optionalString(body, 'request-id') ?? '',
    finishTime: parseFinishTime(body['finish-time']),
    filesCompleted: optionalNumber(body, 'files-completed') ?? 0,
    filesFailed: optionalNumber(body, 'files-failed') ?? 0,
    filesRemaining: optionalNumber(body, 'files-remaining'),
  };
}

export function readResults(body: unknown): ResultFile[] | ShapeError {
  if (!isRecord(body) || !Array.isArray(body.results)) return shapeError('the results answer has no "results" array');
  return everyOf(body.results, (row: unknown) => {
    if (!isRecord(row)) return shapeError('a result row is not an object');
    const objectName = optionalString(row, 's3-object-name');
    const totalBytes = optionalNumber(row, 'total-bytes');
    if (objectName === undefined) return shapeError('a result row has no "s3-object-name"');
    if (totalBytes === undefined || totalBytes < 0) return shapeError(`result ${objectName} has no "total-bytes"`);
    return {
      objectName,
      totalBytes,
      status: optionalString(row, 'transform_status') ?? '',
      createdAt: optionalString(row, 'created_at'),
      filePath: optionalString(row, 'file-path'),
    };
  });
}

/** `{"uris": {name: [url, headers, expiry]}}` from `file-urls` (§1.4). */
export function readFileUrls(body: unknown): Map<string, string> | ShapeError {
  if (!isRecord(body) || !isRecord(body.uris)) return shapeError('the file-urls answer has no "uris" object');
  const urls = new Map<string, string>();
  for (const [name, value] of Object.entries(body.uris)) {
    if (!Array.isArray(value) || typeof value[0] !== 'string') return shapeError(`the URL of ${name} is missing`);
    urls.set(name, value[0]);
  }
  return urls;
}

export function readDataset(body: unknown): CachedDataset | ShapeError {
  if (!isRecord(body)) return shapeError('a dataset is not an object');
  const id = optionalNumber(body, 'id');
  if (id === undefined) return shapeError('a dataset has no "id"');
  return {
    id,
    name: optionalString(body, 'name') ?? '',
    didFinder: optionalString(body, 'did_finder') ?? '',
    files: optionalNumber(body, 'n_files') ?? 0,
    size: optionalNumber(body, 'size') ?? 0,
    events: optionalNumber(body, 'events') ?? 0,
    lastUsed: optionalString(body, 'last_used'),
    lastUpdated: optionalString(body, 'last_updated'),
    lookupStatus: optionalString(body, 'lookup_status') ?? '',
    stale: body.is_stale === true,
  };
}

export function readDatasetList(body: unknown): CachedDataset[] | ShapeError {
  if (!isRecord(body) || !Array.isArray(body.datasets)) return shapeError('the answer has no "datasets" array');
  return everyOf(body.datasets, readDataset);
}

function everyOf<T>(items: unknown[], read: (item: unknown) => T | ShapeError): T[] | ShapeError {
  const out: T[] = [];
  for (const item of items) {
    const value = read(item);
    if (value instanceof ShapeError) return value;
    out.push(value);
  }
  return out;
}
