// The transform, result and dataset routes of the simulated ServiceX (servicex-facts.md §1.4–1.9). Each route cites
// its section; field names are copied exactly, kebab-case and snake_case mixed as the server mixes them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Router, Reply, SimRequest } from './http';
import { APP_VERSION, CODEGEN_IMAGES, servicexError, type ServicexAuth } from './servicex';
import { ROOT_TESTDATA } from './servicexCatalogue';
import type { ServicexState } from './servicexState';
import { serverTime, type Dataset, type Transform, type TransformState } from './servicexTransforms';

/** The result formats each server generation accepts (servicex-facts.md §1.5, §1.11). */
const RESULT_FORMATS = { current: ['parquet', 'root-file', 'root-rntuple'], old: ['arrow', 'parquet', 'root-file'] };
const MINIO_ACCESS_KEY = 'sim-minio-access';
const MINIO_SECRET_KEY = 'sim-minio-secret';

type Json = Record<string, unknown>;

/** Adds the authenticated ServiceX routes to `router`. */
export function addTransformRoutes(router: Router, auth: ServicexAuth, state: ServicexState): Router {
  const { transforms } = state;
  // Every resource below is `@auth_required` (servicex-facts.md §1.2).
  const guarded =
    (handler: (request: SimRequest) => Reply | Promise<Reply>) =>
    (request: SimRequest): Reply | Promise<Reply> =>
      auth.checkAccess(request.headers.authorization) ?? handler(request);
  // Routes added in 2025: on the Oct-2024 server Flask answers 404 for unknown paths, 405 for known paths (§1.4).
  const current =
    (handler: (request: SimRequest) => Reply | Promise<Reply>, oldStatus: 404 | 405 = 404) =>
    (request: SimRequest): Reply | Promise<Reply> =>
      transforms.generation === 'current' ? handler(request) : servicexError(oldStatus);
  const notFound = (id: string) => servicexError(404, `Transformation request not found with id: ${id}`);
  const withTransform =
    (handler: (transform: Transform, request: SimRequest) => Reply | Promise<Reply>) => (request: SimRequest) => {
      const transform = transforms.get(request.params.id);
      return transform ? handler(transform, request) : notFound(request.params.id);
    };

  return (
    router
      // §1.4, §1.5: submit.
      .add(
        'POST',
        '/servicex/transformation',
        guarded((request) => {
          const body = parseBody(request);
          if (typeof body === 'string') return servicexError(400, `The json request was malformed: ${body}`);
          const did = body.did;
          const fileList = body['file-list'];
          if ((did === undefined) === (fileList === undefined)) {
            return servicexError(400, 'Must provide did or file-list but not both');
          }
          if (did !== undefined && typeof did !== 'string') return malformed('did');
          if (fileList !== undefined && !(Array.isArray(fileList) && fileList.every((f) => typeof f === 'string'))) {
            return malformed('file-list');
          }
          const selection = body.selection;
          if (typeof selection !== 'string') return malformed('selection');
          const destination = body['result-destination'];
          if (destination !== 'object-store' && destination !== 'volume') return malformed('result-destination');
          const formats = RESULT_FORMATS[transforms.generation];
          const format = body['result-format'] ?? (transforms.generation === 'old' ? 'arrow' : 'parquet');
          if (typeof format !== 'string' || !formats.includes(format)) return malformed('result-format');
          const codegen = body.codegen;
          // §12.6: an unknown codegen is a 500, not a 400.
          if (typeof codegen !== 'string' || !(codegen in CODEGEN_IMAGES)) {
            return servicexError(500, `Invalid Codegen Image Passed in Request: ${String(codegen)}`);
          }
          const title = typeof body.title === 'string' ? body.title : undefined;
          const submitted = transforms.submit({
            title,
            did,
            fileList,
            selection,
            codegen,
            image: typeof body.image === 'string' ? body.image : CODEGEN_IMAGES[codegen],
            resultFormat: format,
            resultDestination: destination,
          });
          if ('error' in submitted) return servicexError(400, submitted.error);
          return { status: 200, json: { request_id: submitted.id } };
        }),
      )
      // §1.4: every user's requests (one user here).
      .add(
        'GET',
        '/servicex/transformation',
        guarded(() => ({ status: 200, json: { requests: transforms.list().map((t) => record(t, state)) } })),
      )
      // §1.4, §1.9: presigned URLs, behind capability `generate_file_urls`. On the old server the path matches
      // `/servicex/transformation/<id>`, which has no POST: 405.
      .add(
        'POST',
        '/servicex/transformation/file-urls',
        guarded(
          current((request) => {
            const body = parseBody(request);
            if (typeof body === 'string') return servicexError(400, `The json request was malformed: ${body}`);
            const id = body.request_id;
            const list = body.file_list;
            if (typeof id !== 'string') return malformed('request_id');
            if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) return malformed('file_list');
            const transform = transforms.get(id);
            if (!transform) return notFound(id);
            const store = state.existingStore;
            if (transform.resultDestination !== 'object-store' || !store) {
              return servicexError(409, `Transformation request ${id} does not write to the object store`);
            }
            const uris: Record<string, [string, Json, number]> = {};
            for (const name of list) {
              const { url, expires } = store.presign(transform.id, name, transforms.clock.now());
              uris[name] = [url, {}, expires];
            }
            return { status: 200, json: { uris } };
          }, 405),
        ),
      )
      // §1.4, §1.6: one record with the object-store extras.
      .add(
        'GET',
        '/servicex/transformation/{id}',
        guarded(withTransform((t) => ({ status: 200, json: record(t, state, true) }))),
      )
      // §1.4: delete a finished transform (2025 servers; the old one has only GET on this path: 405).
      .add(
        'DELETE',
        '/servicex/transformation/{id}',
        guarded(
          current(
            withTransform((t) => {
              if (!transforms.isDone(t)) {
                return servicexError(400, `Transform request with id ${t.id} is still in progress.`);
              }
              transforms.delete(t);
              return { status: 200, json: { message: `Transform request with id ${t.id} has been archived.` } };
            }),
            405,
          ),
        ),
      )
      // §1.7: the compact status.
      .add(
        'GET',
        '/servicex/transformation/{id}/status',
        guarded(withTransform((t, request) => status(t, state, request.url.searchParams.get('details') === 'true'))),
      )
      // §1.4, §12.4: cancel is a GET.
      .add(
        'GET',
        '/servicex/transformation/{id}/cancel',
        guarded(
          withTransform((t) =>
            transforms.cancel(t)
              ? { status: 200, json: { message: `Canceled transformation request ${t.id}` } }
              : servicexError(400, `Transform request with id ${t.id} is not in progress.`),
          ),
        ),
      )
      // §1.4, §1.9: per-file results, behind capability `poll_local_transformation_results`.
      .add(
        'GET',
        '/servicex/transformation/{id}/results',
        guarded(current(withTransform((t, request) => results(t, state, request.url.searchParams.get('later_than'))))),
      )
      // §1.4, §1.8: cached datasets (2025 servers).
      .add(
        'GET',
        '/servicex/datasets',
        guarded(
          current((request) => {
            const finder = request.url.searchParams.get('did-finder');
            const showDeleted = request.url.searchParams.get('show-deleted') === 'true';
            const datasets = transforms
              .allDatasets()
              .filter((d) => (finder === null || d.didFinder === finder) && (showDeleted || !d.stale));
            return { status: 200, json: { datasets: datasets.map((d) => datasetJson(d, state)) } };
          }),
        ),
      )
      .add(
        'GET',
        '/servicex/datasets/{did}',
        guarded(
          current((request) => {
            const dataset = datasetOf(request, state);
            if (!dataset) return servicexError(404, `Dataset ${request.params.did} not found`);
            return { status: 200, json: { ...datasetJson(dataset, state), files: datasetFiles(dataset) } };
          }),
        ),
      )
      // §1.4: DELETE marks the dataset stale, so the next request looks it up again.
      .add(
        'DELETE',
        '/servicex/datasets/{did}',
        guarded(
          current((request) => {
            const dataset = datasetOf(request, state);
            if (!dataset) return servicexError(404, `Dataset ${request.params.did} not found`);
            if (dataset.stale) return servicexError(400, `Dataset ${dataset.id} has already been deleted`);
            dataset.stale = true;
            return { status: 200, json: { 'dataset-id': dataset.id, stale: true } };
          }),
        ),
      )
  );
}

