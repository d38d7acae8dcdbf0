import { chmod, writeFile } from 'node:fs/promises';
import type { FaultStore } from './faults';
import { Router, type Reply, type SimRequest } from './http';
import type { Pod } from './pods';

// The reason each HTTP status carries in a Kubernetes Status object (Kubernetes API reference, "Status" v1 meta;
// apimachinery's StatusReason constants).
const REASONS: Record<number, [reason: string, message: string]> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'forbidden'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  409: ['Conflict', 'the object has been modified; please apply your changes to the latest version and try again'],
  410: ['Expired', 'the resource version is too old'],
  429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
  500: ['InternalError', 'an error on the server has prevented the request from succeeding'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
  504: [
    'Timeout',
    'the server was unable to return a response in the time allotted, but may still be processing the request',
  ],
};

/** A minimal Kubernetes API server: pods of the seeded namespaces, behind a bearer token. */
export function kubernetesRouter(token: string, pods: Pod[], faults: FaultStore): Router {
  const listVersion = String(Math.max(0, ...pods.map((pod) => Number(pod.metadata.resourceVersion))) + 1);
  return (
    new Router({
      service: 'kubernetes',
      faults,
      errorReply: kubeStatus,
      authorize: (request) => authorize(request, token),
    })
      // Kubernetes API reference, Pod v1 core, "list" operation: a PodList, filtered by labelSelector.
      .add('GET', '/api/v1/namespaces/{ns}/pods', (request) => {
        const selector = parseLabelSelector(request.url.searchParams.get('labelSelector') ?? '');
        if (typeof selector === 'string') return kubeStatus(400, `unable to parse requirement: ${selector}`);
        const items = pods.filter(
          (pod) => pod.metadata.namespace === request.params.ns && selector(pod.metadata.labels),
        );
        return {
          status: 200,
          json: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: listVersion }, items },
        };
      })
      // Kubernetes API reference, Pod v1 core, "read" operation; a missing pod is a NotFound Status.
      .add('GET', '/api/v1/namespaces/{ns}/pods/{name}', (request) => {
        const { ns, name } = request.params;
        const pod = pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name);
        if (pod) return { status: 200, json: { kind: 'Pod', apiVersion: 'v1', ...pod } };
        const status = kubeStatus(404, `pods "${name}" not found`);
        return { ...status, json: { ...(status.json as object), details: { name, kind: 'pods' } } };
      })
  );
}

/** The API server authenticates before it routes, so a bad token gets 401 even on an unknown path. */
function authorize(request: SimRequest, token: string): Reply | undefined {
  const match = /^bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] === token ? undefined : kubeStatus(401);
}

/** A failure `Status` object (Kubernetes API reference, Status v1 meta). */
function kubeStatus(code: number, message?: string): Reply {
  const [reason, defaultMessage] = REASONS[code] ?? ['', `the server responded with the status code ${code}`];
  const json = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: message ?? defaultMessage,
    ...(reason && { reason }),
    ...(code === 404 && !message && { details: {} }),
    code,
  };
  return { status: code, json };
}

type LabelTest = (labels: Record<string, string>) => boolean;

/**
 * Parses a label selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated)
 * into a test, or returns the requirement it could not parse.
 */
export function parseLabelSelector(selector: string): LabelTest | string {
  const tests: LabelTest[] = [];
  for (const raw of splitRequirements(selector)) {
    const requirement = raw.trim();
    if (requirement === '') continue;
    const key = '([A-Za-z0-9][-A-Za-z0-9_./]*)';
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${key}\\s*(==|=|!=)\\s*([-A-Za-z0-9_.]*)$`).exec(requirement))) {
      const [, k, op, v] = m;
      tests.push(op === '!=' ? (labels) => labels[k] !== v : (labels) => labels[k] === v);
    } else if ((m = new RegExp(`^${key}\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(requirement))) {
      const [, k, op, list] = m;
      const values = new Set(list.split(',').map((v) => v.trim()));
      tests.push(op === 'in' ? (labels) => k in labels && values.has(labels[k]) : (labels) => !values.has(labels[k]));
    } else if ((m = new RegExp(`^(!?)\\s*${key}$`).exec(requirement))) {
      const [, not, k] = m;
      tests.push(not ? (labels) => !(k in labels) : (labels) => k in labels);
    } else {
      return `"${requirement}"`;
    }
  }
  return (labels) => tests.every((test) => test(labels));
}

/** Splits on the commas between requirements, not on those inside `in (…)` value lists. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    if (selector[i] === '(') depth++;
    else if (selector[i] === ')') depth--;
    else if (selector[i] === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts;
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
