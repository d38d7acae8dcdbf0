import { DaskDashboardApi, type DaskCluster } from '../facility/dask';
import type { FacilityHttp } from '../facility/http';
import { fail, ok, type Result } from '../facility/result';
import { isRecord, optionalNumber, optionalString } from '../facility/shape';
import { joinUrl } from '../facility/urls';

/**
 * One cluster as dask-labextension's server extension describes it (`GET <server>/dask/clusters`,
 * model built in dask_labextension/manager.py `make_cluster_model`; servicex-facts.md §9). `adapt` is present only
 * while the cluster scales adaptively.
 */
export interface LabCluster {
  readonly id: string;
  readonly name: string;
  readonly schedulerAddress: string;
  readonly dashboardLink: string;
  readonly workers: number;
  readonly cores: number;
  /** Formatted by dask-labextension (e.g. "4.00 GiB"); kept as text. */
  readonly memory: string;
  readonly adapt?: { readonly minimum: number; readonly maximum: number };
}

/** Reads one cluster model; the message names the field that is missing so a server mismatch is diagnosable. */
export function parseLabCluster(body: unknown): Result<LabCluster> {
  if (!isRecord(body)) return fail('badResponse', 'The Dask cluster description is not a JSON object.');
  const id = optionalString(body, 'id');
  const schedulerAddress = optionalString(body, 'scheduler_address');
  if (id === undefined) return fail('badResponse', 'The Dask cluster description has no "id".');
  if (schedulerAddress === undefined) {
    return fail('badResponse', `Dask cluster ${id} has no "scheduler_address".`);
  }
  const memory = body.memory;
  const adapt = isRecord(body.adapt) ? body.adapt : undefined;
  const minimum = adapt === undefined ? undefined : optionalNumber(adapt, 'minimum');
  const maximum = adapt === undefined ? undefined : optionalNumber(adapt, 'maximum');
  return ok({
    id,
    name: optionalString(body, 'name') ?? id,
    schedulerAddress,
    dashboardLink: optionalString(body, 'dashboard_link') ?? '',
    workers: optionalNumber(body, 'workers') ?? 0,
    cores: optionalNumber(body, 'cores') ?? 0,
    memory: typeof memory === 'string' ? memory : typeof memory === 'number' ? `${memory} B` : '',
    ...(minimum !== undefined && maximum !== undefined ? { adapt: { minimum, maximum } } : {}),
  });
}

/** Reads the list `GET <server>/dask/clusters` returns. */
export function parseLabClusters(body: unknown): Result<readonly LabCluster[]> {
  if (!Array.isArray(body)) return fail('badResponse', 'The server did not return a list of Dask clusters.');
  const clusters: LabCluster[] = [];
  for (const item of body) {
    const cluster = parseLabCluster(item);
    if (!cluster.ok) return cluster;
    clusters.push(cluster.value);
  }
  return ok(clusters);
}

/** Where coffea-casa mounts the user's Dask TLS material (servicex-facts.md §9.2). */
export const coffeaCasaSecrets = '/etc/cmsaf-secrets';

/**
 * The Python a physicist pastes to attach to a scheduler. A `tls://` scheduler on coffea-casa requires encryption
 * with the certificates the hub mounts, so the snippet builds a `Security` from them.
 */
export function attachSnippet(schedulerAddress: string): string {
  const address = JSON.stringify(schedulerAddress);
  if (!schedulerAddress.startsWith('tls://')) {
    return ['from dask.distributed import Client', '', `client = Client(${address})`, 'client', ''].join('\n');
  }
  const ca = JSON.stringify(`${coffeaCasaSecrets}/ca.pem`);
  const cert = JSON.stringify(`${coffeaCasaSecrets}/hostcert.pem`);
  return [
    'from dask.distributed import Client',
    'from distributed.security import Security',
    '',
    'security = Security(',
    `    tls_ca_file=${ca},`,
    `    tls_client_cert=${cert},`,
    `    tls_client_key=${cert},`,
    '    require_encryption=True,',
    ')',
    `client = Client(${address}, security=security)`,
    'client',
    '',
  ].join('\n');
}

/** What listing a server's clusters found: either the clusters, or why this server has none to show. */
export type LabClusterListing =
  | { readonly kind: 'clusters'; readonly clusters: readonly LabCluster[] }
  | { readonly kind: 'unsupported'; readonly message: string };

const SERVICE = 'Dask (JupyterLab)';

/**
 * dask-labextension's cluster manager on one running single-user server (dask_labextension/clusterhandler.py:
 * `GET`/`PUT <server>/dask/clusters`, `GET`/`PATCH`/`DELETE <server>/dask/clusters/<id>`; servicex-facts.md §9.2).
 * The hub token travels in the Authorization header only.
 */
export class LabDask {
  readonly #token: string;

  constructor(
    private readonly http: FacilityHttp,
    private readonly serverUrl: string,
    token: string,
  ) {
    this.#token = token;
  }

  /** Lists the server's clusters. A 404 means the server has no dask-labextension: a message, not an error. */
  async list(signal: AbortSignal): Promise<Result<LabClusterListing>> {
    const listed = await this.call('GET', 'dask/clusters', signal);
    if (!listed.ok) {
      return listed.error.kind === 'notFound'
        ? ok({ kind: 'unsupported', message: 'No dask-labextension on this server.' })
        : listed;
    }
    const clusters = parseLabClusters(listed.value);
    return clusters.ok ? ok({ kind: 'clusters', clusters: clusters.value }) : clusters;
  }