function malformed(field: string): Reply {
  return servicexError(400, `The json request was malformed: ${field}`);
}

function parseBody(request: SimRequest): Json | string {
  try {
    const body = JSON.parse(request.body.toString('utf8')) as unknown;
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : 'not an object';
  } catch (error) {
    return error instanceof Error ? error.message : 'not JSON';
  }
}

/** The transform record of §1.6; `finish-time` is the string "None" while running (§12.3). */
function record(t: Transform, state: ServicexState, single = false): Json {
  const s = state.transforms.state(t);
  const json: Json = {
    request_id: t.id,
    did: t.did,
    did_id: t.dataset.id,
    title: t.title,
    selection: t.selection,
    'tree-name': null,
    image: t.image,
    workers: null,
    'result-destination': t.resultDestination,
    'result-format': t.resultFormat,
    'generated-code-cm': `${t.id}-generated-source`,
    status: s.status,
    'failure-info': s.failureInfo,
    'app-version': APP_VERSION,
    'code-gen-image': CODEGEN_IMAGES[t.codegen],
    files: s.files,
    'files-completed': s.completed,
    'files-failed': s.failed,
    'files-remaining': s.remaining,
    'submit-time': serverTime(t.submitMs),
    'finish-time': s.finishMs === undefined ? 'None' : serverTime(s.finishMs),
  };
  const store = state.existingStore;
  if (single && t.resultDestination === 'object-store' && store) {
    json['minio-endpoint'] = store.endpoint;
    json['minio-secured'] = false;
    json['minio-access-key'] = MINIO_ACCESS_KEY;
    json['minio-secret-key'] = MINIO_SECRET_KEY;
  }
  return json;
}

