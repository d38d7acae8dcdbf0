import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { isMap, isPair, isScalar, isSeq, type Document, type Pair } from 'yaml';
import { KNOWN_MISTAKES } from '../spec/schema';
import type { FeatureContext } from './context';
import { embeddedScalar, parseRegionAt, scalarText, taggedScalarAt } from './specRegion';

/** Diagnostics whose message ends with the client's "Did you mean X?" and whose range is the word to replace. */
const SUGGESTING = new Set([
  'spec/unknown-key',
  'spec/invalid-value',
  'spec/unknown-tag',
  'spec/unknown-codegen',
  'spec/uproot-raw-unknown-field',
  'spec/topcp-unknown-key',
]);

/** Quick fixes for the diagnostics that have one clear fix. */
export function codeActions(
  document: TextDocument,
  diagnostics: readonly Diagnostic[],
  context: FeatureContext,
): CodeAction[] {
  const kind = context.kindOf(document);
  if (kind !== 'spec' && kind !== 'funcadl') return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const code = String(diagnostic.code ?? '');
    let fix: { title: string; edits: TextEdit[] } | undefined;
    if (SUGGESTING.has(code)) fix = replaceWithSuggestion(document, diagnostic);
    else if (code === 'spec/deprecated-key') fix = renameDeprecated(document, diagnostic);
    else if (code === 'funcadl/missing-fromtree') fix = insertFromTree(document, diagnostic, kind);
    else if (code === 'funcadl/multiline-dropped') fix = foldQuery(document, diagnostic, kind);
    if (!fix || fix.edits.length === 0) continue;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [document.uri]: fix.edits } },
    });
  }
  return actions;
}

/** The replacement a diagnostic proposes: `data.suggestion` when the rule provides it, else its "Did you mean". */
function suggestionOf(diagnostic: Diagnostic, word: string): string | undefined {
  const data = diagnostic.data as { suggestion?: unknown } | undefined;
  if (typeof data?.suggestion === 'string') return data.suggestion;
  const meant = /Did you mean "?([^"?\s]+)"?\?/.exec(diagnostic.message)?.[1];
  return meant ?? KNOWN_MISTAKES[word];
}

function replaceWithSuggestion(document: TextDocument, diagnostic: Diagnostic) {
  const word = document.getText(diagnostic.range);
  // A problem inside an included file is reported on the `!include`; its word is in the other file.
  if (/\s/.test(word) || word.startsWith('!include')) return undefined;
  const quoted = /^"[^"]*"$/.test(word);
  const suggestion = suggestionOf(diagnostic, quoted ? word.slice(1, -1) : word);
  if (!suggestion || suggestion === word) return undefined;
  const newText = quoted ? `"${suggestion}"` : suggestion;
  return { title: `Change to ${newText}`, edits: [{ range: diagnostic.range, newText }] };
}

/** `RucioDID: x` becomes `Dataset: !Rucio x`; `XRootDFiles: f` becomes `Dataset: !FileList ["f"]`. */
function renameDeprecated(document: TextDocument, diagnostic: Diagnostic) {
  const text = document.getText();
  const keyStart = document.offsetAt(diagnostic.range.start);
  const region = parseRegionAt(text, keyStart);
  const pair = pairWithKeyAt(region.document, keyStart - region.start);
  const key = pair?.key;
  const value = pair?.value;
  if (!isScalar(key) || !key.range || (!isScalar(value) && !isSeq(value)) || !value.range || value.tag)
    return undefined;
  const name = scalarText(key);
  const keyRange = { start: document.positionAt(keyStart), end: document.positionAt(region.start + key.range[1]) };
  const colon = text.indexOf(':', region.start + key.range[1]);
  const valueStart = region.start + value.range[0];
  if (name === 'RucioDID') {
    const did = scalarText(value);
    if (did === undefined) return undefined;
    const at = document.positionAt(valueStart);
    const edits = [
      { range: keyRange, newText: 'Dataset' },
      { range: { start: at, end: at }, newText: '!Rucio ' },
    ];
    return { title: `Use "Dataset: !Rucio ${did}"`, edits };
  }
  if (name !== 'XRootDFiles') return undefined;
  if (isSeq(value)) {
    const after = document.positionAt(colon + 1);
    const edits = [
      { range: keyRange, newText: 'Dataset' },
      { range: { start: after, end: after }, newText: ' !FileList' },
    ];
    return { title: 'Use "Dataset: !FileList"', edits };
  }
  if (typeof value.value !== 'string' || value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED')
    return undefined;
  const source =
    value.type === 'PLAIN' ? JSON.stringify(value.value) : text.slice(valueStart, region.start + value.range[1]);
  const list = `[${source}]`;
  const edits = [
    { range: keyRange, newText: 'Dataset' },
    {
      range: { start: document.positionAt(valueStart), end: document.positionAt(region.start + value.range[1]) },
      newText: `!FileList ${list}`,
    },
  ];
  return { title: `Use "Dataset: !FileList ${list}"`, edits };
}

function pairWithKeyAt(document: Document, offset: number): Pair | undefined {
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      if (isScalar(node.key) && node.key.range?.[0] === offset) return node;
      stack.push(node.value);
    } else if (isMap(node) || isSeq(node)) stack.push(...node.items);
  }
  return undefined;
}

