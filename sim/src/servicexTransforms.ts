// The simulated ServiceX's transforms and cached datasets. A transform's status is a pure function of the simulated
// clock: Submitted, then Lookup, then Running with one file finishing every `fileSeconds`, then Complete, Fatal or
// Bad Dataset; a cancel freezes it. Nothing runs in the background, so tests can step the clock instead of waiting.
import { randomUUID } from 'node:crypto';
import { fileListInputs, lookUp, objectNameFor, parseDid, type InputFile, type Lookup } from './servicexCatalogue';

/** Which server generation is simulated: `current` (2025+) or `old` (Oct 2024, servicex-facts.md §1.11, §12.14). */
export type Generation = 'current' | 'old';

/** Time and pace of the simulation; `advance` moves the clock forward without waiting. */
export class SimClock {
  private offsetMs = 0;
  /** Seconds spent in Submitted and again in Lookup. */
  lookupSeconds = 0.2;
  /** Seconds per input file once Running. */
  fileSeconds = 0.2;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

interface Transform {
  readonly id: string;
  readonly numericId: number;
  readonly title: string | null;
  readonly did: string;
  readonly dataset: Dataset;
  readonly selection: string;
  readonly codegen: string;
  readonly image: string;
  readonly resultFormat: string;
  readonly resultDestination: string;
  readonly submitMs: number;
  /** When Running begins: after the lookup, or at once for a dataset already looked up. */
  readonly runMs: number;
  readonly inputs: InputFile[];
  readonly lookup: Lookup;
  canceledMs?: number;
}

interface Dataset {
  readonly id: number;
  readonly name: string;
  readonly didFinder: string;
  readonly lookup: Lookup;
  readonly lookupDoneMs: number;
  lastUsedMs: number;
  stale: boolean;
}

/** One input's result, as the `/results` rows and the bucket see it. */
export interface FileResult {
  readonly input: InputFile;
  readonly objectName: string;
  readonly success: boolean;
  readonly doneMs: number;
}

/** A transform's derived state at one instant. */
export interface TransformState {
  readonly status: string;
  readonly files: number;
  readonly completed: number;
  readonly failed: number;
  readonly remaining: number | null;
  readonly finishMs?: number;
  readonly failureInfo: string | null;
  readonly done: FileResult[];
}

const TERMINAL = new Set(['Complete', 'Fatal', 'Canceled', 'Bad Dataset']);

/** The server's timestamp format, `'%Y-%m-%dT%H:%M:%S.%fZ'` (microseconds; servicex-facts.md §1.1). */
export function serverTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** What `POST /servicex/transformation` accepts, already checked by the route. */
export interface Submission {
  readonly title?: string;
  readonly did?: string;
  readonly fileList?: string[];
  readonly selection: string;
  readonly codegen: string;
  readonly image: string;
  readonly resultFormat: string;
  readonly resultDestination: string;
}

/** Transforms and datasets, with every status derived from `clock`. */
export class TransformStore {
  private readonly transforms = new Map<string, Transform>();
  private readonly datasets = new Map<number, Dataset>();
  private nextTransform = 1;
  private nextDataset = 1;
  generation: Generation = 'current';

  constructor(readonly clock: SimClock) {}

  /** Records a submission and returns its request id, or the 400 message for a DID the server refuses. */
  submit(request: Submission): { id: string } | { error: string } {
    const now = this.clock.now();
    let name: string;
    let didFinder: string;
    let lookup: Lookup;
    if (request.fileList) {
      // The server stores a synthetic name for a file list [I: its exact text was not in the files read].
      name = `file-list:${request.fileList.length}:${request.fileList[0] ?? ''}`;
      didFinder = 'user';
      lookup = { kind: 'found', files: fileListInputs(request.fileList) };
    } else {
      const did = parseDid(request.did ?? '');
      if (typeof did === 'string') return { error: did };
      name = `${did.scheme}://${did.dataset}${did.limit ? `?files=${did.limit}` : ''}`;
      didFinder = did.scheme;
      lookup = lookUp(did);
    }
    let dataset = [...this.datasets.values()].find((d) => d.name === name && !d.stale);
    const cached = dataset !== undefined && dataset.lookup.kind === 'found' && dataset.lookupDoneMs <= now;
    if (!dataset) {
      const lookupDoneMs = now + 2 * this.clock.lookupSeconds * 1000;
      dataset = { id: this.nextDataset++, name, didFinder, lookup, lookupDoneMs, lastUsedMs: now, stale: false };
      this.datasets.set(dataset.id, dataset);
    }
    dataset.lastUsedMs = now;
    const id = randomUUID();
    const inputs = dataset.lookup.kind === 'found' ? dataset.lookup.files : [];
    this.transforms.set(id, {
      id,
      numericId: this.nextTransform++,
      title: request.title ?? null,
      did: name,
      dataset,
      selection: request.selection,
      codegen: request.codegen,
      image: request.image,
      resultFormat: request.resultFormat,
      resultDestination: request.resultDestination,
      submitMs: now,
      // §1.5: a DID already cached goes straight to Running.
      runMs: cached ? now + this.clock.lookupSeconds * 1000 : Math.max(dataset.lookupDoneMs, now),
      inputs,
      lookup: dataset.lookup,
    });
    return { id };
  }

