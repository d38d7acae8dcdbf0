import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';

// Object names come from the server and are not trusted: they become file names inside the download folder only.
// The shortening and the character replacements are the Python client's (servicex-facts.md §1.9, its
// `MinioAdapter.hash_path` and `_sanitize_filename`), so a folder we fill matches what it would write.

/** Names longer than this many characters are shortened (the Python client's `MAX_PATH_LEN`). */
export const MAX_NAME_LENGTH = 60;

/** The Python client's rule: a name longer than 60 characters becomes "_" + sha1(name) + its last 19 characters. */
export function shortenedName(objectName: string): string {
  const chars = [...objectName]; // Python counts code points, not UTF-16 units.
  if (chars.length <= MAX_NAME_LENGTH) return objectName;
  const hash = createHash('sha1').update(objectName, 'utf8').digest('hex');
  return `_${hash}${chars.slice(-(MAX_NAME_LENGTH - hash.length - 1)).join('')}`;
}

/**
 * The local file name for an object: optionally shortened, then `*`, `;` and `:` replaced as the Python client does,
 * and, beyond it, path separators and control characters replaced so that no name can leave the folder.
 */
export function localFileName(objectName: string, shorten: boolean): string {
  const name = (shorten ? shortenedName(objectName) : objectName)
    .replace(/[*;:]/g, '_')
    .replace(/[/\\]/g, '_')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '_');
  if (name === '' || name === '.' || name === '..') return `_${name}`;
  return name;
}

/** The path of `name` inside `folder`, or undefined if it would lie anywhere else (a last line of defence). */
export function insideFolder(folder: string, name: string): string | undefined {
  const base = resolve(folder);
  const target = resolve(base, name);
  const rel = relative(base, target);
  if (!rel || rel === '..' || isAbsolute(rel) || rel.includes('/') || rel.includes('\\')) return undefined;
  return target;
}
