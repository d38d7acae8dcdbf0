import * as vscode from 'vscode';
import type { FacilityProfile } from '../facility/profile';
import { joinUrl } from '../facility/urls';

const secretKey = (profile: FacilityProfile) => `coffeaCasa.hubToken:${profile.hubUrl.replace(/\/+$/, '')}`;

/** What the hub said about the extension's own token when it was created; nothing here is secret. */
export interface ExtensionTokenInfo {
  readonly id: string;
  readonly user: string;
  readonly note?: string;
  readonly created?: string;
  readonly expiresAt?: string;
}

/** A hub token to sign in with, and its description when the extension created it (and may therefore renew it). */
export interface HubCredential {
  readonly secret: string;
  readonly extension?: ExtensionTokenInfo;
}

/**
 * Reads a stored entry: a JSON object for the extension's own tokens, or the bare token that earlier versions, the
 * environment and pasting store.
 */
function parseStored(value: string): HubCredential {
  if (!value.startsWith('{')) return { secret: value };
  try {
    const parsed = JSON.parse(value) as Partial<HubCredential>;
    const info = parsed.extension;
    if (typeof parsed.secret !== 'string' || !parsed.secret) return { secret: value };
    const valid = info && typeof info.id === 'string' && typeof info.user === 'string';
    return valid ? { secret: parsed.secret, extension: info } : { secret: parsed.secret };
  } catch {
    return { secret: value };
  }
}

/**
 * Hub API tokens, kept only in VS Code's secret storage and keyed by hub URL, so two profiles of one hub share a
 * sign-in. Inside a facility's own server the hub's mounted token is used with no typing.
 */
export class HubCredentials {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** A stored token, the environment's token for this hub, or undefined. Never prompts. */
  async find(profile: FacilityProfile): Promise<HubCredential | undefined> {
    const stored = await this.secrets.get(secretKey(profile));
    if (stored) return parseStored(stored);
    const fromEnv = this.fromEnvironment(profile);
    if (fromEnv) await this.secrets.store(secretKey(profile), fromEnv);
    return fromEnv ? { secret: fromEnv } : undefined;
  }

  /** Replaces the stored token of the profile's hub, for example with the extension's own token. */
  async store(profile: FacilityProfile, credential: HubCredential): Promise<void> {
    const value = credential.extension ? JSON.stringify(credential) : credential.secret;
    await this.secrets.store(secretKey(profile), value);
  }

  /**
   * JupyterHub gives each single-user server JUPYTERHUB_API_TOKEN and JUPYTERHUB_API_URL; the token is only offered
   * to the hub it came from.
   */
  private fromEnvironment(profile: FacilityProfile): string | undefined {
    const token = this.env.JUPYTERHUB_API_TOKEN;
    const apiUrl = this.env.JUPYTERHUB_API_URL;
    if (!token || !apiUrl) return undefined;
    const normalise = (url: string) => url.replace(/\/+$/, '');
    return normalise(apiUrl) === normalise(joinUrl(profile.hubUrl, 'hub/api')) ? token : undefined;
  }

  /** Asks the user to paste a token, offering to open the hub's token page. Returns undefined if cancelled. */
  async ask(profile: FacilityProfile): Promise<HubCredential | undefined> {
    const tokenPage = joinUrl(profile.hubUrl, 'hub/token');
    const open: vscode.QuickInputButton = {
      iconPath: new vscode.ThemeIcon('link-external'),
      tooltip: `Open ${tokenPage}`,
    };
    const input = vscode.window.createInputBox();
    input.title = `Sign in to ${profile.name}`;
    input.prompt = `Paste a JupyterHub API token. Create one at ${tokenPage} (the button above opens it).`;
    input.password = true;
    input.ignoreFocusOut = true;
    input.buttons = [open];
    const token = await new Promise<string | undefined>((resolve) => {
      input.onDidTriggerButton(() => void vscode.env.openExternal(vscode.Uri.parse(tokenPage)));
      input.onDidAccept(() => resolve(input.value.trim() || undefined));
      input.onDidHide(() => resolve(undefined));
      input.show();
    });
    input.dispose();
    if (!token) return undefined;
    await this.secrets.store(secretKey(profile), token);
    return { secret: token };
  }

  async forget(profile: FacilityProfile): Promise<void> {
    await this.secrets.delete(secretKey(profile));
  }
}
