import { benchGpu } from './gpu';
import { benchHist } from './hist';
import { benchServicex } from './servicex';
import { benchLsp } from './lsp';
import { benchSessions } from './sessions';
import { benchTranslate } from './translate';

// `npm run bench [-- name...]`: runs the named benchmarks (all by default) and prints ratios against the reference
// measured in the same run. Benchmarks never fail a build: they report.
const benches: Record<string, () => Promise<void>> = {
  lsp: benchLsp,
  translate: benchTranslate,
  sessions: benchSessions,
  gpu: benchGpu,
  hist: benchHist,
  servicex: benchServicex,
};

async function main(names: string[]): Promise<void> {
  const chosen = names.length > 0 ? names : Object.keys(benches);
  for (const name of chosen) {
    const bench = benches[name];
    if (!bench) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    await bench();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