/** §1.7: here `finish-time` is null while running, unlike the record. */
async function status(t: Transform, state: ServicexState, details: boolean): Promise<Reply> {
  const s: TransformState = state.transforms.state(t);
  const sizes = await Promise.all(s.done.map((d) => (d.success ? sizeOf(state, t, d) : Promise.resolve(0))));
  const times = s.done.map(() => state.clock.fileSeconds);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const totalEvents = s.done.reduce((a, d) => a + (d.success ? d.input.events : 0), 0);
  const totalTime = times.reduce((a, b) => a + b, 0);
  const json: Json = {
    status: s.status,
    'request-id': t.id,
    'submit-time': serverTime(t.submitMs),
    'finish-time': s.finishMs === undefined ? null : serverTime(s.finishMs),
    'files-completed': s.completed,
    'files-processed': s.completed,
    'files-failed': s.failed,
    'files-skipped': s.failed,
    'files-remaining': s.remaining,
    stats:
      s.done.length === 0
        ? null
        : {
            'min-time': Math.min(...times),
            'max-time': Math.max(...times),
            'avg-time': totalTime / times.length,
            'total-time': totalTime,
            'avg-rate': totalTime > 0 ? totalEvents / totalTime : 0,
            'total-bytes': totalBytes,
            'total-events': totalEvents,
          },
  };
  if (details) {
    json.details = s.done.map((d, i) => ({
      id: i + 1,
      'request-id': t.id,
      did: t.did,
      'file-id': i + 1,
      'file-path': d.input.path,
      transform_status: d.success ? 'success' : 'failure',
      transform_time: state.clock.fileSeconds,
      'total-events': d.success ? d.input.events : 0,
      'total-bytes': sizes[i],
      'avg-rate': d.success ? d.input.events / state.clock.fileSeconds : 0,
    }));
  }
  return { status: 200, json };
}

/** §1.4 `/results`: one row per finished file; `later_than` keeps rows created after it. */
async function results(t: Transform, state: ServicexState, laterThan: string | null): Promise<Reply> {
  const since = laterThan === null ? undefined : Date.parse(laterThan);
  if (since !== undefined && Number.isNaN(since)) return servicexError(400, `Invalid later_than: ${laterThan}`);
  const done = state.transforms.state(t).done.filter((d) => since === undefined || d.doneMs > since);
  const rows = await Promise.all(
    done.map(async (d) => ({
      's3-object-name': d.objectName,
      'total-bytes': d.success ? await sizeOf(state, t, d) : 0,
      transform_status: d.success ? 'success' : 'failure',
      created_at: serverTime(d.doneMs),
      'file-path': d.input.path,
    })),
  );
  return { status: 200, json: { results: rows } };
}

async function sizeOf(state: ServicexState, t: Transform, d: TransformState['done'][number]): Promise<number> {
  return (await state.contents.bytes(d, t.resultFormat)).length;
}

function datasetOf(request: SimRequest, state: ServicexState): Dataset | undefined {
  // The route takes `<int:did_id>`: anything else does not match, which Flask answers with 404.
  return /^\d+$/.test(request.params.did) ? state.transforms.dataset(Number(request.params.did)) : undefined;
}

/** §1.8. Sizes are the test files' real sizes; events are the catalogue's. */
function datasetJson(d: Dataset, state: ServicexState): Json {
  const lookupStatus = state.transforms.lookupStatus(d);
  const files = lookupStatus === 'complete' && d.lookup.kind === 'found' ? d.lookup.files : [];
  return {
    id: d.id,
    name: d.name,
    did_finder: d.didFinder,
    n_files: files.length,
    size: files.reduce((a, f) => a + fileSize(f.source), 0),
    events: files.reduce((a, f) => a + f.events, 0),
    last_used: serverTime(d.lastUsedMs),
    last_updated: serverTime(Math.min(d.lookupDoneMs, state.clock.now())),
    lookup_status: lookupStatus,
    is_stale: d.stale,
  };
}

function datasetFiles(d: Dataset): Json[] {
  if (d.lookup.kind !== 'found') return [];
  return d.lookup.files.map((f, i) => ({
    id: i + 1,
    // [I] a stand-in checksum: the real one is the replica's adler32 from Rucio.
    adler32: (fileSize(f.source) >>> 0).toString(16).padStart(8, '0'),
    file_size: fileSize(f.source),
    file_events: f.events,
    paths: f.path,
  }));
}

function fileSize(source: string): number {
  try {
    return statSync(join(ROOT_TESTDATA, source)).size;
  } catch {
    return 0;
  }
}
