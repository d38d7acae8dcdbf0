// The shapes the simulator shares with whoever starts it: the ready line it prints and the control API's bodies.
// Type-only, so the test helper can import it without loading any simulator code.

/** The services whose routes can be given faults and whose requests are counted. */
export type ServiceName = 'servicex' | 'triton' | 'tritonMetrics' | 'kubernetes' | 'servicexStore' | 'hub1';

/** A component the simulator could not provide, with a reason a person can act on. */
export interface Unavailable {
  readonly unavailable: string;
}

/** The real JupyterHub the simulator started, with alice's default server already running. */
export interface HubInfo {
  readonly url: string;
  /** API token of the `sim-admin` service, which holds the admin role. */
  readonly adminToken: string;
  readonly user: string;
  /** A token of `user`, created through the hub's REST API. */
  readonly userToken: string;
}

/** The JupyterHub 1.5 stand-in (sim/src/hub1.ts): alice's hub, with a token of hers. */
export interface Hub1Info {
  readonly url: string;
  readonly user: string;
  readonly token: string;
}

/** The real Dask scheduler the simulator started, with one worker registered. */
export interface DaskInfo {
  readonly scheduler: string;
  readonly dashboard: string;
}

/** The single JSON line the simulator prints on stdout once every service answers. */
export interface SimulatorInfo {
  readonly pid: number;
  readonly stateDir: string;
  readonly servicex: string;
  /** The refresh JWT a user would paste into servicex.yaml as `token:`. */
  readonly servicexRefreshToken: string;
  readonly triton: string;
  readonly tritonMetrics: string;
  readonly kubernetes: string;
  readonly kubeconfig: string;
  readonly kubeNamespace: string;
  readonly control: string;
  readonly hub: HubInfo | Unavailable;
  readonly hub1: Hub1Info;
  readonly dask: DaskInfo | Unavailable;
}

/** The body of `POST /faults` on the control server. */
export interface FaultSpec {
  readonly service: ServiceName;
  /** Method and route pattern as registered, for example `GET /api/v1/namespaces/{ns}/pods`. */
  readonly route: string;
  readonly latencyMs?: number;
  readonly status?: number;
  readonly body?: unknown;
  readonly drop?: true;
  readonly truncate?: true;
  readonly times?: number;
}

/** A fault as the control server lists it: the spec, its id and how many uses remain (absent when unlimited). */
export interface Fault extends FaultSpec {
  readonly id: string;
  readonly remaining?: number;
}

/** The processes behind `GET /processes`: the simulator, the children it started, and all their descendants. */
export interface ProcessList {
  readonly pid: number;
  readonly children: { readonly name: string; readonly pid: number }[];
  readonly descendants: number[];
}
