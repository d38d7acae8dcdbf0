/** Small readers for JSON answers: they never throw, and say which field was wrong. */

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Says why an answer's shape is not the documented one. */
export class ShapeError {
  constructor(readonly message: string) {}
}

export function shapeError(message: string): ShapeError {
  return new ShapeError(message);
}

export function optionalString(body: Json, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

export function optionalNumber(body: Json, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