  /** Finds a transform by request id or by its numeric database id (servicex-facts.md §1.1 `lookup`). */
  get(key: string): Transform | undefined {
    return this.transforms.get(key) ?? [...this.transforms.values()].find((t) => String(t.numericId) === key);
  }

  list(): Transform[] {
    return [...this.transforms.values()];
  }

  /** The status at `at` (default now), following the state machine in the header comment. */
  state(transform: Transform, at = this.clock.now()): TransformState {
    const when = transform.canceledMs !== undefined ? Math.min(at, transform.canceledMs) : at;
    const lookupMs = this.clock.lookupSeconds * 1000;
    const canceled = transform.canceledMs !== undefined && transform.canceledMs <= at;
    const frozen = (status: string): TransformState => ({
      ...this.progress(transform, when),
      status: canceled ? 'Canceled' : status,
      finishMs: canceled ? transform.canceledMs : undefined,
    });
    if (when < transform.submitMs + lookupMs && when < transform.runMs) return frozen('Submitted');
    if (when < transform.runMs) return frozen('Lookup');
    if (transform.lookup.kind !== 'found') {
      if (canceled) return frozen('Canceled');
      // The 2024 server has no Bad Dataset status: its lookup failure ends the request as Fatal.
      const status = this.generation === 'old' ? 'Fatal' : 'Bad Dataset';
      const failureInfo = transform.lookup.kind === 'bad_name' ? 'Bad dataset specification' : 'Dataset does not exist';
      return { ...this.progress(transform, when), status, finishMs: transform.runMs, failureInfo };
    }
    const progress = this.progress(transform, when);
    const lastMs = transform.runMs + transform.inputs.length * this.clock.fileSeconds * 1000;
    if (canceled || when < lastMs) return frozen('Running');
    if (transform.inputs.length > 0 && progress.failed === transform.inputs.length) {
      return { ...progress, status: 'Fatal', finishMs: lastMs, failureInfo: 'All files failed to transform' };
    }
    return { ...progress, status: 'Complete', finishMs: lastMs };
  }

  private progress(transform: Transform, when: number): TransformState {
    const known = when >= transform.runMs ? transform.inputs.length : 0;
    const done: FileResult[] = [];
    transform.inputs.forEach((input, i) => {
      const doneMs = transform.runMs + (i + 1) * this.clock.fileSeconds * 1000;
      if (doneMs <= when) {
        done.push({ input, objectName: objectNameFor(input, transform.resultFormat), success: !input.fails, doneMs });
      }
    });
    const failed = done.filter((d) => !d.success).length;
    return {
      status: '',
      files: known,
      completed: done.length - failed,
      failed,
      remaining: when >= transform.runMs ? known - done.length : null,
      failureInfo: null,
      done,
    };
  }

  isDone(transform: Transform): boolean {
    return TERMINAL.has(this.state(transform).status);
  }

  /** Cancels a running transform: false when it has already finished. */
  cancel(transform: Transform): boolean {
    if (this.isDone(transform)) return false;
    transform.canceledMs = this.clock.now();
    return true;
  }

  delete(transform: Transform): void {
    this.transforms.delete(transform.id);
  }

  /** The successfully written objects of a transform, by object name. */
  objects(requestId: string): Map<string, FileResult> {
    const transform = this.transforms.get(requestId);
    const objects = new Map<string, FileResult>();
    if (!transform) return objects;
    for (const result of this.state(transform).done) if (result.success) objects.set(result.objectName, result);
    return objects;
  }

  resultFormatOf(requestId: string): string | undefined {
    return this.transforms.get(requestId)?.resultFormat;
  }

  dataset(id: number): Dataset | undefined {
    return this.datasets.get(id);
  }

  allDatasets(): Dataset[] {
    return [...this.datasets.values()];
  }

  /** The dataset's `lookup_status` now (servicex-facts.md §1.8). */
  lookupStatus(dataset: Dataset): string {
    if (this.clock.now() < dataset.lookupDoneMs) return 'looking';
    return dataset.lookup.kind === 'found' ? 'complete' : dataset.lookup.kind;
  }
}

export type { Transform, Dataset };
