import { randomUUID } from 'node:crypto';
import type { Fault, FaultSpec, ServiceName } from './info';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const KNOWN_KEYS = new Set(['service', 'route', 'latencyMs', 'status', 'body', 'drop', 'truncate', 'times']);

/** The faults waiting to be applied, in the order they were added; the oldest match wins. */
export class FaultStore {
  private readonly faults: Mutable<Fault>[] = [];

  /** Adds a validated fault and returns it with its id. */
  add(spec: FaultSpec): Fault {
    const fault: Mutable<Fault> = { id: randomUUID(), ...spec };
    if (spec.times !== undefined) fault.remaining = spec.times;
    this.faults.push(fault);
    return { ...fault };
  }

  /** All faults still waiting. */
  list(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes every fault. */
  clear(): void {
    this.faults.length = 0;
  }

  /** Removes one fault; false when no fault has that id. */
  remove(id: string): boolean {
    const index = this.faults.findIndex((fault) => fault.id === id);
    if (index < 0) return false;
    this.faults.splice(index, 1);
    return true;
  }

  /** The fault for this request, if any, counting one use of it; a fault whose uses run out is removed. */
  take(service: ServiceName, routeKey: string): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.service === service && fault.route === routeKey);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.splice(index, 1);
    }
    return { ...fault };
  }
}

/**
 * Checks a `POST /faults` body against the services' registered routes.
 * Returns the spec, or a message saying what to change.
 */
export function parseFaultSpec(body: unknown, routesOf: (service: string) => string[] | undefined): FaultSpec | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.';
  const spec = body as Record<string, unknown>;
  const unknownKeys = Object.keys(spec).filter((key) => !KNOWN_KEYS.has(key));
  if (unknownKeys.length > 0) {
    return `Unknown fault field(s): ${unknownKeys.join(', ')}. Known fields: ${[...KNOWN_KEYS].join(', ')}.`;
  }
  if (typeof spec.service !== 'string')
    return '"service" is required: one of servicex, triton, tritonMetrics, kubernetes.';
  const routes = routesOf(spec.service);
  if (!routes) return `Unknown service "${spec.service}": use one of servicex, triton, tritonMetrics, kubernetes.`;
  if (typeof spec.route !== 'string' || !routes.includes(spec.route)) {
    return `Unknown route ${JSON.stringify(spec.route)} for ${spec.service}: use one of ${routes.map((r) => `"${r}"`).join(', ')}.`;
  }
  if (spec.latencyMs !== undefined && !isCount(spec.latencyMs, 0)) return '"latencyMs" must be a whole number ≥ 0.';
  if (spec.status !== undefined && !(isCount(spec.status, 100) && (spec.status as number) <= 599)) {
    return '"status" must be an HTTP status code between 100 and 599.';
  }
  if (spec.drop !== undefined && spec.drop !== true) return '"drop" can only be true.';
  if (spec.truncate !== undefined && spec.truncate !== true) return '"truncate" can only be true.';
  if (spec.times !== undefined && !isCount(spec.times, 1)) return '"times" must be a whole number ≥ 1.';
  const outcomes = [spec.status !== undefined, spec.drop === true, spec.truncate === true].filter(Boolean).length;
  if (outcomes > 1) return 'Give at most one of "status", "drop" and "truncate".';
  if (outcomes === 0 && spec.latencyMs === undefined) {
    return 'A fault needs "latencyMs", "status", "drop" or "truncate".';
  }
  if (spec.body !== undefined && spec.status === undefined) return '"body" is only sent with "status".';
  return spec as unknown as FaultSpec;
}

function isCount(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}
