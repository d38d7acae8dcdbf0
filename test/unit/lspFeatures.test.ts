import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type InitializeResult,
  type Location,
  type PublishDiagnosticsParams,
  type SemanticTokens,
  type TextEdit,
} from 'vscode-languageserver/node';
import {
  DeliverSpecCommand,
  SampleFileNotification,
  ShowQastleCommand,
  ShowQastleRequest,
  type SampleFileParams,
  type ShowQastleParams,
  type ShowQastleResult,
} from '../../server/src/protocol';

// The editor features of the bundled server, each exercised once over a real JSON-RPC connection on stdio.
describe('the language server answers editor feature requests', () => {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    diagnostics.set(params.uri, params);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();

  async function diagnosticsOf(uri: string): Promise<PublishDiagnosticsParams> {
    for (;;) {
      const found = diagnostics.get(uri);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  const specUri = 'file:///work/features/spec.yaml';
  const qastleUri = 'file:///work/features/query.qastle';
  const spec = [
    'General:',
    '  OutputFormat: parqet',
    'Definition:',
    '  - &DID user.a:ttbar',
    'Sample:',
    '  - Name: ttbar',
    '    RucioDID: *DID',
    '    Query: !FuncADL_Uproot |',
    "      FromTree('CollectionTree').Select(lambda e: e.Jets().Select(lambda j: j.))",
    '  - Name: data',
    '    Dataset: !CERNOpenData 179',
    `    Query: !FuncADL_Uproot "FromTree('t').Select(lambda e: e.x)"`,
    '',
  ].join('\n');
  const doc = { uri: specUri };
  let capabilities: InitializeResult['capabilities'];

  before(async () => {
    const result = await connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    capabilities = result.capabilities;
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: specUri, languageId: 'yaml', version: 1, text: spec },
    });
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: qastleUri, languageId: 'qastle', version: 1, text: "(Count   (attr e 'x'))" },
    });
  });

  after(() => {
    connection.dispose();
    child.kill();
  });

  test('declares every feature in its capabilities', () => {
    assert.deepEqual(capabilities.completionProvider, { triggerCharacters: ['.', '!', ':', ' '] });
    assert.equal(capabilities.hoverProvider, true);
    assert.equal(capabilities.documentSymbolProvider, true);
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.documentFormattingProvider, true);
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.equal((capabilities.semanticTokensProvider as { full: boolean }).full, true);
  });

  test('completion after a jet offers its methods from the bundled xAOD type database', async () => {
    const list = await connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: doc,
      position: { line: 8, character: 78 },
      context: { triggerKind: 2, triggerCharacter: '.' },
    });
    const pt = list.items.find((item) => item.label === 'pt');
    assert.equal(pt?.detail, 'double');
    assert.deepEqual(pt?.textEdit, {
      range: { start: { line: 8, character: 78 }, end: { line: 8, character: 78 } },
      newText: 'pt()',
    });
  });

  test('hover explains a key', async () => {
    const hover = await connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: doc,
      position: { line: 1, character: 4 },
    });
    assert.deepEqual(hover.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 14 } });
    assert.match((hover.contents as { value: string }).value, /^\*\*OutputFormat\*\*/);
  });

  test('the outline names the sample', async () => {
    const symbols = await connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: doc,
    });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['General', 'Definition', 'Sample'],
    );
    assert.deepEqual(
      symbols[2].children?.map((s) => [s.name, s.detail]),
      [
        ['ttbar', 'RucioDID · uproot'],
        ['data', '!CERNOpenData · uproot'],
      ],
    );
  });

  test('queries get semantic tokens', async () => {
    const tokens = await connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', {
      textDocument: doc,
    });
    assert.deepEqual(tokens.data.slice(0, 5), [8, 6, 8, 6, 0], 'FromTree is a function');
  });

  test('a misspelled value is fixed, and RucioDID through an alias is not (an alias takes no tag)', async () => {
    const published = await diagnosticsOf(specUri);
    const deprecated = published.diagnostics.find((d) => d.code === 'spec/deprecated-key');
    assert.ok(deprecated);
    const none = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: doc,
      range: deprecated.range,
      context: { diagnostics: [deprecated] },
    });
    assert.deepEqual(none, [], 'a tag cannot be put on an alias');
    const misspelled = published.diagnostics.find((d) => d.code === 'spec/invalid-value');
    assert.ok(misspelled);
    const actions = await connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: doc,
      range: misspelled.range,
      context: { diagnostics: [misspelled] },
    });
    assert.deepEqual(actions, [
      {
        title: 'Change to parquet',
        kind: 'quickfix',
        diagnostics: [misspelled],
        isPreferred: true,
        edit: { changes: { [specUri]: [{ range: misspelled.range, newText: 'parquet' }] } },
      },
    ]);
  });

  test('an alias goes to its anchor', async () => {
    const locations = await connection.sendRequest<Location[]>('textDocument/definition', {
      textDocument: doc,
      position: { line: 6, character: 16 },
    });
    assert.deepEqual(locations, [
      { uri: specUri, range: { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } } },
    ]);
  });

  test('a .qastle document is formatted', async () => {
    const edits = await connection.sendRequest<TextEdit[]>('textDocument/formatting', {
      textDocument: { uri: qastleUri },
      options: { tabSize: 2, insertSpaces: true },
    });
    assert.deepEqual(edits, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 22 } },
        newText: "(Count (attr e 'x'))\n",
      },
    ]);
  });

  test('a "Show qastle" lens leads to the request that returns the translation', async () => {
    const lenses = await connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: doc });
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.command]),
      [
        [4, DeliverSpecCommand],
        [5, DeliverSpecCommand],
        [9, DeliverSpecCommand],
        [7, ShowQastleCommand],
        [11, ShowQastleCommand],
      ],
    );
    const qastleLenses = lenses.filter((lens) => lens.command?.command === ShowQastleCommand);
    const [uri, offset] = qastleLenses[1].command?.arguments as [string, number];
    const params: ShowQastleParams = { uri, offset };
    const result = await connection.sendRequest<ShowQastleResult>(ShowQastleRequest, params);
    assert.deepEqual(result, {
      qastle: "(Select (call EventDataset 'bogus.root' 't') (lambda (list e) (attr e 'x')))\n",
    });
    const closed = await connection.sendRequest<ShowQastleResult>(ShowQastleRequest, {
      uri: 'file:///nowhere.yaml',
      offset: 0,
    });
    assert.deepEqual(closed, { error: 'The document is not open in the editor.' });
  });

  test('the columns of the sample Parquet file are offered after `e.` in an uproot query', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-sample-'));
    try {
      const { parquetWriteBuffer } = await import('hyparquet-writer');
      const path = join(folder, 'result.parquet');
      writeFileSync(path, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'MET_pt', data: [1.5] }] })));
      const params: SampleFileParams = { path };
      await connection.sendNotification(SampleFileNotification, params);
      const list = await connection.sendRequest<CompletionList>('textDocument/completion', {
        textDocument: doc,
        position: { line: 11, character: 61 },
        context: { triggerKind: 2, triggerCharacter: '.' },
      });
      const branch = list.items.find((item) => item.label === 'MET_pt');
      assert.equal(branch?.detail, 'branch');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('shuts down cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
