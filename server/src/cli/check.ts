import type { CliIo } from '../cli';

/** `coffea-casa check [--format text|json] FILE...`. Placeholder until the spec checker lands. */
export function runCheck(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('coffea-casa check: not available yet.');
  return Promise.resolve(2);
}
