import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchLspClient } from './lspClient';
import { generateSpec, middleQueryOffset, SERVICEX_TAGS, SPEC_SCHEMA } from './specs';
import { median, printTable, type Row } from './report';

const root = resolve(__dirname, '..', '..', '..');
const EDITS = 10;

interface ServerUnderTest {
  readonly name: string;
  start(schemaFile: string): Promise<{ client: BenchLspClient; initializeMs: number }>;
}

const ours: ServerUnderTest = {
  name: 'coffea-casa',
  start: () => BenchLspClient.start([process.execPath, join(root, 'dist', 'server.js'), '--stdio']),
};

// yaml-language-server with a JSON schema of the spec: what a user gets today from the YAML extension.
const yamlLanguageServer: ServerUnderTest = {
  name: 'yaml-language-server',
  start: async (schemaFile) => {
    const settings = {
      yaml: {
        validate: true,
        schemaStore: { enable: false },
        schemas: { [pathToFileURL(schemaFile).href]: '*.servicex.yaml' },
        // Without these, every ServiceX tag is an "unresolved tag" error and the comparison is unfair to it.
        customTags: SERVICEX_TAGS,
      },
    };
    const server = join(root, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
    const started = await BenchLspClient.start([process.execPath, server, '--stdio'], {
      configuration: (section) => (section === 'yaml' ? settings.yaml : section === '' ? settings : null),
    });
    await started.client.connection.sendNotification('workspace/didChangeConfiguration', { settings });
    return started;
  },
};

/** Opens the spec, waits for its diagnostics, then times one-character edits to the next diagnostics. */
async function measure(server: ServerUnderTest, spec: string, dir: string, schemaFile: string) {
  const { client, initializeMs } = await server.start(schemaFile);
  try {
    const uri = pathToFileURL(join(dir, `spec-${spec.length}.servicex.yaml`)).href;
    let text = spec;
    let version = 1;
    let started = performance.now();
    const opened = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version, text },
    });
    await opened;
    const openMs = performance.now() - started;
    const offset = middleQueryOffset(text);
    const editMs: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const insert = i % 2 === 0;
      const before = text.slice(0, offset);
      const line = before.split('\n').length - 1;
      const character = offset - before.lastIndexOf('\n') - 1;
      const range = { start: { line, character }, end: { line, character: character + (insert ? 0 : 1) } };
      text = insert ? `${before}x${text.slice(offset)}` : `${before}${text.slice(offset + 1)}`;
      version++;
      const next = client.nextDiagnostics(uri);
      started = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text: insert ? 'x' : '' }],
      });
      await next;
      editMs.push(performance.now() - started);
    }
    return { initializeMs, openMs, editMs };
  } finally {
    await client.stop();
  }
}

/** `npm run bench -- lsp`: edit-to-diagnostics latency against yaml-language-server, and memory with 10 MB open. */
export async function benchLsp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'coffea-casa-bench-'));
  const schemaFile = join(dir, 'servicex.schema.json');
  writeFileSync(schemaFile, JSON.stringify(SPEC_SCHEMA));
  const rows: Row[] = [];
  try {
    for (const [label, bytes] of [
      ['10 KB', 10_000],
      ['100 KB', 100_000],
      ['1 MB', 1_000_000],
    ] as const) {
      const spec = generateSpec(bytes);
      const reference = await measure(yamlLanguageServer, spec, dir, schemaFile);
      const mine = await measure(ours, spec, dir, schemaFile);
      rows.push({
        what: `edit → diagnostics, ${label} spec (median of ${EDITS})`,
        ours: median(mine.editMs),
        reference: median(reference.editMs),
        unit: 'ms',
      });
      rows.push({
        what: `open → diagnostics, ${label} spec`,
        ours: mine.openMs,
        reference: reference.openMs,
        unit: 'ms',
      });
    }
    const big = generateSpec(10_000_000);
    const { client } = await ours.start(schemaFile);
    try {
      const uri = pathToFileURL(join(dir, 'big.servicex.yaml')).href;
      const opened = client.nextDiagnostics(uri, 120_000);
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: big },
      });
      await opened;
      rows.push({ what: 'server memory with a 10 MB spec open', ours: client.rssBytes() / 2 ** 20, unit: 'MiB' });
    } finally {
      await client.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable('Language server (reference: yaml-language-server 1.25 with a JSON schema, same files, same run)', rows);
}
