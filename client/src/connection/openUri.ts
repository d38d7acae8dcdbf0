import { serverNameProblem } from '../facility/hub';

// A link such as vscode://coffea-casa.coffea-casa-vscode/open?facility=coffea.casa&server=gpu can come from any web
// page, so everything in it is checked here and only names the user already configured get through: the link can
// choose a facility and a server, never a command, a URL or a token.

/** What a valid `/open` link asks for. */
export interface OpenRequest {
  readonly facility: string;
  /** The server to show: "" for the default server; absent when the link names none. */
  readonly server?: string;
}

/** The outcome of reading a link: the request, or a sentence saying why it is refused. */
export type ParsedUri =
  { readonly ok: true; readonly request: OpenRequest } | { readonly ok: false; readonly message: string };

/** Links longer than this are refused outright; a real one is a few dozen characters. */
const MAX_QUERY_LENGTH = 1000;
const MAX_FACILITY_LENGTH = 100;
const ALLOWED_KEYS = new Set(['facility', 'server']);

/**
 * Reads the path and query of a link to the extension; `facilities` are the configured profile names, the only
 * facilities a link may name. Pure, so that hostile links are unit-tested.
 */
export function parseOpenUri(path: string, query: string, facilities: readonly string[]): ParsedUri {
  const refuse = (message: string): ParsedUri => ({ ok: false, message });
  if (path !== '/open') return refuse(`the link asks for "${printable(path)}"; only "/open" is understood.`);
  if (query.length > MAX_QUERY_LENGTH) return refuse('the link is too long.');
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return refuse('the link cannot be read.');
  }
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!ALLOWED_KEYS.has(key)) return refuse(`the link has an unknown parameter "${printable(key)}".`);
    if (seen.has(key)) return refuse(`the link gives "${key}" more than once.`);
    seen.add(key);
  }
  const facility = params.get('facility');
  if (!facility) return refuse('the link names no facility.');
  if (facility.length > MAX_FACILITY_LENGTH) return refuse('the facility name in the link is too long.');
  // Path separators and control characters are never part of a profile name; naming them would only confuse.
  if (/[/\\\p{Cc}]/u.test(facility) || facility.includes('..')) {
    return refuse('the facility name in the link has characters no facility name has.');
  }
  if (!facilities.includes(facility)) {
    return refuse(`there is no facility profile named "${facility}". Add it to coffeaCasa.facilities first.`);
  }
  const server = params.get('server');
  if (server === null) return { ok: true, request: { facility } };
  const problem = serverNameProblem(server);
  if (problem) return refuse(`"${printable(server)}" is not a server name: ${problem}`);
  return { ok: true, request: { facility, server } };
}

/** Shortens and neutralises text from a link before it appears in a message. */
function printable(text: string): string {
  const clean = text.replace(/[^\p{L}\p{N} ._-]/gu, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
