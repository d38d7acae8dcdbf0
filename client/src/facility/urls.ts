/** True for host names that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Joins a base URL and a path without doubling or losing slashes, keeping any path prefix of the base. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Replaces anything that looks like a credential in a URL or message before it reaches a log. */
export function redact(text: string): string {
  return text
    .replace(/(authorization:\s*(?:token|bearer)\s+)\S+/gi, '$1***')
    .replace(/([?&](?:token|access_token|api_token)=)[^&\s]+/gi, '$1***')
    .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@')
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '***');
}

/** The host:port of a URL for messages and labels, or the text itself when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The absolute URL of a user's Jupyter server. The hub gives the server's URL as an absolute path (`/user/alice/`)
 * that already holds the hub's base path, so it replaces the hub URL's path rather than joining onto it.
 */
export function serverBaseUrl(hubUrl: string, serverUrl: string): string {
  const path = serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`;
  return new URL(path, hubUrl).toString();
}
