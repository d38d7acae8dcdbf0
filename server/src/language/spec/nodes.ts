import type { Scalar } from 'yaml';

/** One YAML file that contributed nodes: the spec itself or a file spliced in by `!include`. */
export interface SourceFile {
  /** Absolute path, or undefined for an unsaved document. */
  readonly path: string | undefined;
  readonly text: string;
  /** For an included file, the `!include` scalar in the checked document through which it was reached. */
  readonly via?: Span;
  /** The name shown in messages about an included file. */
  readonly label: string;
}

/** A range of offsets, end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A place in one of the files. */
export interface Loc extends Span {
  readonly file: SourceFile;
}

interface NodeBase {
  /** Where the node's own text is. */
  readonly loc: Loc;
  /** Where the node is used, when it was reached through an alias; rules about the surrounding mapping point here. */
  readonly site?: Loc;
  readonly tag?: string;
  readonly tagLoc?: Loc;
  /** The node an alias view stands for, so a node reached twice is checked once. */
  readonly origin?: SpecNode;
}

/** A scalar with its resolved value and its text. */
export interface ScalarNode extends NodeBase {
  readonly kind: 'scalar';
  /** The value as YAML 1.2 core resolves it (string, number, boolean or null). */
  readonly value: unknown;
  /** The scalar's text before type resolution: what a tag's reader receives. */
  readonly text: string;
  /** The parser's node, for mapping offsets in `text` back to the file. */
  readonly yaml: Scalar;
}

/** One key and value of a mapping. */
export interface MapEntry {
  readonly key: SpecNode;
  readonly value: SpecNode;
}

/** A mapping, after `!exclude` and `<<` merges are applied. */
export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
}

/** A sequence, after `!exclude`d items are dropped. */
export interface SeqNode extends NodeBase {
  readonly kind: 'seq';
  readonly items: readonly SpecNode[];
}

/** A node that could not be built (an undefined alias, a missing include); rules skip it silently. */
export interface InvalidNode extends NodeBase {
  readonly kind: 'invalid';
}

/** A node of a spec as the client's loader composes it. */
export type SpecNode = ScalarNode | MapNode | SeqNode | InvalidNode;

/** The node that holds the content, whichever alias it was reached through. */
export function canonical(node: SpecNode): SpecNode {
  return node.origin ?? node;
}

/** Where rules about how a node is used should point: the alias if there is one, otherwise the node. */
export function siteOf(node: SpecNode): Loc {
  return node.site ?? node.loc;
}

/** Where rules about a tagged node's kind point: the alias if there is one, otherwise the tag. */
export function tagSiteOf(node: SpecNode): Loc {
  return node.site ?? node.tagLoc ?? node.loc;
}

/** The string form of a key, for comparing with the schema's key names. */
export function keyName(node: SpecNode): string | undefined {
  return node.kind === 'scalar' ? node.text : undefined;
}

/** The entry of a mapping with this key, the last one when the key is repeated (as the Python loader keeps it). */
export function entry(map: MapNode, key: string): MapEntry | undefined {
  for (let i = map.entries.length - 1; i >= 0; i--) if (keyName(map.entries[i].key) === key) return map.entries[i];
  return undefined;
}

/** Whether a node is a YAML null (an empty value or `null`/`~`). */
export function isNull(node: SpecNode): boolean {
  return node.kind === 'scalar' && node.value === null && node.tag === undefined;
}

/** Whether a node is a string as Python would construct it (a YAML string, not a number, boolean or null). */
export function isString(node: SpecNode): node is ScalarNode {
  return node.kind === 'scalar' && typeof node.value === 'string';
}

/** A short description of what a node is, for messages such as "expected a string, found a list". */
export function describe(node: SpecNode): string {
  if (node.tag?.startsWith('!')) return `a ${node.tag} value`;
  switch (node.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'invalid':
      return 'nothing usable';
    case 'scalar':
      if (node.value === null) return 'an empty value';
      if (typeof node.value === 'number') return `the number ${node.text}`;
      if (typeof node.value === 'boolean') return `the boolean ${node.text}`;
      return `the string "${node.text.length > 40 ? `${node.text.slice(0, 40)}…` : node.text}"`;
  }
}
