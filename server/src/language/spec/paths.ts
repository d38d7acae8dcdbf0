// Path arithmetic for `!include`, written out here so the language service needs no Node module and behaves the
// same for POSIX paths and Windows paths that reach it from a `file:` URI.

const isAbsolute = (path: string) => path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);

/** The folder of a file path. */
export function dirname(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '.';
  if (cut === 0) return path[0];
  return /^[A-Za-z]:[\\/]$/.test(path.slice(0, cut + 1)) ? path.slice(0, cut + 1) : path.slice(0, cut);
}

/** The last component of a path. */
export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** Resolves `target` against the folder `base`, as Python's `os.path.abspath(os.path.join(base, target))` would. */
export function resolvePath(base: string, target: string): string {
  const joined = isAbsolute(target) ? target : `${base}/${target}`;
  const separator = joined.includes('/') || !joined.includes('\\') ? '/' : '\\';
  const drive = /^[A-Za-z]:/.exec(joined)?.[0] ?? '';
  const rooted = isAbsolute(joined.slice(drive.length));
  const parts: string[] = [];
  for (const part of joined.slice(drive.length).split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!rooted) parts.push(part);
    } else parts.push(part);
  }
  return `${drive}${rooted ? separator : ''}${parts.join(separator)}` || '.';
}

/** A path relative to a folder when it lies inside it, for short messages; otherwise the path itself. */
export function relativeTo(base: string, path: string): string {
  const prefix = base.endsWith('/') || base.endsWith('\\') ? base : `${base}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
