import type { SchemaTree } from 'hyparquet' with { 'resolution-mode': 'import' };

// The columns a physicist can bin are the leaves of the Parquet schema. A leaf is named as awkward names the field:
// the path of record fields joined by dots, with the wrapper levels of a list (`list`/`element` of the standard
// three-level layout) left out. So `Muon: list<struct<pt, eta>>` gives `Muon.pt` and `Muon.eta`, and a plain
// `weight` column stays `weight`.

/** One binnable leaf of a Parquet schema. */
export interface ParquetLeaf {
  /** The dotted name shown and asked for (`Muon.pt`). */
  readonly name: string;
  /** The leaf's path in the schema, as the column chunks name it (`Muon`, `list`, `element`, `pt`). */
  readonly path: readonly string[];
  /** The schema nodes from the root to the leaf, as hyparquet's decoders take them. */
  readonly schemaPath: readonly SchemaTree[];
  /** True when some level repeats: a row holds any number of values, flattened when binned. */
  readonly jagged: boolean;
}

/** The leaves of a schema, in schema order. */
export function parquetLeaves(root: SchemaTree): ParquetLeaf[] {
  const leaves: ParquetLeaf[] = [];
  const walk = (node: SchemaTree, names: readonly string[], schemaPath: readonly SchemaTree[]) => {
    const path = [...schemaPath, node];
    if (node.children.length === 0) {
      leaves.push({
        name: names.join('.'),
        path: path.slice(1).map((n) => n.element.name),
        schemaPath: path,
        jagged: path.some((n) => n.element.repetition_type === 'REPEATED'),
      });
      return;
    }
    const wrapper = listElement(node);
    if (wrapper) {
      // The repeated level and, in the three-level layout, its single element add no name of their own.
      walk(wrapper.node, names, [...path, ...wrapper.skipped]);
      return;
    }
    for (const child of node.children) walk(child, [...names, child.element.name], path);
  };
  for (const child of root.children) walk(child, [child.element.name], [root]);
  return leaves;
}

/**
 * For a node annotated as a list, the node that holds each element and the levels in between; undefined for any
 * other node. Handles the standard layout (`LIST` → repeated `list` → `element`) and the legacy two-level one
 * (`LIST` → repeated `array`, which is itself the element).
 */
function listElement(node: SchemaTree): { node: SchemaTree; skipped: SchemaTree[] } | undefined {
  const annotated = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST';
  if (!annotated || node.children.length !== 1) return undefined;
  const repeated = node.children[0];
  if (repeated.element.repetition_type !== 'REPEATED') return undefined;
  if (repeated.children.length === 1) return { node: repeated.children[0], skipped: [repeated] };
  return { node: repeated, skipped: [] };
}

/**
 * The leaf a name asks for: its dotted name, or a top-level column with exactly one leaf under it. Otherwise a
 * sentence: a record names its fields, anything else lists the columns.
 */
export function findLeaf(
  leaves: readonly ParquetLeaf[],
  name: string,
  path: string,
): ParquetLeaf | { readonly problem: string } {
  const exact = leaves.find((leaf) => leaf.name === name);
  if (exact) return exact;
  const under = leaves.filter((leaf) => leaf.name.startsWith(`${name}.`));
  if (under.length === 1) return under[0];
  if (under.length > 1) {
    const fields = under.map((leaf) => leaf.name);
    const shown = fields.length > 8 ? `${fields.slice(0, 8).join(', ')}, …` : fields.join(', ');
    return { problem: `Column "${name}" of ${path} is a record; name one of its fields: ${shown}.` };
  }
  const names = leaves.map((leaf) => leaf.name);
  const known = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
  return { problem: `${path} has no column "${name}". Its columns are: ${known}.` };
}
