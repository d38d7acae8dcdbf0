import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, isAbsolute, join, parse as parsePath, resolve } from 'node:path';
import { parseDocument } from 'yaml';

// The Python client's `servicex.yaml` / `.servicex` (servicex-facts.md §2): where it is looked for, what it holds, and
// where its cache lives. Tokens are handed to the caller and never put in a message.

/** One `api_endpoints` item. */
export interface ServiceXEndpoint {
  readonly name: string;
  readonly endpoint: string;
  /** The refresh token; "" when the endpoint needs none. Secret: never log it. */
  readonly token: string;
}

/** A read configuration file. */
export interface ServiceXConfig {
  readonly file: string;
  readonly endpoints: readonly ServiceXEndpoint[];
  readonly defaultEndpoint?: string;
  /** `cache_path` resolved as the client does (may be relative, like the client's). */
  readonly cachePath: string;
  readonly shortenedDownloadedFilename: boolean;
}

/** A configuration, or a message for the user. */
export type ConfigResult =
  { readonly ok: true; readonly value: ServiceXConfig } | { readonly ok: false; readonly message: string };

/** What finding and resolving depend on; the defaults are this process's. */
export interface ConfigEnvironment {
  readonly home?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly tempDir?: string;
}

const NOT_FOUND = "Can't find .servicex or servicex.yaml config file";

/**
 * The file the client reads: `explicitPath` if given (and nothing else); otherwise `.servicex`, then `servicex.yaml`,
 * in `startDir` and each folder above it; then the same two names in the home folder.
 */
export function findServiceXConfig(startDir: string, explicitPath?: string, home = homedir()): string | undefined {
  if (explicitPath) return existsSync(resolve(explicitPath)) ? resolve(explicitPath) : undefined;
  for (let folder = resolve(startDir); ; folder = dirname(folder)) {
    for (const name of ['.servicex', 'servicex.yaml']) if (existsSync(join(folder, name))) return join(folder, name);
    if (dirname(folder) === folder) break;
  }
  for (const name of ['.servicex', 'servicex.yaml']) if (existsSync(join(home, name))) return join(home, name);
  return undefined;
}

/** Finds and reads the configuration as `Configuration.read(config_path)` does. */
export function readServiceXConfig(
  startDir: string,
  explicitPath?: string,
  environment: ConfigEnvironment = {},
): ConfigResult {
  const file = findServiceXConfig(startDir, explicitPath, environment.home ?? homedir());
  if (!file) {
    const where = explicitPath
      ? ` in ${explicitPath}`
      : ` (looked in ${resolve(startDir)}, the folders above it and your home folder)`;
    return { ok: false, message: `${NOT_FOUND}${where}. Run "servicex init" or add an endpoint in VS Code.` };
  }
  if (statSync(file).isDirectory())
    return { ok: false, message: `${file} is a folder; the ServiceX client expects a YAML file there.` };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, message: `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.` };
  }
  return parseServiceXConfig(text, file, environment);
}

