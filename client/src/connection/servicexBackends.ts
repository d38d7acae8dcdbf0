import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  cacheFolder,
  findServiceXConfig,
  readServiceXConfig,
  resolveCachePath,
  type ConfigResult,
} from '../delivery/config';
import type { Facility } from '../facility/facility';
import { ServiceXClient } from '../servicex/client';

/** A ServiceX endpoint shown under a facility: the profile's own, and those of the user's servicex.yaml. */
export interface ServiceXBackend {
  /** The servicex.yaml name, or the facility's name for the profile's endpoint. */
  readonly name: string;
  readonly url: string;
  readonly source: 'profile' | 'servicex.yaml';
}

const secretKey = (url: string) => `coffeaCasa.servicex:${normalise(url)}`;
const normalise = (url: string) => url.replace(/\/+$/, '').toLowerCase();

/**
 * The user's ServiceX endpoints and their tokens. Tokens come from VS Code's secret storage first (added with "Add
 * ServiceX Token"), then from the servicex.yaml the Python client would read (`coffeaCasa.servicex.configFile`, else
 * its own search from the first workspace folder). Clients are kept per endpoint so that access tokens are reused.
 */
export class ServiceXBackends {
  private parsed?: { key: string; result: ConfigResult };
  private readonly clients = new Map<string, { client: ServiceXClient; facility: Facility; token?: string }>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /**
   * The servicex.yaml in effect, or why there is none (a message, never with a token). Every tree render asks several
   * times, so the parsed file is kept until its path or modification time changes.
   */
  config(): ConfigResult {
    const explicit = vscode.workspace.getConfiguration('coffeaCasa').get<string>('servicex.configFile') || undefined;
    const start = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
    const file = findServiceXConfig(start, explicit);
    const key = file ? `${file}\u0000${modified(file)}` : `none\u0000${explicit ?? start}`;
    if (this.parsed?.key !== key) this.parsed = { key, result: readServiceXConfig(start, explicit) };
    return this.parsed.result;
  }

  /** Where downloads go, as the Python client decides from the same file (its default without one). */
  cacheFolder(): string {
    const config = this.config();
    const start = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
    return config.ok ? cacheFolder(config.value, start) : resolveCachePath(undefined);
  }

  /** Whether downloaded names are shortened, as `shortened_downloaded_filename` says (off by default, as in Python). */
  shortenNames(): boolean {
    const config = this.config();
    return config.ok && config.value.shortenedDownloadedFilename;
  }

  /** The endpoints to show for a facility: its profile's first, then the file's, without repeats. */
  backends(profile: { name: string; servicexUrl?: string }): ServiceXBackend[] {
    const list: ServiceXBackend[] = [];
    if (profile.servicexUrl) list.push({ name: profile.name, url: profile.servicexUrl, source: 'profile' });
    const config = this.config();
    if (config.ok) {
      for (const endpoint of config.value.endpoints) {
        if (list.some((b) => normalise(b.url) === normalise(endpoint.endpoint))) continue;
        list.push({ name: endpoint.name, url: endpoint.endpoint, source: 'servicex.yaml' });
      }
    }
    return list;
  }

  /** A client for one endpoint through the facility's connection pool, with the best token known. */
  async client(facility: Facility, url: string): Promise<ServiceXClient> {
    const token = (await this.secrets.get(secretKey(url))) ?? tokenFromConfig(this.config(), url);
    const key = `${facility.profile.name}\u0000${normalise(url)}`;
    const kept = this.clients.get(key);
    if (kept && kept.facility === facility && kept.token === token) return kept.client;
    const client = new ServiceXClient(facility.http, { url, ...(token ? { refreshToken: token } : {}) });
    this.clients.set(key, { client, facility, token });
    return client;
  }

  /** Keeps a refresh token for an endpoint in secret storage. */
  async setToken(url: string, token: string): Promise<void> {
    await this.secrets.store(secretKey(url), token);
  }
}

function modified(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function tokenFromConfig(config: ConfigResult, url: string): string | undefined {
  if (!config.ok) return undefined;
  const found = config.value.endpoints.find((e) => normalise(e.endpoint) === normalise(url));
  return found?.token || undefined;
}
