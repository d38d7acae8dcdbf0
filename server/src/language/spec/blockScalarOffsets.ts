import { OffsetBuilder, type ScalarToken } from './offsetBuilder';

interface BlockHeader {
  readonly mode: string;
  readonly indent: number;
  readonly chomp: string;
  readonly length: number;
}

/** A body line: where it starts in the token source, its leading spaces and the rest (with a CR, if any). */
interface BlockLine {
  readonly start: number;
  readonly indent: number;
  readonly content: string;
}

function parseHeader(token: ScalarToken): BlockHeader | undefined {
  const props = token.props ?? [];
  if (props[0]?.type !== 'block-scalar-header') return undefined;
  const source = props[0].source;
  let indent = 0;
  let chomp = '';
  for (let i = 1; i < source.length; ++i) {
    const ch = source[i];
    if (!chomp && (ch === '-' || ch === '+')) chomp = ch;
    else if (!indent && Number(ch)) indent = Number(ch);
  }
  const length = props.reduce((sum, p) => sum + (typeof p.source === 'string' ? p.source.length : 0), 0);
  return { mode: source[0], indent, chomp, length };
}

function splitBlockLines(source: string): BlockLine[] {
  const lines: BlockLine[] = [];
  let start = 0;
  for (;;) {
    const newline = source.indexOf('\n', start);
    const end = newline < 0 ? source.length : newline;
    let indent = start;
    while (indent < end && source[indent] === ' ') indent++;
    lines.push({ start, indent: indent - start, content: source.slice(indent, end) });
    if (newline < 0) return lines;
    start = newline + 1;
  }
}

/**
 * The value of a `|` or `>` scalar with offsets: `resolveBlockScalar` of the yaml package (chomping, explicit and
 * detected indentation, folding of normal lines and keeping of more-indented ones), tracking where each unit came from.
 */
export function blockScalar(token: ScalarToken): OffsetBuilder | undefined {
  const header = parseHeader(token);
  if (!header) return undefined;
  const base = token.offset + header.length;
  const source = token.source;
  const lines = source ? splitBlockLines(source) : [];
  const out = new OffsetBuilder();
  // The line break that ends line i, as a document range (empty at the end of the body).
  const lineBreak = (i: number) => {
    if (i < 0 || i >= lines.length - 1) return { start: base + source.length, end: base + source.length };
    const line = lines[i];
    const at = line.start + line.indent + line.content.length;
    return { start: base + at - (line.content.endsWith('\r') ? 1 : 0), end: base + at + 1 };
  };
  const pushBreaks = (text: string, i: number) => {
    const at = lineBreak(i);
    out.push(text, at.start, at.end);
  };
  const copyIndent = (line: BlockLine, trim: number) => {
    if (line.indent > trim) out.copy(source, line.start + trim, line.start + line.indent, base);
  };

  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i].content === '' || lines[i].content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) {
    if (header.chomp === '+' && lines.length > 0) {
      for (let k = 0; k < Math.max(1, lines.length - 1); k++) pushBreaks('\n', k);
    }
    return out;
  }

  let trimIndent = token.indent + header.indent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const { indent, content } = lines[i];
    if (content === '' || content === '\r') {
      if (header.indent === 0 && indent > trimIndent) trimIndent = indent;
    } else {
      if (header.indent === 0) trimIndent = indent;
      contentStart = i;
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i].indent > trimIndent) chompStart = i + 1;
  }

  for (let i = 0; i < contentStart; ++i) {
    copyIndent(lines[i], trimIndent);
    pushBreaks('\n', i);
  }
  let sep = '';
  let prevMoreIndented = false;
  for (let i = contentStart; i < chompStart; ++i) {
    const line = lines[i];
    let indent = line.indent;
    const content = line.content.endsWith('\r') ? line.content.slice(0, -1) : line.content;
    if (content && indent < trimIndent) indent = 0;
    const lineWithIndent = { ...line, indent };
    const contentStartAt = line.start + line.indent;
    if (header.mode !== '>') {
      pushBreaks(sep, i - 1);
      copyIndent(lineWithIndent, trimIndent);
      out.copy(source, contentStartAt, contentStartAt + content.length, base);
      sep = '\n';
    } else if (indent > trimIndent || content[0] === '\t') {
      // More-indented lines of a folded scalar keep their line breaks.
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      pushBreaks(sep, i - 1);
      copyIndent(lineWithIndent, trimIndent);
      out.copy(source, contentStartAt, contentStartAt + content.length, base);
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') pushBreaks('\n', i - 1);
      else sep = '\n';
    } else {
      pushBreaks(sep, i - 1);
      out.copy(source, contentStartAt, contentStartAt + content.length, base);
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (header.chomp === '+') {
    for (let i = chompStart; i < lines.length; ++i) {
      pushBreaks('\n', i - 1);
      copyIndent(lines[i], trimIndent);
    }
    if (!out.value.endsWith('\n')) pushBreaks('\n', lines.length - 1);
  } else if (header.chomp !== '-') {
    pushBreaks('\n', chompStart - 1);
  }
  return out;
}
