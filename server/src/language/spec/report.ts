import type { Severity, TextProblem } from '../problems';
import type { Loc, ScalarNode, SourceFile } from './nodes';
import { mapScalar, toDocumentRange, type ScalarText } from './scalarOffsets';

/** Extra marks an editor shows on a problem: deprecated text is struck through, unnecessary text is faded. */
export type ProblemTag = 'deprecated' | 'unnecessary';

/** A spec problem: offsets into the checked document, and optional editor marks. */
export interface SpecProblem extends TextProblem {
  readonly tags?: readonly ProblemTag[];
}

/** A checker stops collecting here: past this many, more problems would only hide the first ones. */
const MAX_PROBLEMS = 1000;

/** Collects problems, moving those found in included files onto the `!include` that brought them in. */
export class Reporter {
  readonly problems: SpecProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly scalarTexts = new WeakMap<ScalarNode['yaml'], ScalarText | null>();

  /** Reports a problem at a place in the document or in an included file. */
  at(loc: Loc, code: string, severity: Severity, message: string, tags?: readonly ProblemTag[]): void {
    if (loc.file.via) {
      const { line, character } = lineAndColumn(loc.file.text, loc.start);
      this.add(
        loc.file.via.start,
        loc.file.via.end,
        code,
        severity,
        `In ${where(loc.file, line, character)}: ${message}`,
      );
    } else this.add(loc.start, loc.end, code, severity, message, tags);
  }

  /** Reports a problem found at [start, end) of a scalar's value, placed on the source characters that made it. */
  inScalar(node: ScalarNode, start: number, end: number, code: string, severity: Severity, message: string): void {
    let text = this.scalarTexts.get(node.yaml);
    if (text === undefined) {
      text = mapScalar(node.yaml) ?? null;
      this.scalarTexts.set(node.yaml, text);
    }
    const range = text ? toDocumentRange(text, start, end) : node.loc;
    this.at({ file: node.loc.file, start: range.start, end: range.end }, code, severity, message);
  }

  /** Whether more problems would be dropped, so expensive checks can stop early. */
  get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  private add(
    start: number,
    end: number,
    code: string,
    severity: Severity,
    message: string,
    tags?: readonly ProblemTag[],
  ): void {
    // A node reached through several aliases is checked once per use; the same problem is kept once.
    const key = `${start}:${end}:${code}:${message}`;
    if (this.full || this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(tags ? { start, end, code, severity, message, tags } : { start, end, code, severity, message });
  }
}

function where(file: SourceFile, line: number, character: number): string {
  return `${file.label}:${line + 1}:${character + 1}`;
}

/** The 0-based line and character of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}
