import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import * as funcadl from './funcadl';
import type { Severity, TextProblem } from './problems';
import { analyzeQastle } from './qastle';
import { looksLikeServiceXSpec, type ProblemTag, type SpecProblem } from './spec';
import { SpecSession } from './spec/incremental';

/** What the language service needs from its host; all of it is read at each validation, so changes apply at once. */
export interface LanguageServiceOptions {
  /** Reads a file by absolute path (for `!include` and `!TopCP` files); undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** Code generators of the connected ServiceX, or undefined when none is connected. */
  codegens?: () => readonly string[] | undefined;
  /** The connected ServiceX's `long_sample_titles_N`, or undefined when unknown. */
  maxTitleLength?: () => number | undefined;
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
}

/** The func_adl engine's optional whole-file entry point, used for `.funcadl` files when it exists. */
interface FuncAdlEngine {
  analyzeUprootQuery(text: string): { readonly problems: readonly TextProblem[] };
  analyzeFuncAdlFile?: (text: string) => { readonly problems: readonly TextProblem[] };
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
  const engine: FuncAdlEngine = funcadl;
  const sessions = new Map<string, SpecSession>();
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
        if (!session) sessions.set(document.uri, (session = new SpecSession()));
        return session.check(text, documentPath(document.uri), {
          readFile: (path) => options.readFile(path),
          codegens: options.codegens?.(),
          maxTitleLength: options.maxTitleLength?.(),
        });
      }
      case 'funcadl':
        return (engine.analyzeFuncAdlFile ?? engine.analyzeUprootQuery)(text).problems;
      case 'qastle':
        return analyzeQastle(text).problems;
      case 'other':
        return [];
    }
  };
  return {
    kindOf,
    validate: (document) => problemsOf(document).map((problem) => toDiagnostic(document, problem)),
    forget: (uri) => void sessions.delete(uri),
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

/** The file path of a `file:` URI (POSIX, Windows drive or UNC), or undefined for other schemes such as untitled. */
export function documentPath(uri: string): string | undefined {
  const match = /^file:\/\/([^/]*)(\/[^?#]*)?/i.exec(uri);
  if (!match) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(match[2] ?? '/');
  } catch {
    return undefined;
  }
  if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
  const host = match[1];
  return host && host.toLowerCase() !== 'localhost' ? `//${host}${path}` : path;
}
