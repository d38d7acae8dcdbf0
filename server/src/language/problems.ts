/** How serious a problem is; the names match the CLI's JSON output and map one-to-one onto LSP severities. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A problem found in a text, located by UTF-16 offsets into that same text. Each layer reports against its own text;
 * whoever embeds a text (a query inside a YAML scalar) maps the offsets back to the document.
 */
export interface TextProblem {
  readonly start: number;
  readonly end: number;
  /** A stable code such as `spec/unknown-key` or `funcadl/syntax`: area, slash, kebab-case rule name. */
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
}
