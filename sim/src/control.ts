/**
 * The control server: how tests and the demo steer the simulator. JSON in and out; errors are {"message": …}.
 *
 *   POST   /faults            body FaultSpec (sim/src/info.ts):
 *                                {"service": "servicex"|"triton"|"tritonMetrics"|"kubernetes",
 *                                 "route": "<METHOD> <pattern as registered>", e.g. "GET /api/v1/namespaces/{ns}/pods",
 *                                 "latencyMs"?: n      wait before answering (alone: then answer normally),
 *                                 "status"?: code      answer with this status instead of running the route,
 *                                 "body"?: any         JSON body sent with "status" (default: the service's error shape),
 *                                 "drop"?: true        destroy the connection without a response,
 *                                 "truncate"?: true    send the real headers and half the real body, then cut,
 *                                 "times"?: n          apply to the next n matching requests only (default: always)}
 *                              -> 201 {"id"}; 400 {"message"} naming the bad field, service or route.
 *                              The oldest fault that matches a request is the one applied.
 *   GET    /faults            -> 200 {"faults": [Fault…]}  (each with "id" and, when limited, "remaining")
 *   DELETE /faults            -> 204, every fault removed
 *   DELETE /faults/{id}       -> 204, or 404 when no fault has that id
 *   POST   /servicex/access-token-seconds   body {"seconds": n} (n ≥ 0) -> 200 {"seconds": n};
 *                              lifetime of access tokens issued from now on (0 issues tokens that are already expired)
 *   POST   /servicex/rotate-refresh-token   -> 200 {"refreshToken"}; the previous refresh token becomes outdated
 *   GET    /requests[?service=S]            -> 200 {"<service>": {"<route key>": count}}; requests per route so far
 *   DELETE /requests          -> 204, counts start again from zero
 *   GET    /processes         -> 200 ProcessList: the simulator's pid, the children it started, all live descendants
 *   POST   /servicex/clock, /servicex/pace, /servicex/generation, /servicex/short-downloads: see servicexControl.ts
 *   GET    /triton/settings   -> 200 TritonSettings (tritonControl.ts)
 *   POST   /triton/settings   body {"modelControlMode"?: "none"|"poll"|"explicit", "statistics"?: bool,
 *                                   "modelRepository"?: bool, "malformedMetrics"?: bool, "requestsPerSecond"?: n}
 *                              -> 200 TritonSettings; 400 {"message"}. false for an extension makes Triton a server
 *                              without it; requestsPerSecond 0 stops the simulated traffic (then only /infer counts)
 *   GET/POST/PATCH/DELETE /kubernetes…: pods, log lines, dropped streams, compaction: see kubeControl.ts
 *   GET    /hub1              -> 200 {"settings", "namedServersEnabled", "servers", "tokenRequests"}: the hub 1.5 stand-in
 *   PATCH  /hub1              body {"down"?: "refuse"|"unavailable"|null, "malformed"?: [route key…],
 *                                   "spawnFailures"?: {"<server>": "<reason>"}, "spawnMs"?: n} -> 200 as GET; 400 {"message"}
 *   POST   /hub1/reset        body {"namedServers"?: n, "runningNamedServers"?: n, "defaultRunning"?: bool,
 *                                   "namedServersEnabled"?: bool} -> 200 as GET; settings back to up and well-formed
 */
import type { FaultStore } from './faults';
import { parseFaultSpec } from './faults';
import { Router, type Reply, type SimRequest } from './http';
import type { ProcessList, ServiceName } from './info';
import { descendants, type ProcessTable } from './processes';
import type { ServicexAuth } from './servicex';
import type { Hub1 } from './hub1';
import { addServicexControls } from './servicexControl';
import type { ServicexState } from './servicexState';
import { addTritonControls } from './tritonControl';
import type { TritonState } from './tritonModels';
import { addKubeControls } from './kubeControl';
import type { KubeState } from './kubeState';

/** What the control server steers. */
export interface ControlTargets {
  readonly faults: FaultStore;
  readonly services: ReadonlyMap<ServiceName, Router>;
  readonly servicexAuth: ServicexAuth;
  readonly processes: ProcessTable;
  /** The simulated ServiceX's transforms, clock and object store (calls in servicexControl.ts). */
  readonly servicexState?: ServicexState;
  /** The simulated Triton's repository and switches (calls in tritonControl.ts). */
  readonly triton?: TritonState;
  /** The JupyterHub 1.5 stand-in's servers and faults (calls in hub1.ts). */
  readonly hub1?: Hub1;
  /** The simulated cluster's pods, logs and streams (calls in kubeControl.ts). */
  readonly kube?: KubeState;
}

/** The control API's routes over `targets`. */
export function controlRouter(targets: ControlTargets): Router {
  const { faults, services, servicexAuth, processes } = targets;
  const router = new Router({
    errorReply: (status, message) => ({ status, json: { message: message ?? 'Not found' } }),
  })
    .add('POST', '/faults', (request) => {
      const body = jsonBody(request);
      const spec = body === INVALID ? 'The body must be JSON.' : parseFaultSpec(body, (s) => routeKeysOf(services, s));
      if (typeof spec === 'string') return badRequest(spec);
      return { status: 201, json: { id: faults.add(spec).id } };
    })
    .add('GET', '/faults', () => ({ status: 200, json: { faults: faults.list() } }))
    .add('DELETE', '/faults', () => {
      faults.clear();
      return { status: 204 };
    })
    .add('DELETE', '/faults/{id}', (request) =>
      faults.remove(request.params.id)
        ? { status: 204 }
        : { status: 404, json: { message: `No fault has id ${request.params.id}.` } },
    )
    .add('POST', '/servicex/access-token-seconds', (request) => {
      const body = jsonBody(request) as { seconds?: unknown } | undefined;
      const seconds = body?.seconds;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        return badRequest('Send {"seconds": n} with a whole number n ≥ 0.');
      }
      servicexAuth.accessTokenSeconds = seconds;
      return { status: 200, json: { seconds } };
    })
    .add('POST', '/servicex/rotate-refresh-token', () => ({
      status: 200,
      json: { refreshToken: servicexAuth.rotateRefreshToken() },
    }))
    .add('GET', '/requests', (request) => {
      const only = request.url.searchParams.get('service');
      if (only !== null && !services.has(only as ServiceName)) {
        return badRequest(`Unknown service "${only}": use one of ${[...services.keys()].join(', ')}.`);
      }
      const counts: Record<string, Record<string, number>> = {};
      for (const [name, router] of services) if (only === null || only === name) counts[name] = router.requestCounts();
      return { status: 200, json: counts };
    })
    .add('DELETE', '/requests', () => {
      for (const router of services.values()) router.resetCounts();
      return { status: 204 };
    })
    .add('GET', '/processes', () => {
      const list: ProcessList = {
        pid: process.pid,
        children: processes.running(),
        descendants: descendants(process.pid).map((d) => d.pid),
      };
      return { status: 200, json: list };
    });
  if (targets.triton) addTritonControls(router, targets.triton);
  targets.hub1?.addControlRoutes(router);
  if (targets.kube) addKubeControls(router, targets.kube);
  return targets.servicexState ? addServicexControls(router, targets.servicexState) : router;
}

const INVALID = Symbol('invalid JSON');

function jsonBody(request: SimRequest): unknown {
  if (request.body.length === 0) return undefined;
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    return INVALID;
  }
}

function routeKeysOf(services: ReadonlyMap<ServiceName, Router>, service: string): string[] | undefined {
  return services.get(service as ServiceName)?.routeKeys();
}

function badRequest(message: string): Reply {
  return { status: 400, json: { message } };
}
