import type { Document } from 'yaml';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentKind } from '../service';
import type { XaodTypeDatabase } from '../xaod/typeDatabase';
import { parseYaml } from './specRegion';

/** What the editor features read besides the document: the host's files and settings, and shared caches. */
export interface FeatureContext {
  kindOf(document: TextDocument): DocumentKind;
  readFile(path: string): string | undefined;
  /** The connected facility's code generators, or undefined when none is connected. */
  codegens(): readonly string[] | undefined;
  /** Branch names known for uproot queries, or undefined when none are. */
  branchNames(): readonly string[] | undefined;
  /** The xAOD type database, loaded on first use; undefined when it cannot be read. */
  xaod(): XaodTypeDatabase | undefined;
  /** The whole spec parsed, reused while the document's version stays the same. */
  parsed(document: TextDocument): Document;
}

/**
 * Keeps one whole-document parse per open document, so the outline and the semantic tokens requested after the same
 * edit share it. A parse takes about ten times the text's size in memory, so very large documents are not kept.
 */
export class ParseCache {
  private static readonly MAX_CACHED_LENGTH = 2_000_000;
  private readonly entries = new Map<string, { version: number; text: string; parsed: Document }>();

  get(document: TextDocument): Document {
    const text = document.getText();
    const cached = this.entries.get(document.uri);
    // A document reopened after a close starts its versions again, so the text is compared too (by reference, first).
    if (cached && cached.version === document.version && cached.text === text) return cached.parsed;
    const parsed = parseYaml(text);
    if (text.length <= ParseCache.MAX_CACHED_LENGTH) {
      this.entries.set(document.uri, { version: document.version, text, parsed });
    } else this.entries.delete(document.uri);
    return parsed;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }
}
