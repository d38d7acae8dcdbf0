import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { FacilityCodegensNotification, type FacilityCodegensParams } from '../../server/src/protocol';

// The bundled server over stdio: diagnostics arrive as real publishDiagnostics notifications, and each wait is for
// the next notification that matches, never a fixed sleep.
describe('the language server checks ServiceX specs', () => {
  const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-lsp-'));
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const received: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    received.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();

  /** Resolves with the first diagnostics for `uri` published after `mark` that satisfy `accept`. */
  async function diagnosticsFor(
    uri: string,
    mark: number,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
  ) {
    for (;;) {
      const found = received.slice(mark).find((p) => p.uri === uri && accept(p));
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code);

  const specPath = join(folder, 'spec.yaml');
  const specUri = pathToFileURL(specPath).href;
  const definitionsUri = pathToFileURL(join(folder, 'defs.yaml')).href;
  const query = '!UprootRaw \'[{"treename": "nominal"}]\'';

  before(async () => {
    writeFileSync(join(folder, 'defs.yaml'), `- &Q ${query}\n`);
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
  });

  after(() => {
    connection.dispose();
    child.kill();
    rmSync(folder, { recursive: true, force: true });
  });

  test('opening a spec with mistakes publishes its diagnostics', async () => {
    const mark = received.length;
    const text = `General:\n  OutputFormat: root-file\nSample:\n  - Name: a\n    Dataset: !Rucio nodid\n    Query: ${query}\n`;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: specUri, languageId: 'yaml', version: 1, text },
    });
    const published = await diagnosticsFor(specUri, mark);
    assert.equal(published.version, 1);
    assert.deepEqual(published.diagnostics[0], {
      range: { start: { line: 1, character: 16 }, end: { line: 1, character: 25 } },
      severity: 1,
      code: 'spec/invalid-value',
      source: 'servicex',
      message:
        'OutputFormat "root-file" is not one of parquet, root-ttree, root-rntuple ("root-file" is the REST API name). Did you mean root-ttree?',
    });
    assert.deepEqual(codes(published), ['spec/invalid-value', 'spec/rucio-scope']);
  });

  test('editing the spec replaces its diagnostics', async () => {
    const mark = received.length;
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: 16 }, end: { line: 1, character: 25 } }, text: 'parquet' },
      ],
    });
    const published = await diagnosticsFor(specUri, mark, (p) => p.version === 2);
    assert.deepEqual(codes(published), ['spec/rucio-scope']);
  });

  test("the facility's code generators make an unknown-codegen diagnostic appear and disappear", async () => {
    let mark = received.length;
    const withoutUprootRaw: FacilityCodegensParams = { codegens: ['uproot', 'python'], maxTitleLength: 10240 };
    await connection.sendNotification(FacilityCodegensNotification, withoutUprootRaw);
    const appeared = await diagnosticsFor(specUri, mark, (p) => codes(p).includes('spec/unknown-codegen'));
    const unknown = appeared.diagnostics.find((d) => d.code === 'spec/unknown-codegen');
    assert.equal(
      unknown?.message,
      'The connected ServiceX has no "uproot-raw" code generator, which !UprootRaw queries use; it offers python, uproot. Ask the facility to enable it, or use another query type.',
    );
    assert.deepEqual(unknown?.range, { start: { line: 5, character: 11 }, end: { line: 5, character: 21 } });

    mark = received.length;
    await connection.sendNotification(FacilityCodegensNotification, { codegens: ['uproot', 'uproot-raw'] });
    const gone = await diagnosticsFor(specUri, mark);
    assert.deepEqual(codes(gone), ['spec/rucio-scope']);

    mark = received.length;
    await connection.sendNotification(FacilityCodegensNotification, { codegens: null });
    assert.deepEqual(codes(await diagnosticsFor(specUri, mark)), ['spec/rucio-scope']);
  });

  test('an included file open in the editor is read with its unsaved edits', async () => {
    let mark = received.length;
    const text = 'Definition: !include defs.yaml\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n';
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: specUri, version: 3 },
      contentChanges: [{ text }],
    });
    assert.deepEqual(codes(await diagnosticsFor(specUri, mark, (p) => p.version === 3)), []);

    mark = received.length;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: definitionsUri, languageId: 'yaml', version: 1, text: `- &RENAMED ${query}\n` },
    });
    const dependent = await diagnosticsFor(specUri, mark, (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(dependent), ['spec/undefined-alias']);

    mark = received.length;
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: definitionsUri } });
    assert.deepEqual(codes(await diagnosticsFor(specUri, mark)), []);
  });

  test('closing a spec clears its diagnostics', async () => {
    const mark = received.length;
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: specUri } });
    const cleared = await diagnosticsFor(specUri, mark);
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('YAML that is not a spec gets no diagnostics, and the server keeps answering after hostile input', async () => {
    const uri = pathToFileURL(join(folder, 'garbage.yaml')).href;
    const mark = received.length;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: `Sample:\n${'\u0000\u00ff{['.repeat(5000)}` },
    });
    assert.ok((await diagnosticsFor(uri, mark)).diagnostics.length > 0);
    const podUri = pathToFileURL(join(folder, 'pod.yaml')).href;
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: podUri, languageId: 'yaml', version: 1, text: 'kind: Pod\n' },
    });
    assert.deepEqual((await diagnosticsFor(podUri, mark)).diagnostics, []);
  });

  test('shuts down cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
