// Conversions between `file:` URIs and paths, written out so the language service needs no Node module.

/** The file path of a `file:` URI (POSIX, Windows drive or UNC), or undefined for other schemes such as untitled. */
export function documentPath(uri: string): string | undefined {
  const match = /^file:\/\/([^/]*)(\/[^?#]*)?/i.exec(uri);
  if (!match) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(match[2] ?? '/');
  } catch {
    return undefined;
  }
  if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
  const host = match[1];
  return host && host.toLowerCase() !== 'localhost' ? `//${host}${path}` : path;
}

/** A `file:` URI for a path, as VS Code writes them (POSIX, Windows drive or UNC). */
export function fileUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encode = (part: string) => part.split('/').map(encodeURIComponent).join('/');
  if (slashed.startsWith('//')) {
    const [host, ...rest] = slashed.slice(2).split('/');
    return `file://${host}/${encode(rest.join('/'))}`;
  }
  const drive = /^[A-Za-z]:/.exec(slashed)?.[0];
  if (drive) return `file:///${drive.toLowerCase()}%3A${encode(slashed.slice(2))}`;
  return `file://${encode(slashed)}`;
}
