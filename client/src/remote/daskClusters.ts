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

/**
 * Lists the clusters of one running single-user server (`GET <server>/dask/clusters`, dask-labextension
 * dask_labextension/clusterhandler.py). A 404 means the server has no dask-labextension: a message, not an error.
 */
export async function listLabClusters(
  http: FacilityHttp,
  serverUrl: string,
  token: string,
  signal: AbortSignal,
): Promise<Result<LabClusterListing>> {
  const listed = await http.json(
    joinUrl(serverUrl, 'dask/clusters'),
    { service: 'Dask (JupyterLab)', signal, headers: { Authorization: `token ${token}` } },
    (body) => body,
  );
  if (!listed.ok) {
    return listed.error.kind === 'notFound'
      ? ok({ kind: 'unsupported', message: 'No dask-labextension on this server.' })
      : listed;
  }
  const clusters = parseLabClusters(listed.value);
  return clusters.ok ? ok({ kind: 'clusters', clusters: clusters.value }) : clusters;
}
