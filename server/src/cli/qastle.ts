import type { CliIo } from '../cli';

/** `coffea-casa qastle [--tree NAME] QUERY|-` and `--decode`. Placeholder until the func_adl engine lands. */
export function runQastle(_args: readonly string[], io: CliIo): Promise<number> {
  io.err('coffea-casa qastle: not available yet.');
  return Promise.resolve(2);
}
