import { type QNode, parseQastle } from './syntax';

/** The line width the formatter aims for. */
export const FORMAT_WIDTH = 100;

/**
 * Pretty-prints qastle. Style: a node that fits in the remaining width stays on one line with single spaces; a
 * composite that does not is written as `(type` followed by each field on its own line, indented two spaces more than
 * the opening parenthesis, with the closing parenthesis after the last field (Lisp style). Atoms are kept exactly as
 * written, so the result parses to the same tree; a formatted record ends with a newline. Text that does not parse
 * is returned unchanged.
 */
export function formatQastle(text: string, width: number = FORMAT_WIDTH): string {
  const parsed = parseQastle(text);
  if (!parsed.ok) return text;
  if (!parsed.node) return '';
  const flatLength = new Map<QNode, number>();
  const measure = (node: QNode): number => {
    const length =
      node.kind === 'atom'
        ? node.text.length
        : node.fields.reduce((sum, field) => sum + 1 + measure(field), 2 + node.type.length);
    flatLength.set(node, length);
    return length;
  };
  measure(parsed.node);
  const out: string[] = [];
  const flat = (node: QNode): void => {
    if (node.kind === 'atom') {
      out.push(node.text);
      return;
    }
    out.push('(', node.type);
    for (const field of node.fields) {
      out.push(' ');
      flat(field);
    }
    out.push(')');
  };
  const print = (node: QNode, column: number): void => {
    if (node.kind === 'atom' || column + (flatLength.get(node) ?? 0) <= width || node.fields.length === 0) {
      flat(node);
      return;
    }
    out.push('(', node.type);
    const indent = ' '.repeat(column + 2);
    for (const field of node.fields) {
      out.push('\n', indent);
      print(field, column + 2);
    }
    out.push(')');
  };
  print(parsed.node, 0);
  out.push('\n');
  return out.join('');
}
