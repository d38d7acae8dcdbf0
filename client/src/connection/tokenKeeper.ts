import { hostname } from 'node:os';
import type { Facility } from '../facility/facility';
import type { HubIdentity } from '../facility/hub';
import {
  createExtensionToken,
  describeExpiry,
  renewExtensionToken,
  shouldRenew,
  type CreatedHubToken,
} from '../facility/hubTokens';
import type { FacilityProfile } from '../facility/profile';
import type { ExtensionTokenInfo, HubCredential } from './credentials';

/** Where the keeper writes what it did; `Log` fits. */
export interface TokenLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Saves a credential for a profile's hub; `HubCredentials.store` fits. */
export type SaveCredential = (profile: FacilityProfile, credential: HubCredential) => Promise<void>;

/**
 * Keeps a facility session on a token of the extension's own: it swaps a pasted (or environment) token for a new
 * extension token once the hub accepted it, and renews the extension token near its expiry. Both are best effort: when
 * the hub refuses, the session goes on with the token it has, and only the log says why.
 */
export class TokenKeeper {
  constructor(
    private readonly save: SaveCredential,
    private readonly log: TokenLog,
    private readonly now: () => Date = () => new Date(),
    private readonly host: string = hostname(),
  ) {}

  /** A credential to switch the session to, already stored, or undefined to keep the current one. */
  async check(
    profile: FacilityProfile,
    facility: Facility,
    credential: HubCredential,
    identity: HubIdentity,
    signal: AbortSignal,
  ): Promise<HubCredential | undefined> {
    // Service tokens have no user whose tokens could be created.
    if (identity.kind !== 'user') return undefined;
    const current = credential.extension;
    if (!current || current.user !== identity.name) return this.create(profile, facility, identity.name, signal);
    if (!shouldRenew(current.expiresAt, this.now(), current.created)) return undefined;
    const renewed = await renewExtensionToken(facility.hub, identity.name, current.id, this.host, signal);
    if (!renewed.ok) {
      this.log.warn(`${profile.name}: the extension token could not be renewed: ${renewed.error.message}`);
      return undefined;
    }
    if (!renewed.value.oldDeleted) this.log.info(`${profile.name}: the previous extension token was left to expire.`);
    return this.adopt(profile, identity.name, renewed.value, 'Renewed');
  }

  private async create(
    profile: FacilityProfile,
    facility: Facility,
    user: string,
    signal: AbortSignal,
  ): Promise<HubCredential | undefined> {
    const created = await createExtensionToken(facility.hub, user, this.host, signal);
    if (!created.ok) {
      // A token without the `tokens` scope (a server's own token, say) cannot create one: that is not a problem.
      if (created.error.kind !== 'cancelled')
        this.log.info(`${profile.name}: keeping the token as it is (${created.error.message})`);
      return undefined;
    }
    return this.adopt(profile, user, created.value, 'Created');
  }

  private async adopt(
    profile: FacilityProfile,
    user: string,
    created: CreatedHubToken,
    verb: string,
  ): Promise<HubCredential> {
    const { model } = created;
    const extension: ExtensionTokenInfo = {
      id: model.id,
      user,
      note: model.note,
      created: model.created,
      expiresAt: model.expiresAt,
    };
    const credential: HubCredential = { secret: created.secret, extension };
    await this.save(profile, credential);
    this.log.info(
      `${profile.name}: ${verb} the extension token "${model.note ?? model.id}"; ${describeExpiry(model.expiresAt, this.now())}.`,
    );
    return credential;
  }
}
