import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CancellationTokenSource,
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  RequestType,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SampleFileBranches } from './language/branches';
import { createLanguageService, documentPath, SEMANTIC_TOKENS_LEGEND } from './language/service';
import {
  FacilityCodegensNotification,
  SampleFileNotification,
  ShowQastleRequest,
  type FacilityCodegensParams,
  type SampleFileParams,
  type ShowQastleParams,
  type ShowQastleResult,
} from './protocol';
import { runSafe } from './runner';
import { SERVER_NAME, SERVER_VERSION } from './version';

// The server is a thin adapter: it tracks documents, decides when to validate, and forwards to the language service
// in `language/`, which never sees the connection. Every handler goes through `runSafe`.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = connection.console;

/**
 * A document is re-checked as soon as it changes (bursts of changes collapse into one check, since the check waits
 * for the event queue); the open documents that include it wait this long, because their check is a whole-file one.
 */
const DEPENDENTS_DEBOUNCE_MS = 150;

let facility: FacilityCodegensParams = { codegens: null };
/** The files each open document read while it was last validated (its `!include`s), by document URI. */
const readsByDocument = new Map<string, Set<string>>();
let currentReads: Set<string> | undefined;
/** Branch names from the sample file the client names; read when a completion first needs them. */
const sampleBranches = new SampleFileBranches(log);

const service = createLanguageService({
  readFile: (path) => {
    currentReads?.add(path);
    // An included file open in the editor is read with its unsaved edits.
    const open = documents.all().find((document) => documentPath(document.uri) === path);
    if (open) return open.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  codegens: () => facility.codegens ?? undefined,
  maxTitleLength: () => facility.maxTitleLength ?? undefined,
  branchNames: () => sampleBranches.names(),
  // esbuild copies server/data next to the bundle (dist/data); the database is read on first use.
  xaodDatabasePath: join(__dirname, 'data', 'xaod', 'xaod_r25.yaml'),
});

const pending = new Map<string, { timer: NodeJS.Timeout; cancel: CancellationTokenSource }>();

function schedule(uri: string, delay: number): void {
  const previous = pending.get(uri);
  if (previous) {
    clearTimeout(previous.timer);
    previous.cancel.cancel();
  }
  const cancel = new CancellationTokenSource();
  const timer = setTimeout(() => {
    pending.delete(uri);
    void validate(uri, cancel);
  }, delay);
  pending.set(uri, { timer, cancel });
}

/** Checks one open document and publishes its diagnostics, unless it changed or closed meanwhile. */
function validate(uri: string, cancel: CancellationTokenSource): Promise<void> {
  return runSafe(
    log,
    `Checking ${uri}`,
    undefined,
    async () => {
      const document = documents.get(uri);
      if (!document) return;
      const reads = new Set<string>();
      currentReads = reads;
      let diagnostics: Diagnostic[];
      try {
        diagnostics = service.validate(document);
      } finally {
        currentReads = undefined;
      }
      if (cancel.token.isCancellationRequested || documents.get(uri)?.version !== document.version) return;
      readsByDocument.set(uri, reads);
      await connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    },
    cancel.token,
  ).finally(() => cancel.dispose());
}

/** Re-validates the open documents that include the file at `uri`, since their diagnostics depend on it. */
function scheduleDependents(uri: string, delay: number): void {
  const path = documentPath(uri);
  if (!path) return;
  for (const [dependent, reads] of readsByDocument)
    if (dependent !== uri && reads.has(path)) schedule(dependent, delay);
}

connection.onInitialize((_params, token) =>
  runSafe<InitializeResult>(
    log,
    'Initializing',
    { capabilities: {} },
    () => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '!', ':', ' '] },
        hoverProvider: true,
        documentSymbolProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        definitionProvider: true,
        documentFormattingProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    }),
    token,
  ),
);