const FROM_TREE = "FromTree('events').";

/** Puts `FromTree('events').` in front of a query that lacks it, so the client does not use the tree 'None'. */
function insertFromTree(document: TextDocument, diagnostic: Diagnostic, kind: string) {
  const title = `Read the tree 'events': insert ${FROM_TREE}`;
  if (kind === 'funcadl') return { title, edits: [{ range: startRange(document, 0), newText: FROM_TREE }] };
  const scalar = taggedScalarAt(document.getText(), document.offsetAt(diagnostic.range.start), ['!FuncADL_Uproot']);
  const embedded = scalar && embeddedScalar(scalar.node, scalar.base);
  if (!embedded || embedded.text.trim() === '' || embedded.text.startsWith('FromTree(')) return undefined;
  return { title, edits: [{ range: startRange(document, embedded.toDocument(0)), newText: FROM_TREE }] };
}

function startRange(document: TextDocument, offset: number) {
  const at = document.positionAt(offset);
  return { start: at, end: at };
}

/**
 * Makes a multi-line `|` query one line for the client: a folded `>-` block joins its lines with spaces, as long as
 * no line is indented more than the first (those keep their line breaks) and no line is blank.
 */
function foldQuery(document: TextDocument, diagnostic: Diagnostic, kind: string) {
  const text = document.getText();
  if (kind === 'funcadl') {
    const joined = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join(' ');
    const all = { start: document.positionAt(0), end: document.positionAt(text.length) };
    return { title: 'Join the query into one line', edits: [{ range: all, newText: `${joined}\n` }] };
  }
  const scalar = taggedScalarAt(text, document.offsetAt(diagnostic.range.start), ['!FuncADL_Uproot']);
  if (!scalar || scalar.node.type !== 'BLOCK_LITERAL' || !scalar.node.range) return undefined;
  const headerStart = scalar.base + scalar.node.range[0];
  const header = /^\|[-+0-9]*/.exec(text.slice(headerStart, headerStart + 4))?.[0];
  if (!header) return undefined;
  const edits: TextEdit[] = [{ range: range(document, headerStart, headerStart + header.length), newText: '>-' }];
  const bodyStart = text.indexOf('\n', headerStart) + 1;
  const bodyEnd = scalar.base + scalar.node.range[1];
  let indent = -1;
  for (let line = bodyStart; line > 0 && line < bodyEnd;) {
    const newline = text.indexOf('\n', line);
    const end = newline < 0 || newline > bodyEnd ? bodyEnd : newline;
    const spaces = /^ */.exec(text.slice(line, end))?.[0].length ?? 0;
    const blank = text.slice(line + spaces, end).trim() === '';
    if (blank) {
      // A blank line inside a folded block is a line break; one at the end is dropped by the `-` chomping.
      if (text.slice(end, bodyEnd).trim() !== '')
        edits.push({ range: range(document, line, Math.min(end + 1, bodyEnd)), newText: '' });
    } else if (indent < 0) indent = spaces;
    else if (spaces > indent) edits.push({ range: range(document, line + indent, line + spaces), newText: '' });
    line = newline < 0 ? bodyEnd : newline + 1;
  }
  return { title: 'Fold the query into one line (>-)', edits };
}

function range(document: TextDocument, start: number, end: number) {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}
