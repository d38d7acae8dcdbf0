// Bundles the four deliverables separately: the extension host code, the language server, the webview scripts and
// the CLI. Type-checking is `tsc -b`'s job; esbuild only bundles.
import { cpSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// The Kubernetes client is most of the extension's weight and only needed on first use, so it is bundled on its own
// and the extension bundle loads it with a lazy require of the neighbouring file.
const lazyKubernetes = {
  name: 'lazy-kubernetes',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({
      path: './kubernetes-client.js',
      external: true,
    }));
  },
};

const builds = [
  {
    ...node,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [lazyKubernetes],
  },
  { ...node, entryPoints: { 'kubernetes-client': '@kubernetes/client-node' }, outdir: 'dist' },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' },
  // The histogram engine's worker thread, started by the extension on first use.
  { ...node, entryPoints: ['client/src/hist/worker.ts'], outfile: 'dist/histWorker.js' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: ['webviews/src/main.ts'],
    outfile: 'dist/webviews/main.js',
  },
];

// Data the language server reads at run time (the xAOD type database, with its licence).
cpSync('server/data', 'dist/data', { recursive: true });

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