documents.onDidChangeContent(({ document }) => {
  void runSafe(log, 'Scheduling a check', undefined, () => {
    schedule(document.uri, 0);
    scheduleDependents(document.uri, DEPENDENTS_DEBOUNCE_MS);
  });
});

documents.onDidClose(({ document }) => {
  void runSafe(log, 'Closing a document', undefined, async () => {
    const waiting = pending.get(document.uri);
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.cancel.cancel();
      pending.delete(document.uri);
    }
    readsByDocument.delete(document.uri);
    service.forget(document.uri);
    // Documents that include this one now read it from disk, without the edits that were not saved.
    scheduleDependents(document.uri, 0);
    await connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });
});

connection.onNotification(FacilityCodegensNotification, (params: FacilityCodegensParams) => {
  void runSafe(log, 'Updating the facility code generators', undefined, () => {
    facility = {
      codegens: Array.isArray(params?.codegens) ? params.codegens.filter((c) => typeof c === 'string') : null,
      maxTitleLength: typeof params?.maxTitleLength === 'number' ? params.maxTitleLength : null,
    };
    for (const document of documents.all()) schedule(document.uri, 0);
  });
});

connection.onNotification(SampleFileNotification, (params: SampleFileParams) => {
  void runSafe(log, 'Setting the sample file', undefined, () => {
    sampleBranches.setPath(typeof params?.path === 'string' && params.path ? params.path : null);
  });
});

/** Runs a request's work on an open document through `runSafe`; a document that is not open gets the fallback. */
function onDocument<T>(
  uri: string,
  what: string,
  fallback: T,
  token: CancellationToken,
  work: (document: TextDocument) => T | Promise<T>,
): Promise<T> {
  return runSafe(
    log,
    what,
    fallback,
    () => {
      const document = documents.get(uri);
      return document ? work(document) : fallback;
    },
    token,
  );
}

connection.onCompletion((params, token) =>
  onDocument(params.textDocument.uri, 'Completing', null, token, async (document) => {
    // The sample file is read (or re-read after it changed) here, so its names are in this very list.
    await sampleBranches.refresh();
    return service.complete(document, params.position, params.context?.triggerCharacter);
  }),
);

connection.onHover((params, token) =>
  onDocument(params.textDocument.uri, 'Hovering', null, token, (document) => service.hover(document, params.position)),
);

connection.onDocumentSymbol((params, token) =>
  onDocument(params.textDocument.uri, 'Listing symbols', [], token, (document) => service.documentSymbols(document)),
);

connection.languages.semanticTokens.on((params, token) =>
  onDocument(params.textDocument.uri, 'Colouring queries', { data: [] }, token, (document) =>
    service.semanticTokens(document),
  ),
);

connection.onCodeAction((params, token) =>
  onDocument(params.textDocument.uri, 'Finding quick fixes', [], token, (document) =>
    service.codeActions(document, params.context.diagnostics),
  ),
);

connection.onDefinition((params, token) =>
  onDocument(params.textDocument.uri, 'Finding a definition', [], token, (document) =>
    service.definition(document, params.position),
  ),
);

connection.onDocumentFormatting((params, token) =>
  onDocument(params.textDocument.uri, 'Formatting', [], token, (document) => service.format(document)),
);

connection.onCodeLens((params, token) =>
  onDocument(params.textDocument.uri, 'Listing code lenses', [], token, (document) => service.codeLenses(document)),
);

connection.onRequest(new RequestType<ShowQastleParams, ShowQastleResult, void>(ShowQastleRequest), (params, token) => {
  const failed: ShowQastleResult = { error: 'The language server could not translate this query; see its log.' };
  const closed: ShowQastleResult = { error: 'The document is not open in the editor.' };
  return runSafe<ShowQastleResult>(
    log,
    'Showing qastle',
    failed,
    () => {
      const document = documents.get(params.uri);
      return document ? service.showQastle(document, params.offset) : closed;
    },
    token,
  );
});

documents.listen(connection);
connection.listen();
