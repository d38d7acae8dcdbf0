import type { FileListing, RootBranchInfo, RootItem } from '../../../server/src/hist';
import type { ListingItem } from '../../../webviews/shared/protocol';

// A file's contents as the rows beside the plot, and back from a picked row to what to draw. Ids are built here and
// parsed here only; a webview sends an id back, and anything that does not parse is refused.

/** What a picked row draws: a column or branch to bin, or a histogram stored in the file. */
export type Pick =
  | { readonly kind: 'column'; readonly column: string; readonly tree?: string }
  | { readonly kind: 'stored'; readonly name: string };

const SEPARATOR = '\u0000';

function id(pick: Pick): string {
  return pick.kind === 'stored'
    ? ['stored', pick.name].join(SEPARATOR)
    : ['column', pick.tree ?? '', pick.column].join(SEPARATOR);
}

/** Reads back an id this module made; undefined for anything else. */
export function parsePick(value: string): Pick | undefined {
  const parts = value.split(SEPARATOR);
  if (parts[0] === 'stored' && parts.length === 2 && parts[1]) return { kind: 'stored', name: parts[1] };
  if (parts[0] === 'column' && parts.length === 3 && parts[2]) {
    return { kind: 'column', column: parts[2], ...(parts[1] ? { tree: parts[1] } : {}) };
  }
  return undefined;
}

/** The rows for a file's contents. */
export function listingItems(listing: FileListing): ListingItem[] {
  if (listing.format === 'parquet') {
    const { info } = listing;
    return [
      {
        id: 'group',
        label: `${info.rows} rows`,
        description: `${info.rowGroups} row groups`,
        depth: 0,
        pickable: false,
      },
      ...info.columns.map((c) => ({
        id: id({ kind: 'column', column: c.name }),
        label: c.name,
        description: [c.logicalType ?? c.physicalType, c.jagged ? 'list' : ''].filter(Boolean).join(' '),
        depth: 1,
        pickable: !/STRING|BYTE_ARRAY|BOOLEAN/.test(`${c.logicalType ?? ''} ${c.physicalType}`) || c.jagged,
      })),
    ];
  }
  if (listing.format === 'uhi') {
    return listing.names.map((name) => ({ id: id({ kind: 'stored', name }), label: name, depth: 0, pickable: true }));
  }
  const rows: ListingItem[] = [];
  const walk = (items: readonly RootItem[], depth: number) => {
    for (const item of items) {
      if (item.kind === 'directory') {
        rows.push({ id: `dir:${item.path}`, label: `${item.name}/`, depth, pickable: false });
        walk(item.items, depth + 1);
      } else if (item.kind === 'tree') {
        rows.push({
          id: `tree:${item.path}`,
          label: item.name,
          description: `TTree, ${item.entries} entries`,
          depth,
          pickable: false,
        });
        branches(item.path, item.branches, depth + 1);
      } else if (item.kind === 'histogram') {
        rows.push({
          id: id({ kind: 'stored', name: item.path }),
          label: item.name,
          description: item.className,
          depth,
          // Three-dimensional histograms have no drawing here.
          pickable: item.dimension < 3,
        });
      } else if (item.kind === 'rntuple') {
        const entries = item.entries === undefined ? '' : `, ${item.entries} entries`;
        rows.push({
          id: `rntuple:${item.path}`,
          label: item.name,
          description: item.problem ?? `RNTuple${entries}`,
          depth,
          pickable: false,
        });
        for (const field of item.fields) {
          rows.push({
            id: id({ kind: 'column', tree: item.path, column: field.name }),
            label: field.name,
            // A field that cannot be binned (text, records) stays visible, with the reason in its description.
            description: field.unsupported ? `${field.type}: ${field.unsupported}` : field.type,
            depth: depth + 1,
            pickable: field.unsupported === undefined,
          });
        }
      } else {
        rows.push({ id: `other:${item.path}`, label: item.name, description: item.className, depth, pickable: false });
      }
    }
  };
  const branches = (tree: string, list: readonly RootBranchInfo[], depth: number) => {
    for (const branch of list) {
      if (branch.branches && branch.branches.length > 0) {
        rows.push({
          id: `group:${tree}/${branch.name}`,
          label: branch.name,
          description: branch.type,
          depth,
          pickable: false,
        });
        branches(tree, branch.branches, depth + 1);
      } else {
        rows.push({
          id: id({ kind: 'column', tree, column: branch.name }),
          label: branch.name,
          description: branch.type,
          depth,
          pickable: true,
        });
      }
    }
  };
  walk(listing.items, 0);
  return rows;
}
