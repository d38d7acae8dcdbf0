import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type CodeAction,
  type CodeLens,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type SemanticTokens,
  type TextEdit,
} from 'vscode-languageserver-types';
import { codeActions } from './features/codeActions';
import { complete } from './features/completion';
import { ParseCache, type FeatureContext } from './features/context';
import { definition } from './features/definition';
import { documentSymbols } from './features/documentSymbols';
import { formatDocument } from './features/formatting';
import { hover } from './features/hover';
import { semanticTokens } from './features/semanticTokens';
import { deliverLenses } from './features/deliverLenses';
import { codeLenses, showQastle, type QastleOutcome } from './features/showQastle';
import { analyzeFuncAdlFile } from './funcadl';
import type { Severity } from './problems';
import { analyzeQastle } from './qastle';
import { looksLikeServiceXSpec, type ProblemTag, type SpecProblem } from './spec';
import { SpecSession } from './spec/incremental';
import { xaodProblems } from './xaod/check';
import { XaodTypeDatabase } from './xaod/typeDatabase';

import { documentPath } from './features/uris';

export { documentPath };
export { SEMANTIC_TOKENS_LEGEND } from './features/semanticTokens';
export type { QastleOutcome } from './features/showQastle';

/** What the language service needs from its host; all of it is read at each validation, so changes apply at once. */
export interface LanguageServiceOptions {
  /** Reads a file by absolute path (for `!include` and `!TopCP` files); undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Code generators of the connected ServiceX, or undefined when none is connected. */
  codegens?: () => readonly string[] | undefined;
  /** The connected ServiceX's `long_sample_titles_N`, or undefined when unknown. */
  maxTitleLength?: () => number | undefined;
  /** Branch names offered after `e.` in uproot queries (from the facility or a sample file); none when absent. */
  branchNames?: () => readonly string[] | undefined;
  /** Path of the xAOD type database YAML, read on first use; xAOD completion and checks are off without it. */
  xaodDatabasePath?: string;
}

/** How a document is checked: as a ServiceX spec, a func_adl or qastle query file, or not at all. */
export type DocumentKind = 'spec' | 'funcadl' | 'qastle' | 'other';

/** The ServiceX language service: pure functions from documents to LSP results, with no connection. */
export interface LanguageService {
  /** Which checker a document gets; YAML that is not a ServiceX spec is 'other'. */
  kindOf(document: TextDocument): DocumentKind;
  /** All diagnostics for a document, empty for documents this service does not check. */
  validate(document: TextDocument): Diagnostic[];
  /** Drops what the service remembers about a closed document. */
  forget(uri: string): void;
  /** Completion items; `trigger` is the character that opened the list, if one did. */
  complete(document: TextDocument, position: Position, trigger?: string): CompletionList;
  hover(document: TextDocument, position: Position): Hover | null;
  /** The outline of a spec. */
  documentSymbols(document: TextDocument): DocumentSymbol[];
  /** Semantic tokens of the func_adl queries, in the order of `SEMANTIC_TOKENS_LEGEND`. */
  semanticTokens(document: TextDocument): SemanticTokens;
  /** Quick fixes for the given diagnostics of a document. */
  codeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[];
  /** Where an alias's anchor or an included file is. */
  definition(document: TextDocument, position: Position): Location[];
  /** Edits that format a `.qastle` document. */
  format(document: TextDocument): TextEdit[];
  /** "Show qastle" lenses on func_adl queries. */
  codeLenses(document: TextDocument): CodeLens[];
  /** The qastle of the query at an offset (a lens's argument). */
  showQastle(document: TextDocument, offset: number): QastleOutcome;
}

const SEVERITIES: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const TAGS: Readonly<Record<ProblemTag, DiagnosticTag>> = {
  deprecated: DiagnosticTag.Deprecated,
  unnecessary: DiagnosticTag.Unnecessary,
};

/** Creates the language service; the server and the `coffea-casa check` CLI both use it. */
export function createLanguageService(options: LanguageServiceOptions): LanguageService {
  const sessions = new Map<string, SpecSession>();
  // The type database is 22k lines of YAML: it is read when a query first needs it, and a failure is not retried.
  // Completion, hover and the xAOD call checks share the one instance.
  let loaded: XaodTypeDatabase | null | undefined;
  const xaod = (): XaodTypeDatabase | undefined => {
    if (loaded === undefined) {
      const text = options.xaodDatabasePath ? options.readFile(options.xaodDatabasePath) : undefined;
      try {
        loaded = text === undefined ? null : XaodTypeDatabase.parse(text);
      } catch {
        loaded = null;
      }
    }
    return loaded ?? undefined;
  };
  const kindOf = (document: TextDocument): DocumentKind => {
    const id = document.languageId;
    const path = document.uri.toLowerCase().replace(/[?#].*$/, '');
    if (id === 'funcadl' || path.endsWith('.funcadl')) return 'funcadl';
    if (id === 'qastle' || path.endsWith('.qastle')) return 'qastle';
    if (id === 'yaml' || path.endsWith('.yaml') || path.endsWith('.yml')) {
      return looksLikeServiceXSpec(document.getText()) ? 'spec' : 'other';
    }
    return 'other';
  };
  const problemsOf = (document: TextDocument): readonly SpecProblem[] => {
    const text = document.getText();
    switch (kindOf(document)) {
      case 'spec': {
        // Each open spec keeps a session, so an edit re-checks only the Sample items it touched.
        let session = sessions.get(document.uri);
        if (!session) sessions.set(document.uri, (session = new SpecSession(xaod)));
        return session.check(text, documentPath(document.uri), {
          readFile: (path) => options.readFile(path),
          codegens: options.codegens?.(),
          maxTitleLength: options.maxTitleLength?.(),
        });
      }
      case 'funcadl': {
        const problems = analyzeFuncAdlFile(text).problems;
        const calls = xaodProblems(text, xaod);
        return calls.length ? [...problems, ...calls].sort((a, b) => a.start - b.start) : problems;
      }
      case 'qastle':
        return analyzeQastle(text).problems;
      case 'other':
        return [];
    }
  };
  const parses = new ParseCache();
  const context: FeatureContext = {
    kindOf,
    readFile: (path) => options.readFile(path),
    codegens: () => options.codegens?.(),
    branchNames: () => options.branchNames?.(),
    parsed: (document) => parses.get(document),
    xaod,
  };
  return {
    kindOf,
    validate: (document) => problemsOf(document).map((problem) => toDiagnostic(document, problem)),
    forget: (uri) => {
      sessions.delete(uri);
      parses.forget(uri);
    },
    complete: (document, position, trigger) => complete(document, position, context, trigger),
    hover: (document, position) => hover(document, position, context),
    documentSymbols: (document) => documentSymbols(document, context),
    semanticTokens: (document) => semanticTokens(document, context),
    codeActions: (document, diagnostics) => codeActions(document, diagnostics, context),
    definition: (document, position) => definition(document, position, context),
    format: (document) => formatDocument(document, context),
    codeLenses: (document) => [...deliverLenses(document, context), ...codeLenses(document, context)],
    showQastle: (document, offset) => showQastle(document, offset, context),
  };
}

function toDiagnostic(document: TextDocument, problem: SpecProblem): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(problem.start), end: document.positionAt(problem.end) },
    severity: SEVERITIES[problem.severity],
    code: problem.code,
    source: 'servicex',
    message: problem.message,
  };
  if (problem.tags?.length) diagnostic.tags = problem.tags.map((tag) => TAGS[tag]);
  return diagnostic;
}