/** Parses a configuration file's text (PyYAML reads YAML 1.1, so `yes`/`no` are booleans there too). */
export function parseServiceXConfig(text: string, file: string, environment: ConfigEnvironment = {}): ConfigResult {
  const bad = (why: string): ConfigResult => ({
    ok: false,
    message: `${file} is not a valid ServiceX configuration: ${why}`,
  });
  const document = parseDocument(text, { version: '1.1', prettyErrors: false });
  // Only the position of a syntax error is reported: the parser's own message quotes the line, which may hold a token.
  const syntax = document.errors[0];
  if (syntax) return bad(`YAML syntax error at line ${lineOf(text, syntax.pos[0])}.`);
  let data: unknown;
  try {
    data = document.toJS();
  } catch {
    return bad('its YAML cannot be loaded (an alias or tag the loader refuses).');
  }
  // An empty file loads as None, which the client treats like a missing file.
  if (!data) return { ok: false, message: `${NOT_FOUND} in ${file}: the file is empty.` };
  if (!isObject(data)) return bad('the top level must be a mapping with api_endpoints.');
  const list = data.api_endpoints;
  if (!Array.isArray(list)) return bad('api_endpoints is missing or is not a list of endpoints.');
  const endpoints: ServiceXEndpoint[] = [];
  for (const [index, item] of list.entries()) {
    const where = `api_endpoints item ${index + 1}`;
    if (!isObject(item)) return bad(`${where} must be a mapping with endpoint and name.`);
    if (typeof item.endpoint !== 'string') return bad(`${where} needs "endpoint", the ServiceX URL, as a string.`);
    if (typeof item.name !== 'string') return bad(`${where} needs "name" as a string.`);
    if (item.token !== undefined && item.token !== null && typeof item.token !== 'string')
      return bad(`${where} has a token that is not a string; quote it.`);
    endpoints.push({
      name: item.name,
      endpoint: item.endpoint,
      token: typeof item.token === 'string' ? item.token : '',
    });
  }
  // pydantic takes the alias first when both spellings are present.
  const defaultEndpoint = data['default-endpoint'] ?? data.default_endpoint;
  if (defaultEndpoint !== undefined && defaultEndpoint !== null && typeof defaultEndpoint !== 'string')
    return bad('default-endpoint must be the name of an endpoint.');
  const cachePath = data['cache-path'] ?? data.cache_path;
  if (cachePath !== undefined && cachePath !== null && typeof cachePath !== 'string')
    return bad('cache_path must be a folder path.');
  const shortened = data.shortened_downloaded_filename;
  const shortenedValue = shortened === undefined || shortened === null ? false : pythonBool(shortened);
  if (shortenedValue === undefined) return bad('shortened_downloaded_filename must be true or false.');
  return {
    ok: true,
    value: {
      file,
      endpoints,
      ...(typeof defaultEndpoint === 'string' && { defaultEndpoint }),
      cachePath: resolveCachePath(typeof cachePath === 'string' ? cachePath : undefined, environment),
      shortenedDownloadedFilename: shortenedValue,
    },
  };
}

/** The endpoint the client uses: the named one, else `default-endpoint`, else the first. */
export function chooseEndpoint(
  config: ServiceXConfig,
  name?: string,
): { ok: true; value: ServiceXEndpoint } | { ok: false; message: string } {
  const wanted = name ?? config.defaultEndpoint ?? config.endpoints[0]?.name;
  const found = config.endpoints.find((e) => e.name === wanted);
  if (found) return { ok: true, value: found };
  if (wanted === undefined) return { ok: false, message: `${config.file} lists no endpoints under api_endpoints.` };
  const valid = config.endpoints.map((e) => e.name).join(', ');
  return { ok: false, message: `Backend ${wanted} not defined in ${config.file} file. Valid backend names: ${valid}` };
}

/**
 * `Configuration.expand_cache_path`: default `/tmp/servicex_${USER}`; `~` expanded; `${USER}` replaced by the login
 * name; a path whose second component is `tmp` (so `/tmp/...`) moved under the platform's temp folder.
 */
export function resolveCachePath(cachePath: string | undefined, environment: ConfigEnvironment = {}): string {
  const env = environment.env ?? process.env;
  const home = environment.home ?? env.HOME ?? homedir();
  let path = cachePath || '/tmp/servicex_${USER}';
  if (path === '~' || path.startsWith('~/')) path = home + path.slice(1);
  if (path.includes('${USER}')) path = path.split('${USER}').join(loginName(env));
  const root = parsePath(path).root;
  const parts = path
    .slice(root.length)
    .split(/[\\/]+/)
    .filter((p) => p !== '' && p !== '.');
  // PurePath.parts counts the root as the first part, so for a relative path the check looks at the second folder.
  const all = root ? [root, ...parts] : parts;
  if (all.length > 1 && all[1] === 'tmp') return posix(join(environment.tempDir ?? tmpdir(), ...all.slice(2)));
  return posix(root + parts.join('/')) || '.';
}

/** `getpass.getuser()`: the first of LOGNAME, USER, LNAME, USERNAME, then the account's name. */
function loginName(env: Readonly<Record<string, string | undefined>>): string {
  for (const key of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) if (env[key]) return env[key];
  return userInfo().username;
}

/** Where the cache's folders resolve to, for a path the client may keep relative to its working folder. */
export function cacheFolder(config: ServiceXConfig, workingDir: string): string {
  return isAbsolute(config.cachePath) ? config.cachePath : resolve(workingDir, config.cachePath);
}

const posix = (path: string) => path.split('\\').join('/');
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

function pythonBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['1', 'on', 't', 'true', 'y', 'yes'].includes(word)) return true;
  if (['0', 'off', 'f', 'false', 'n', 'no'].includes(word)) return false;
  return undefined;
}
