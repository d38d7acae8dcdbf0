// A light structural reading of Python source for `!PythonFunction`: strings, comments, brackets, indentation of
// logical lines and a top-level `def run_query`. Nothing is executed. A full parser (@lezer/python) would also catch
// statement-level syntax errors; it is not a dependency yet.

/** A problem in Python source, located by offsets into it. */
export interface PythonFinding {
  readonly start: number;
  readonly end: number;
  readonly rule: 'python-syntax' | 'python-non-ascii' | 'python-run-query';
  readonly message: string;
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
const STRING_START = /[rRbBuUfF]{0,2}("""|'''|"|')/y;
const RUN_QUERY = /(?:async[ \t]+)?def[ \t]+run_query\b[ \t]*\(/y;
/** Enough to show the problem; a file of Greek comments does not need a thousand diagnostics. */
const MAX_NON_ASCII_REPORTS = 20;

/** Reads Python source structurally and reports what would stop the ServiceX Python transformer from running it. */
export function checkPythonSource(text: string): PythonFinding[] {
  const findings: PythonFinding[] = [];
  const stack: { ch: string; at: number }[] = [];
  let runQuery: { start: number; end: number; noParameters: boolean } | undefined;
  let firstStatement = true;
  let atLineStart = true;
  let continued = false;
  let i = 0;
  while (i < text.length) {
    if (atLineStart) {
      atLineStart = false;
      let j = i;
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\f') j++;
      const blank = j >= text.length || text[j] === '\n' || text[j] === '\r' || text[j] === '#';
      if (!blank && stack.length === 0 && !continued) {
        if (firstStatement && j > i) {
          findings.push({
            start: i,
            end: j,
            rule: 'python-syntax',
            message: 'Unexpected indent: the first statement must start at the beginning of its line.',
          });
        }
        firstStatement = false;
        RUN_QUERY.lastIndex = j;
        if (j === i && !runQuery && RUN_QUERY.test(text)) {
          const open = RUN_QUERY.lastIndex - 1;
          let k = open + 1;
          while (k < text.length && ' \t\r\n'.includes(text[k])) k++;
          runQuery = { start: j, end: open, noParameters: text[k] === ')' };
        }
      }
      continued = false;
      i = j;
      continue;
    }
    const ch = text[i];
    if (ch === '\n') {
      atLineStart = true;
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      continued = true;
      i += text[i + 1] === '\n' ? 1 : 2;
    } else if (OPENERS[ch]) {
      stack.push({ ch, at: i++ });
    } else if (CLOSERS[ch]) {
      const open = stack.pop();
      if (!open)
        findings.push({
          start: i,
          end: i + 1,
          rule: 'python-syntax',
          message: `Unmatched "${ch}": there is no opening "${CLOSERS[ch]}" for it.`,
        });
      else if (open.ch !== CLOSERS[ch]) {
        findings.push({
          start: i,
          end: i + 1,
          rule: 'python-syntax',
          message: `"${ch}" does not close "${open.ch}", which needs "${OPENERS[open.ch]}".`,
        });
      }
      i++;
    } else if (isIdentifierStart(text, i)) {
      i = skipWordOrString(text, i, findings);
    } else i++;
  }
  for (const open of stack) {
    findings.push({
      start: open.at,
      end: open.at + 1,
      rule: 'python-syntax',
      message: `"${open.ch}" is never closed.`,
    });
  }
  reportNonAscii(text, findings);
  if (!runQuery) {
    const message =
      'ServiceX calls run_query(<input file>) on this code: define it at the top level, for example "def run_query(input_filenames=None):".';
    const firstLineEnd = text.indexOf('\n');
    findings.push({ start: 0, end: firstLineEnd < 0 ? text.length : firstLineEnd, rule: 'python-run-query', message });
  } else if (runQuery.noParameters) {
    const message =
      'run_query is called with the input file path: give it a parameter, for example "def run_query(input_filenames=None):".';
    findings.push({ start: runQuery.start, end: runQuery.end, rule: 'python-run-query', message });
  }
  return findings;
}

/** Whether a string literal or a name starts here (names are skipped whole so `rb` in `orb'` is not a prefix). */
function isIdentifierStart(text: string, i: number): boolean {
  const ch = text[i];
  return ch === '"' || ch === "'" || /[A-Za-z_]/.test(ch);
}

function skipWordOrString(text: string, i: number, findings: PythonFinding[]): number {
  STRING_START.lastIndex = i;
  const match = STRING_START.exec(text);
  if (!match) {
    let j = i;
    while (j < text.length && /\w/.test(text[j])) j++;
    return j;
  }
  const quote = match[1];
  let j = STRING_START.lastIndex;
  for (;;) {
    if (j >= text.length) {
      findings.push({
        start: i,
        end: Math.min(i + match[0].length, text.length),
        rule: 'python-syntax',
        message: `This string is never closed: add the closing ${quote}.`,
      });
      return j;
    }
    const ch = text[j];
    if (ch === '\\') j += 2;
    else if (text.startsWith(quote, j)) return j + quote.length;
    else if (ch === '\n' && quote.length === 1) {
      findings.push({
        start: i,
        end: j,
        rule: 'python-syntax',
        message: `This string ends at the end of the line without its closing ${quote}.`,
      });
      return j;
    } else j++;
  }
}

function reportNonAscii(text: string, findings: PythonFinding[]): void {
  let reported = 0;
  for (const match of text.matchAll(/[\u0080-\uffff]+/g)) {
    if (reported++ >= MAX_NON_ASCII_REPORTS) break;
    const message = `The ServiceX Python code generator decodes the code as ASCII, so "${match[0]}" makes the transform fail, even in a comment or a string; use ASCII (for example \\u escapes in strings).`;
    findings.push({ start: match.index, end: match.index + match[0].length, rule: 'python-non-ascii', message });
  }
}
