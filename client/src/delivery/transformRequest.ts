import { createHash } from 'node:crypto';
import { compareCodePoints, pythonRepr } from './pythonRepr';

// The body of `POST /servicex/transformation` as the Python client 3.x builds it (servicex-facts.md §1.5): its
// `TransformRequest` dumped with aliases and without None fields, then `client-version` added. Key order follows the
// model's field order, which is also the order the client sends.

/** `General.OutputFormat` as written in a spec (§3.3). */
export type SpecOutputFormat = 'parquet' | 'root-ttree' | 'root-rntuple';

/** `result-format` as sent to the server. */
export type ResultFormat = 'parquet' | 'root-file' | 'root-rntuple';

/** The spec name → the REST value (`OutputFormatEnum.to_ResultFormat`). */
export const RESULT_FORMATS: Readonly<Record<SpecOutputFormat, ResultFormat>> = {
  parquet: 'parquet',
  'root-ttree': 'root-file',
  'root-rntuple': 'root-rntuple',
};

/** The REST value → the Python enum member's name, which is what the request hash contains. */
const RESULT_FORMAT_NAMES: Readonly<Record<ResultFormat, string>> = {
  parquet: 'parquet',
  'root-file': 'root_ttree',
  'root-rntuple': 'root_rntuple',
};

/** A submit body, keys spelled as on the wire. Exactly one of `did` and `file-list` is present. */
export interface TransformRequestBody {
  readonly title?: string;
  readonly did?: string;
  readonly 'file-list'?: readonly string[];
  readonly selection: string;
  readonly codegen: string;
  readonly 'result-destination': 'object-store';
  readonly 'result-format': ResultFormat;
  readonly 'client-version'?: string;
}

/** Builds a body with the keys in the client's order, leaving out what the client leaves out. */
export function transformRequestBody(fields: {
  title?: string;
  did?: string;
  fileList?: readonly string[];
  selection: string;
  codegen: string;
  resultFormat: ResultFormat;
  clientVersion?: string;
}): TransformRequestBody {
  return {
    ...(fields.title !== undefined && { title: fields.title }),
    ...(fields.did !== undefined && { did: fields.did }),
    ...(fields.fileList !== undefined && { 'file-list': [...fields.fileList] }),
    selection: fields.selection,
    codegen: fields.codegen,
    'result-destination': 'object-store',
    'result-format': fields.resultFormat,
    ...(fields.clientVersion !== undefined && { 'client-version': fields.clientVersion }),
  };
}

/**
 * `TransformRequest.compute_hash`: sha256 of the UTF-8 of Python's `str()` of
 * `[did, selection, None, codegen, None, <result format member name>, sorted(file_list) or None]` (the two Nones
 * stand for the tree name and image of older clients). This is the key of the Python client's local cache.
 */
export function requestHash(request: TransformRequestBody): string {
  const files = request['file-list'];
  const text = pythonRepr([
    request.did ?? null,
    request.selection,
    null,
    request.codegen,
    null,
    RESULT_FORMAT_NAMES[request['result-format']],
    files && files.length > 0 ? [...files].sort(compareCodePoints) : null,
  ]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
