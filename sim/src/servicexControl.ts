// The control API's ServiceX calls (documented with the rest at the top of control.ts):
//   POST /servicex/clock            {"advanceSeconds": n}  -> 200 {"now": "<server time>"}; moves the simulated clock on
//   POST /servicex/pace             {"lookupSeconds"?: n, "fileSeconds"?: n} -> 200 both; seconds per phase and per file
//   POST /servicex/generation       {"generation": "current"|"old"} -> 200 {"generation"}; "old" is the Oct-2024 server
//                                   without capabilities, /results, file-urls, datasets or DELETE (servicex-facts.md §1.11)
//   POST /servicex/short-downloads  {"times": n} -> 200 {"times"}; the next n object downloads send half the object
//                                   with a matching Content-Length: a body that looks complete but is too short
import type { Reply, Router, SimRequest } from './http';
import type { ServicexState } from './servicexState';
import { serverTime } from './servicexTransforms';

/** Adds the ServiceX control calls to the control router. */
export function addServicexControls(router: Router, state: ServicexState): Router {
  return router
    .add('POST', '/servicex/clock', (request) => {
      const seconds = numberField(request, 'advanceSeconds');
      if (seconds === undefined || seconds < 0) return bad('Send {"advanceSeconds": n} with n ≥ 0.');
      state.clock.advance(seconds);
      return { status: 200, json: { now: serverTime(state.clock.now()) } };
    })
    .add('POST', '/servicex/pace', (request) => {
      const lookup = numberField(request, 'lookupSeconds');
      const file = numberField(request, 'fileSeconds');
      if (
        (lookup !== undefined && lookup < 0) ||
        (file !== undefined && file < 0) ||
        (lookup === undefined && file === undefined)
      ) {
        return bad('Send {"lookupSeconds"?: n, "fileSeconds"?: n} with n ≥ 0.');
      }
      if (lookup !== undefined) state.clock.lookupSeconds = lookup;
      if (file !== undefined) state.clock.fileSeconds = file;
      return { status: 200, json: { lookupSeconds: state.clock.lookupSeconds, fileSeconds: state.clock.fileSeconds } };
    })
    .add('POST', '/servicex/generation', (request) => {
      const generation = body(request)?.generation;
      if (generation !== 'current' && generation !== 'old') return bad('Send {"generation": "current"} or "old".');
      state.transforms.generation = generation;
      return { status: 200, json: { generation } };
    })
    .add('POST', '/servicex/short-downloads', (request) => {
      const times = numberField(request, 'times');
      if (times === undefined || !Number.isInteger(times) || times < 0) return bad('Send {"times": n} with n ≥ 0.');
      const store = state.existingStore;
      if (!store) return { status: 409, json: { message: 'The object store is not running.' } };
      store.shortBodies = times;
      return { status: 200, json: { times } };
    });
}

function body(request: SimRequest): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(request.body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function numberField(request: SimRequest, key: string): number | undefined {
  const value = body(request)?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bad(message: string): Reply {
  return { status: 400, json: { message } };
}
