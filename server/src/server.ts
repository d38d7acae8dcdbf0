import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_NAME, SERVER_VERSION } from './version';

// The server is a thin adapter: it wires capabilities and forwards to the language service in `language/`,
// which arrives with the ServiceX language issue. For now it answers `initialize` and tracks open documents.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
}));

documents.listen(connection);
connection.listen();
