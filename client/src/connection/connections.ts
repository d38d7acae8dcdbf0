import * as vscode from 'vscode';
import { Facility, stateOf, type ConnectionState, type FacilitySnapshot } from '../facility/facility';
import type { FacilityProfile } from '../facility/profile';
import { CONNECTED_CONTEXT_KEY } from '../commands/ids';
import type { ServiceXInfo } from '../facility/servicex';
import type { Log } from '../log';
import type { ExtensionTokenInfo, HubCredential } from './credentials';
import type { TokenKeeper } from './tokenKeeper';

/** How often a connected session checks whether its extension token is due for renewal. */
const TOKEN_CHECK_INTERVAL_MS = 6 * 3_600_000;

/** The extension token a session signs in with, as views and tests may see it: no secret. */
export type SessionToken = Omit<ExtensionTokenInfo, 'id'>;

/** What the views and the status bar know about one facility. */
export interface FacilitySession {
  readonly profile: FacilityProfile;
  readonly state: ConnectionState;
  readonly snapshot?: FacilitySnapshot;
  /** Why the session is not connected, for the status bar and the views. */
  readonly problem?: string;
  /** The extension's own token, when the session signs in with one. */
  readonly token?: SessionToken;
}

interface LiveSession {
  session: FacilitySession;
  facility?: Facility;
  credential: HubCredential;
  abort: AbortController;
  /** The renewal check, owned by the session: cleared when it closes. */
  tokenTimer?: NodeJS.Timeout;
}

/**
 * The connected facilities, keyed by profile name. Several can be connected at once; disconnecting one aborts its
 * requests and closes its connection pool. Everything else listens to `onDidChange`.
 */
export class Connections implements vscode.Disposable {
  private readonly live = new Map<string, LiveSession>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: Log,
    private readonly timeoutMs: () => number,
    private readonly tokens?: TokenKeeper,
  ) {}

  sessions(): FacilitySession[] {
    return [...this.live.values()].map((l) => l.session);
  }

  get(name: string): FacilitySession | undefined {
    return this.live.get(name)?.session;
  }

  /**
   * Connects (or reconnects) to a facility with a hub token and probes every configured service; then moves the
   * session onto an extension token of its own, or renews that one when it is due.
   */
  async connect(profile: FacilityProfile, credential: HubCredential): Promise<FacilitySession> {
    await this.close(profile.name);
    const abort = new AbortController();
    const token = sessionToken(credential);
    const live: LiveSession = { session: { profile, state: 'connecting', token }, credential, abort };
    this.live.set(profile.name, live);
    this.update();
    this.log.info(`Connecting to ${profile.name} (${profile.hubUrl}).`);
    const opened = await Facility.open(profile, credential.secret, this.timeoutMs());
    if (!opened.ok) return this.settle(live, { profile, state: 'degraded', problem: opened.error.message });
    live.facility = opened.value;
    await this.probe(live);
    await this.keepToken(live);
    if (!abort.signal.aborted && this.tokens) {
      live.tokenTimer = setInterval(() => void this.keepToken(live), TOKEN_CHECK_INTERVAL_MS);
      live.tokenTimer.unref();
    }
    return live.session;
  }

  /** Asks the services of one facility, or of all, again. */
  async refresh(name?: string): Promise<void> {
    const targets = [...this.live.values()].filter(
      (l) => l.facility && (name === undefined || l.session.profile.name === name),
    );
    await Promise.all(targets.map((l) => this.probe(l)));
  }

  /**
   * Runs an action against a connected facility, with a signal that also aborts when the facility is disconnected,
   * then asks its services again so that the views show the effect. Resolves to undefined when it is not connected.
   */
  async act<T>(
    name: string,
    action: (facility: Facility, signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    const live = this.live.get(name);
    if (!live?.facility) return undefined;
    const combined = signal ? AbortSignal.any([live.abort.signal, signal]) : live.abort.signal;
    try {
      return await action(live.facility, combined);
    } finally {
      if (!live.abort.signal.aborted) await this.probe(live);
    }
  }

  /**
   * Runs a read-only call against a connected facility with the session's signal. Unlike `act` it does not probe
   * afterwards: views call it while rendering, and a probe would refresh them and call it again.
   */
  async read<T>(name: string, call: (facility: Facility, signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const live = this.live.get(name);
    return live?.facility ? call(live.facility, live.abort.signal) : undefined;
  }

  async disconnect(name: string): Promise<void> {
    await this.close(name);
    this.log.info(`Disconnected from ${name}.`);
    this.update();
  }

  private async probe(live: LiveSession): Promise<FacilitySession> {
    if (!live.facility) return live.session;
    const snapshot = await live.facility.probe(live.abort.signal);
    if (live.abort.signal.aborted) return live.session;
    const state = stateOf(snapshot);
    const failures = [snapshot.hub, snapshot.servicex, snapshot.triton, snapshot.dask, snapshot.pods].flatMap((r) =>
      r && !r.ok ? [r.error.message] : [],
    );
    for (const failure of failures) this.log.warn(`${live.session.profile.name}: ${failure}`);
    this.log.info(`${live.session.profile.name}: ${state}.`);
    const { profile, token } = live.session;
    return this.settle(live, { profile, state, snapshot, problem: failures[0], token });
  }

  /**
   * Asks the keeper whether the session should move to another token; if so, the session's facility is reopened with
   * it. Requests already under way finish on the old facility, whose pool closes once they are done.
   */
  private async keepToken(live: LiveSession): Promise<void> {
    const hub = live.session.snapshot?.hub;
    if (!this.tokens || !live.facility || !hub?.ok || live.abort.signal.aborted) return;
    const { profile } = live.session;
    const next = await this.tokens.check(
      profile,
      live.facility,
      live.credential,
      hub.value.identity,
      live.abort.signal,
    );
    if (!next || live.abort.signal.aborted) return;
    const reopened = await Facility.open(profile, next.secret, this.timeoutMs());
    if (!reopened.ok || live.abort.signal.aborted) {
      if (reopened.ok) await reopened.value.dispose();
      return;
    }
    const previous = live.facility;
    live.facility = reopened.value;
    live.credential = next;
    this.settle(live, { ...live.session, token: sessionToken(next) });
    await previous.dispose();
  }

  private settle(live: LiveSession, session: FacilitySession): FacilitySession {
    if (this.live.get(session.profile.name) === live) {
      live.session = session;
      this.update();
    }
    return session;
  }

  private async close(name: string): Promise<void> {
    const live = this.live.get(name);
    if (!live) return;
    this.live.delete(name);
    clearInterval(live.tokenTimer);
    live.abort.abort();
    await live.facility?.dispose();
  }

  private update(): void {
    const anyConnected = this.sessions().some((s) => s.state !== 'signedOut');
    void vscode.commands.executeCommand('setContext', CONNECTED_CONTEXT_KEY, anyConnected);
    this.changed.fire();
  }

  dispose(): void {
    for (const name of [...this.live.keys()]) void this.close(name);
    this.changed.dispose();
  }
}

function sessionToken(credential: HubCredential): SessionToken | undefined {
  if (!credential.extension) return undefined;
  const { user, note, created, expiresAt } = credential.extension;
  return { user, note, created, expiresAt };
}

/** The ServiceX endpoints that answered, over all connected facilities. */
export function connectedServiceX(sessions: readonly FacilitySession[]): ServiceXInfo[] {
  return sessions.flatMap((s) => (s.snapshot?.servicex?.ok ? [s.snapshot.servicex.value] : []));
}
