// The control API's Kubernetes calls: change pods so watches see events, print log lines, cut open streams (a
// dropped watch), forget the change history (410 Expired on resume), and count what is open so tests can check that
// a closed forward left nothing behind.
//
//   GET    /kubernetes                  -> 200 KubeSummary
//   POST   /kubernetes/pods             body {"name", "labels"?, "image"?, "gpus"?, "nodeName"?} -> 201 the pod (ADDED)
//   PATCH  /kubernetes/pods/{name}      body {"phase"?: "Pending"|"Running"|"Succeeded"|"Failed", "labels"?}
//                                       -> 200 the pod (MODIFIED); 404 {"message"} when there is no such pod
//   DELETE /kubernetes/pods/{name}      -> 204 (DELETED; followers of its log see the stream end); 404
//   POST   /kubernetes/pods/{name}/log  body {"lines": [str]} -> 200 {"appended": n}; followers receive them
//   POST   /kubernetes/drop-streams     -> 200 {"dropped": n}: every open watch and followed log is cut
//   POST   /kubernetes/compact          -> 204: watches resuming from an older resourceVersion get 410 Expired
import type { Reply, Router, SimRequest } from './http';
import type { KubeState } from './kubeState';
import { POD_PHASES, type PodPhase, type PodRequest } from './pods';

/** What `GET /kubernetes` answers. */
export interface KubeSummary {
  readonly resourceVersion: string;
  readonly watches: number;
  readonly follows: number;
  /** Port-forward websockets open now. */
  readonly forwards: number;
  /** TCP connections from port-forwards to their targets open now. */
  readonly forwardConnections: number;
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Adds the calls above to the control router. */
export function addKubeControls(router: Router, state: KubeState): Router {
  return router
    .add('GET', '/kubernetes', () => {
      const summary: KubeSummary = {
        resourceVersion: String(state.currentVersion()),
        watches: state.open.watches.size,
        follows: state.open.follows.size,
        forwards: state.open.forwards.size,
        forwardConnections: state.forwardConnections,
      };
      return { status: 200, json: summary };
    })
    .add('POST', '/kubernetes/pods', (request) => {
      const body = objectBody(request);
      if (typeof body === 'string') return badRequest(body);
      const problem = podRequestProblem(body);
      if (problem) return badRequest(problem);
      const pod = state.addPod(body as unknown as PodRequest);
      return typeof pod === 'string' ? { status: 409, json: { message: pod } } : { status: 201, json: pod };
    })
    .add('PATCH', '/kubernetes/pods/{name}', (request) => {
      const body = objectBody(request);
      if (typeof body === 'string') return badRequest(body);
      if (body.phase !== undefined && !POD_PHASES.includes(body.phase as PodPhase)) {
        return badRequest(`"phase" must be one of ${POD_PHASES.join(', ')}.`);
      }
      if (body.labels !== undefined && !isLabels(body.labels))
        return badRequest('"labels" must map strings to strings.');
      const pod = state.updatePod(request.params.name, {
        phase: body.phase as PodPhase | undefined,
        labels: body.labels as Record<string, string> | undefined,
      });
      return pod ? { status: 200, json: pod } : noPod(request.params.name);
    })
    .add('DELETE', '/kubernetes/pods/{name}', (request) =>
      state.deletePod(request.params.name) ? { status: 204 } : noPod(request.params.name),
    )
    .add('POST', '/kubernetes/pods/{name}/log', (request) => {
      const body = objectBody(request);
      if (typeof body === 'string') return badRequest(body);
      const lines = body.lines;
      if (!Array.isArray(lines) || !lines.every((l) => typeof l === 'string' && !l.includes('\n'))) {
        return badRequest('Send {"lines": [...]} with strings that hold no newline.');
      }
      return state.appendLog(request.params.name, lines as string[])
        ? { status: 200, json: { appended: lines.length } }
        : noPod(request.params.name);
    })
    .add('POST', '/kubernetes/drop-streams', () => ({ status: 200, json: { dropped: state.dropStreams() } }))
    .add('POST', '/kubernetes/compact', () => {
      state.compact();
      return { status: 204 };
    });
}

function podRequestProblem(body: Record<string, unknown>): string | undefined {
  const known = ['name', 'labels', 'image', 'gpus', 'nodeName'];
  const unknown = Object.keys(body).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `Unknown pod field(s): ${unknown.join(', ')}. Known: ${known.join(', ')}.`;
  if (typeof body.name !== 'string' || !NAME.test(body.name)) {
    return '"name" must be a DNS label: lower-case letters, digits and "-", at most 63 characters.';
  }
  if (body.labels !== undefined && !isLabels(body.labels)) return '"labels" must map strings to strings.';
  if (body.image !== undefined && typeof body.image !== 'string') return '"image" must be a string.';
  if (body.nodeName !== undefined && typeof body.nodeName !== 'string') return '"nodeName" must be a string.';
  const gpus = body.gpus;
  if (gpus !== undefined && !(typeof gpus === 'number' && Number.isInteger(gpus) && gpus >= 0 && gpus <= 16)) {
    return '"gpus" must be a whole number from 0 to 16.';
  }
  return undefined;
}

function isLabels(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function objectBody(request: SimRequest): Record<string, unknown> | string {
  try {
    const body: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    return 'The body must be JSON.';
  }
  return 'The body must be a JSON object.';
}

function badRequest(message: string): Reply {
  return { status: 400, json: { message } };
}

function noPod(name: string): Reply {
  return { status: 404, json: { message: `No pod "${name}" in the simulated namespace.` } };
}
