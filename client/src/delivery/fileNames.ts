import { createHash } from 'node:crypto';
import { join } from 'node:path';

// Local names of result files in the Python client's cache folder (servicex-facts.md §1.9): optionally shortened,
// then sanitised, as `MinioAdapter.download_file` does. Object names come from the server, so before that we refuse
// any that could leave the folder.

/** Names longer than this (in code points) are shortened when `shortened_downloaded_filename` is set. */
const MAX_PATH_LEN = 60;

/** `MinioAdapter.hash_path`: "_" + sha1(UTF-8 name) + the name's last 19 code points, when longer than 60. */
export function hashPath(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_PATH_LEN) return name;
  const hash = createHash('sha1').update(name, 'utf8').digest('hex');
  return `_${hash}${chars.slice(-(MAX_PATH_LEN - hash.length - 1)).join('')}`;
}

/** `_sanitize_filename`: `*`, `;` and `:` become `_`. */
export function sanitizeFilename(name: string): string {
  return name.replace(/[*;:]/g, '_');
}

/** The file name the client would write for an object, or why we refuse the object name. */
export function cacheFileName(
  objectName: string,
  shorten: boolean,
): { readonly ok: true; readonly name: string } | { readonly ok: false; readonly message: string } {
  const refuse = (why: string) => ({
    ok: false as const,
    message: `Refusing the result name ${JSON.stringify(objectName.slice(0, 200))} from the server: ${why}.`,
  });
  if (objectName === '') return refuse('it is empty');
  if (objectName.includes('\0')) return refuse('it holds a NUL character');
  // A drive letter needs no check: its colon is replaced below.
  if (/^[\\/]/.test(objectName)) return refuse('it is an absolute path');
  if (/[\\/]/.test(objectName)) return refuse('it contains a path separator');
  if (objectName === '.' || objectName === '..') return refuse('it names a folder, not a file');
  const name = sanitizeFilename(shorten ? hashPath(objectName) : objectName);
  return { ok: true, name };
}

/** Where the client would put an object of a request: `<cache>/<request id>/<local name>`, or why not. */
export function cacheFilePath(
  cacheFolder: string,
  requestId: string,
  objectName: string,
  shorten: boolean,
): { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string } {
  // The request id names a folder too, and it also comes from the server.
  if (!/^[A-Za-z0-9._-]+$/.test(requestId) || /^\.+$/.test(requestId))
    return {
      ok: false,
      message: `Refusing the request id ${JSON.stringify(requestId.slice(0, 80))} as a folder name.`,
    };
  const name = cacheFileName(objectName, shorten);
  return name.ok ? { ok: true, path: join(cacheFolder, requestId, name.name) } : name;
}
