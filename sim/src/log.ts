/** Writes one human line to stderr; stdout carries only the ready line, and no caller passes a token here. */
export function log(message: string): void {
  process.stderr.write(`[sim] ${message}\n`);
}

/** The message of anything thrown, for log lines and "unavailable" reasons. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
