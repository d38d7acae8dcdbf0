import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { QUERY_TAGS } from '../spec/schema';
import type { FeatureContext } from './context';
import { resolved, scalarText } from './specRegion';

const DATASET_KEYS = ['Dataset', 'RucioDID', 'XRootDFiles'];

/** The outline of a spec: General with its keys, Definition with its anchors, and one symbol per sample. */
export function documentSymbols(document: TextDocument, context: FeatureContext): DocumentSymbol[] {
  if (context.kindOf(document) !== 'spec') return [];
  const parsed = context.parsed(document);
  const root = parsed.contents;
  if (!isMap(root)) return [];
  const outline = new Outline(document, parsed);
  const symbols: DocumentSymbol[] = [];
  for (const pair of root.items) {
    const name = keyText(pair);
    if (name === undefined) continue;
    const value = pair.value as Node | null;
    let children: DocumentSymbol[] = [];
    let kind: SymbolKind = SymbolKind.Property;
    if (name === 'General') {
      kind = SymbolKind.Module;
      if (isMap(value)) children = value.items.flatMap((p) => outline.entry(p, SymbolKind.Property));
    } else if (name === 'Definition' || name === 'Definitions') {
      kind = SymbolKind.Namespace;
      if (isSeq(value)) children = value.items.flatMap((item) => outline.anchor(item as Node));
    } else if (name === 'Sample') {
      kind = SymbolKind.Array;
      if (isSeq(value)) children = value.items.flatMap((item, i) => outline.sample(item as Node, i, root));
    }
    symbols.push(...outline.entry(pair, kind, children));
  }
  return symbols;
}

function keyText(pair: Pair): string | undefined {
  return scalarText(pair.key);
}

class Outline {
  constructor(
    private readonly document: TextDocument,
    private readonly parsed: Document,
  ) {}

  /** A key with its value; the symbol spans both and selects the key. */
  entry(pair: Pair, kind: SymbolKind, children: DocumentSymbol[] = []): DocumentSymbol[] {
    const name = keyText(pair);
    const key = pair.key as Node | null;
    if (name === undefined || !key?.range) return [];
    const value = pair.value as Node | null;
    const end = value?.range ? value.range[1] : key.range[1];
    const symbol: DocumentSymbol = {
      name,
      kind,
      range: this.range(key.range[0], Math.max(end, key.range[1])),
      selectionRange: this.range(key.range[0], key.range[1]),
      children,
    };
    const detail = this.describe(value);
    if (detail) symbol.detail = detail;
    return [symbol];
  }

  /** A Definition item that carries an anchor, named after it. */
  anchor(item: Node | null): DocumentSymbol[] {
    if (!item?.range || !item.anchor) return [];
    const at = this.document.getText().lastIndexOf(`&${item.anchor}`, item.range[0]);
    const start = at >= 0 ? at : item.range[0];
    const symbol: DocumentSymbol = {
      name: `&${item.anchor}`,
      kind: SymbolKind.Constant,
      range: this.range(start, item.range[1]),
      selectionRange: this.range(start, start + item.anchor.length + 1),
      children: [],
    };
    const detail = this.describe(item);
    if (detail) symbol.detail = detail;
    return [symbol];
  }

  /** One sample: named by its Name, with the dataset tag and code generator as detail, and Dataset/Query inside. */
  sample(item: Node | null, index: number, root: YAMLMap): DocumentSymbol[] {
    if (!isMap(item) || !item.range) return [];
    const pairs = item.items;
    const find = (key: string) => pairs.find((p) => keyText(p) === key);
    const nameNode = find('Name')?.value as Node | null | undefined;
    const name = scalarText(nameNode) ?? `Sample ${index + 1}`;
    const datasetPair = pairs.find((p) => DATASET_KEYS.includes(keyText(p) ?? ''));
    const queryPair = find('Query');
    const dataset = resolved(datasetPair?.value, this.parsed);
    const query = resolved(queryPair?.value, this.parsed);
    const general = root.items.find((p) => keyText(p) === 'General')?.value;
    const generalCodegen = isMap(general) ? general.items.find((p) => keyText(p) === 'Codegen')?.value : undefined;
    const codegen =
      scalarText(find('Codegen')?.value) ??
      scalarText(generalCodegen) ??
      (query?.tag ? QUERY_TAGS[query.tag] : undefined);
    const datasetKind = dataset?.tag ?? (datasetPair ? keyText(datasetPair) : undefined);
    const detail = [datasetKind, codegen].filter((part) => part).join(' · ');
    const selection = isScalar(nameNode) && nameNode.range ? nameNode.range : item.range;
    const children = [datasetPair, queryPair].flatMap((p) => (p ? this.entry(p, SymbolKind.Property) : []));
    // The item's symbol starts at its dash, where the sample visibly begins.
    const text = this.document.getText();
    const dash = text.lastIndexOf('-', item.range[0]);
    const start = dash >= 0 && /^-\s*$/.test(text.slice(dash, item.range[0])) ? dash : item.range[0];
    const symbol: DocumentSymbol = {
      name,
      kind: SymbolKind.Object,
      range: this.range(start, item.range[1]),
      selectionRange: this.range(selection[0], selection[1]),
      children,
    };
    if (detail) symbol.detail = detail;
    return [symbol];
  }

  /** A short description of a value: its tag and the start of its text, or the alias it is. */
  private describe(value: unknown): string | undefined {
    const target = resolved(value, this.parsed);
    const tag = target?.tag && !target.tag.startsWith('tag:') ? target.tag : undefined;
    const text = scalarText(target)?.trim().split('\n')[0];
    const shown = text && text.length > 40 ? `${text.slice(0, 40)}…` : text;
    if (isMap(target) || isSeq(target)) return tag;
    return [tag, shown].filter((part) => part).join(' ') || undefined;
  }

  /** A range without the line breaks a block value ends with, so a symbol ends on its last line. */
  private range(start: number, end: number): Range {
    const text = this.document.getText();
    let last = end;
    while (last > start && /\s/.test(text[last - 1])) last--;
    return { start: this.document.positionAt(start), end: this.document.positionAt(last) };
  }
}
