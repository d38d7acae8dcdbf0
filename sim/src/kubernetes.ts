import { chmod, writeFile } from 'node:fs/promises';
import type { FaultStore } from './faults';
import type { Reply, SimRequest } from './http';
import { kubeStatus, notFound, parseLabelSelector } from './kubeApi';
import { formatLine, readLogQuery, selectLines } from './kubeLogs';
import type { KubeState, Resource } from './kubeState';
import { KubeRouter } from './kubeStreams';

export { parseLabelSelector } from './kubeApi';

/**
 * A subset of the Kubernetes API server over `state`, behind a bearer token: list, get and watch pods and services,
 * pod logs (with follow) and port-forward. Watches, followed logs and port-forward stream (kubeStreams.ts).
 */
export function kubernetesRouter(token: string, state: KubeState, faults: FaultStore): KubeRouter {
  return (
    new KubeRouter(token, state, faults)
      // Kubernetes API reference, Pod v1 core, "list" operation: a PodList, filtered by labelSelector.
      .add('GET', '/api/v1/namespaces/{ns}/pods', (request) => list(state, 'pods', request))
      // Kubernetes API reference, Pod v1 core, "read" operation; a missing pod is a NotFound Status.
      .add('GET', '/api/v1/namespaces/{ns}/pods/{name}', (request) => read(state, 'pods', request))
      // Kubernetes API reference, Service v1 core, "list" and "read" operations.
      .add('GET', '/api/v1/namespaces/{ns}/services', (request) => list(state, 'services', request))
      .add('GET', '/api/v1/namespaces/{ns}/services/{name}', (request) => read(state, 'services', request))
      // Kubernetes API reference, Pod v1 core, "read log" operation: the container's log as text/plain.
      .add('GET', '/api/v1/namespaces/{ns}/pods/{name}/log', (request) => {
        const { ns, name } = request.params;
        const query = readLogQuery(state.get('pods', ns, name), name, request.url.searchParams);
        if ('status' in query) return query;
        const text = selectLines(state.logLines(ns, name), query, new Date())
          .map((line) => formatLine(line, query.timestamps))
          .join('');
        const limited =
          query.limitBytes === undefined ? text : Buffer.from(text).subarray(0, query.limitBytes).toString();
        return { status: 200, text: limited, contentType: 'text/plain' };
      })
  );
}

const LIST_KINDS: Record<Resource, [list: string, item: string]> = {
  pods: ['PodList', 'Pod'],
  services: ['ServiceList', 'Service'],
};

function list(state: KubeState, resource: Resource, request: SimRequest): Reply {
  const selector = parseLabelSelector(request.url.searchParams.get('labelSelector') ?? '');
  if (typeof selector === 'string') return kubeStatus(400, `unable to parse requirement: ${selector}`);
  const items = state.list(resource, request.params.ns).filter((o) => selector(o.metadata.labels ?? {}));
  const metadata = { resourceVersion: String(state.currentVersion()) };
  return { status: 200, json: { kind: LIST_KINDS[resource][0], apiVersion: 'v1', metadata, items } };
}

function read(state: KubeState, resource: Resource, request: SimRequest): Reply {
  const { ns, name } = request.params;
  const object = state.get(resource, ns, name);
  if (!object) return notFound(resource, name);
  return { status: 200, json: { kind: LIST_KINDS[resource][1], apiVersion: 'v1', ...object } };
}

/** Writes a kubeconfig (context `sim`) for `server` with a bearer token, readable only by its owner. */
export async function writeKubeconfig(path: string, server: string, token: string, namespace: string): Promise<void> {
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: sim',
    '    cluster:',
    `      server: ${server}`,
    // @kubernetes/client-node 1.x refuses an http:// server unless TLS verification is explicitly off; kubectl ignores it.
    '      insecure-skip-tls-verify: true',
    'users:',
    `  - name: ${namespace}`,
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: sim',
    '    context:',
    '      cluster: sim',
    `      user: ${namespace}`,
    `      namespace: ${namespace}`,
    'current-context: sim',
    'preferences: {}',
    '',
  ].join('\n');
  await writeFile(path, yaml, { mode: 0o600 });
  // The mode above only applies to a new file; a kept --state-dir may hold an older one.
  await chmod(path, 0o600);
}
