import { DaskDashboardApi, type DaskCluster } from './dask';
import { FacilityHttp } from './http';
import { HubApi, type HubIdentity } from './hub';
import { listPods, type PodSummary } from './kubernetes';
import type { FacilityProfile } from './profile';
import { ok, type Result } from './result';
import { ServiceXApi, type ServiceXInfo } from './servicex';
import { TritonApi, type TritonServer } from './triton';

/** The hub as seen at connect time: its version decides which API features exist (hub 1.x has no scopes). */
export interface HubStatus {
  readonly version: string;
  readonly identity: HubIdentity;
}

/**
 * What each service of a facility answered. A service the profile does not configure is `undefined`, which is
 * different from a service that failed.
 */
export interface FacilitySnapshot {
  readonly hub: Result<HubStatus>;
  readonly servicex?: Result<ServiceXInfo>;
  readonly triton?: Result<TritonServer>;
  readonly dask?: Result<DaskCluster>;
  readonly pods?: Result<PodSummary[]>;
}

/** The states a user sees; `signedOut` and `connecting` are the session's, the rest come from a snapshot. */
export type ConnectionState = 'signedOut' | 'connecting' | 'connected' | 'degraded' | 'expired';

/** Summarises a snapshot: a refused hub token means the sign-in expired; any other failure means degraded. */
export function stateOf(snapshot: FacilitySnapshot): ConnectionState {
  if (!snapshot.hub.ok && snapshot.hub.error.kind === 'unauthorized') return 'expired';
  const results = [snapshot.hub, snapshot.servicex, snapshot.triton, snapshot.dask, snapshot.pods];
  return results.every((r) => r === undefined || r.ok) ? 'connected' : 'degraded';
}

/** One facility's services, sharing one HTTP pool with the profile's TLS settings. */
export class Facility {
  // A private field, so that the token never shows up when a Facility is inspected, logged or serialised.
  readonly #hubToken: string;

  private constructor(
    readonly profile: FacilityProfile,
    /** The facility's connection pool, with the profile's TLS settings, for calls to its users' servers. */
    readonly http: FacilityHttp,
    /** The hub's REST API with the session's token, for the commands that start and stop servers. */
    readonly hub: HubApi,
    hubToken: string,
  ) {
    this.#hubToken = hubToken;
  }

  static async open(profile: FacilityProfile, hubToken: string, timeoutMs: number): Promise<Result<Facility>> {
    const http = await FacilityHttp.create({ timeoutMs, caFile: profile.caFile, tlsVerify: profile.tlsVerify });
    if (!http.ok) return http;
    return ok(new Facility(profile, http.value, new HubApi(http.value, profile.hubUrl, hubToken), hubToken));
  }

  /** The session's hub token, for connections to the user's Jupyter servers that carry it themselves; never log it. */
  hubToken(): string {
    return this.#hubToken;
  }

  /** Asks every configured service at once; one slow or failing service never hides the others. */
  async probe(signal: AbortSignal): Promise<FacilitySnapshot> {
    const { profile, http } = this;
    const kube = profile.kubeconfig || profile.kubeContext || profile.kubeNamespace;
    const [hub, servicex, triton, dask, pods] = await Promise.all([
      this.probeHub(signal),
      profile.servicexUrl ? new ServiceXApi(http, profile.servicexUrl).info(signal) : undefined,
      profile.tritonHttpUrl ? new TritonApi(http, profile.tritonHttpUrl).server(signal) : undefined,
      profile.daskDashboardUrl ? new DaskDashboardApi(http, profile.daskDashboardUrl).cluster(signal) : undefined,
      kube
        ? listPods(
            { kubeconfig: profile.kubeconfig, context: profile.kubeContext, namespace: profile.kubeNamespace },
            signal,
          )
        : undefined,
    ]);
    return { hub, servicex, triton, dask, pods };
  }

  private async probeHub(signal: AbortSignal): Promise<Result<HubStatus>> {
    const [version, identity] = await Promise.all([this.hub.version(signal), this.hub.currentUser(signal)]);
    if (!identity.ok) return identity;
    return ok({ version: version.ok ? version.value : 'unknown', identity: identity.value });
  }

  async dispose(): Promise<void> {
    await this.http.close();
  }
}
