/** The Python exception classes the reference client can raise while turning a query into qastle. */
export type PyErrorType =
  | 'SyntaxError'
  | 'IndentationError'
  | 'KeyError'
  | 'TypeError'
  | 'ValueError'
  | 'AttributeError'
  | 'RecursionError'
  | 'MemoryError'
  | 'UnicodeEncodeError';

/**
 * A failure that the reference (Python's `ast.parse`, `qastle.insert_linq_nodes`, `qastle.python_ast_to_text_ast`)
 * would also report. `pythonMessage` is the reference's own text; `message` is what we show a physicist, which may
 * add what to write instead. Offsets are UTF-16 offsets into the text that was parsed.
 */
export class PyError extends Error {
  constructor(
    readonly type: PyErrorType,
    readonly pythonMessage: string,
    readonly start: number,
    readonly end: number,
    /** The diagnostic code, e.g. `funcadl/syntax` or `funcadl/unsupported`. */
    readonly code: string = 'funcadl/syntax',
    /** A sentence to append for the reader: what to write instead. */
    readonly hint?: string,
  ) {
    super(hint ? `${pythonMessage}. ${hint}${/[.!?]$/.test(hint) ? '' : '.'}` : pythonMessage);
    this.name = type;
  }
}

/** Shorthand for a Python `SyntaxError` found at `[start, end)`. */
export function syntaxError(message: string, start: number, end: number = start + 1, hint?: string): PyError {
  return new PyError('SyntaxError', message, start, Math.max(end, start), 'funcadl/syntax', hint);
}

/** Python's `U+XXXX` spelling of a code point, at least four hex digits. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}