  /** Starts a cluster with the server's default configuration (`PUT`, answered 200 with the new model). */
  async create(signal: AbortSignal): Promise<Result<LabCluster>> {
    const created = await this.call('PUT', 'dask/clusters', signal);
    return created.ok ? parseLabCluster(created.value) : created;
  }

  /** Asks for a fixed number of workers; the model answered may still show the old count while workers start. */
  async scale(id: string, workers: number, signal: AbortSignal): Promise<Result<LabCluster>> {
    const scaled = await this.call('PATCH', clusterPath(id), signal, { workers });
    return scaled.ok ? parseLabCluster(scaled.value) : scaled;
  }

  /** Lets the cluster scale itself between two worker counts. */
  async adapt(id: string, minimum: number, maximum: number, signal: AbortSignal): Promise<Result<LabCluster>> {
    const adapted = await this.call('PATCH', clusterPath(id), signal, { adapt: { minimum, maximum } });
    return adapted.ok ? parseLabCluster(adapted.value) : adapted;
  }

  /** Shuts a cluster down (`DELETE`, 204; 404 when the server no longer knows it). */
  async close(id: string, signal: AbortSignal): Promise<Result<void>> {
    const sent = await this.http.send(joinUrl(this.serverUrl, clusterPath(id)), this.options('DELETE', signal));
    return sent.ok ? ok(undefined) : sent;
  }

  private async call(
    method: 'GET' | 'PUT' | 'PATCH',
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<Result<unknown>> {
    return this.http.json(joinUrl(this.serverUrl, path), { ...this.options(method, signal), body }, (value) => value);
  }

  private options(method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', signal: AbortSignal) {
    return { service: SERVICE, method, signal, headers: { Authorization: `token ${this.#token}` } };
  }
}

function clusterPath(id: string): string {
  return `dask/clusters/${encodeURIComponent(id)}`;
}

/**
 * Where a cluster's dashboard JSON lives. dask-labextension reports the dashboard link Dask formats from its config:
 * on coffea-casa a path under the user's server, `{JUPYTERHUB_SERVICE_PREFIX}proxy/{port}/status` (§9.1), which is
 * resolved against the server's origin; an absolute link is kept. The `status` page name is dropped, so that the
 * `json/…` routes join onto it. Undefined for an empty or unusable link.
 */
export function dashboardBase(link: string, serverUrl: string): string | undefined {
  if (!link.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(link, serverUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/status\/?$/, '/');
  return url.toString();
}

/** True when a dashboard URL is served through the same origin as the server, and so needs the hub token. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** A cluster together with what its scheduler's dashboard says about it now. */
export interface LabClusterStatus {
  readonly cluster: LabCluster;
  /** The dashboard's base URL (its `json/…` routes join onto it), when the link is usable. */
  readonly dashboard?: string;
  /** Workers, threads, memory and tasks from the dashboard's JSON routes; absent without a dashboard. */
  readonly live?: Result<DaskCluster>;
}

/** What the Sessions view shows under a server: its clusters with their live numbers, or why there are none. */
export type LabClusterOverview =
  | { readonly kind: 'clusters'; readonly clusters: readonly LabClusterStatus[] }
  | { readonly kind: 'unsupported'; readonly message: string };

/**
 * Lists a server's clusters and asks each dashboard for its numbers at once. A dashboard behind the server's proxy
 * gets the hub token; one on another origin does not, so the token never leaves the hub's origin.
 */
export async function describeLabClusters(
  http: FacilityHttp,
  serverUrl: string,
  token: string,
  signal: AbortSignal,
): Promise<Result<LabClusterOverview>> {
  const listed = await new LabDask(http, serverUrl, token).list(signal);
  if (!listed.ok || listed.value.kind === 'unsupported') return listed as Result<LabClusterOverview>;
  const clusters = await Promise.all(
    listed.value.clusters.map(async (cluster): Promise<LabClusterStatus> => {
      const dashboard = dashboardBase(cluster.dashboardLink, serverUrl);
      if (!dashboard) return { cluster };
      const headers = sameOrigin(dashboard, serverUrl) ? { Authorization: `token ${token}` } : undefined;
      return { cluster, dashboard, live: await new DaskDashboardApi(http, dashboard, headers).cluster(signal) };
    }),
  );
  return ok({ kind: 'clusters', clusters });
}

/** What the user asked Scale for: a fixed number of workers or an adaptive range. */
export type ScaleRequest =
  { readonly workers: number } | { readonly adapt: { readonly minimum: number; readonly maximum: number } };

/** The largest worker count Scale accepts, so that a stray digit cannot ask a facility for a million jobs. */
export const MAX_WORKERS = 1000;

/**
 * Reads the Scale input: `4` for four workers, `1-10` (or `1..10`, `1 to 10`) for adaptive scaling between one and
 * ten. Returns a sentence saying what is wrong otherwise.
 */
export function parseScale(text: string): ScaleRequest | string {
  const trimmed = text.trim();
  const fixed = /^\d+$/.exec(trimmed);
  if (fixed) {
    const workers = Number(trimmed);
    return workers <= MAX_WORKERS ? { workers } : `At most ${MAX_WORKERS} workers.`;
  }
  const range = /^(\d+)\s*(?:-|\.\.|to)\s*(\d+)$/i.exec(trimmed);
  if (!range) return 'Type a number of workers (4) or an adaptive range (1-10).';
  const minimum = Number(range[1]);
  const maximum = Number(range[2]);
  if (minimum > maximum) return `The minimum (${minimum}) is above the maximum (${maximum}).`;
  if (maximum > MAX_WORKERS) return `At most ${MAX_WORKERS} workers.`;
  return { adapt: { minimum, maximum } };
}
