/** Polls `check` every `intervalMs` until it returns a value, `signal` aborts, or `deadlineMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { signal: AbortSignal; deadlineMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.deadlineMs;
  for (;;) {
    options.signal.throwIfAborted();
    // A refused connection or a bad answer only means "not yet"; the deadline turns it into a failure.
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${Math.round(options.deadlineMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** Fetches `url` with a short timeout of its own and returns the response when it is 2xx, else undefined. */
export async function fetchOk(url: string, signal: AbortSignal, init?: RequestInit): Promise<Response | undefined> {
  const res = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) });
  if (res.ok) return res;
  await res.body?.cancel();
  return undefined;
}

/** An error carrying the response body, for "unavailable" reasons that say what the server said. */
export async function httpError(what: string, res: Response): Promise<Error> {
  const text = (await res.text().catch(() => '')).slice(0, 300);
  return new Error(`${what} answered ${res.status}${text ? `: ${text}` : ''}`);
}
