import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CoffeaCasaApi } from '../../../client/src/api';
import type { TreeNode } from '../../../client/src/trees/node';

export const EXTENSION_ID = 'coffea-casa.coffea-casa-vscode';

/** The extension under test, activated, with its API. */
export async function activated(): Promise<{ extension: vscode.Extension<CoffeaCasaApi>; api: CoffeaCasaApi }> {
  const extension = vscode.extensions.getExtension<CoffeaCasaApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this VS Code`);
  const api = await extension.activate();
  return { extension, api };
}

/** Every node of a tree down to `depth` levels, with its level, expanding each as VS Code would (children reload). */
export async function treeNodes(
  provider: vscode.TreeDataProvider<TreeNode>,
  depth = 4,
): Promise<{ node: TreeNode; level: number }[]> {
  const found: { node: TreeNode; level: number }[] = [];
  const walk = async (node: TreeNode | undefined, level: number): Promise<void> => {
    for (const child of (await provider.getChildren(node)) ?? []) {
      found.push({ node: child, level });
      if (level + 1 < depth) await walk(child, level + 1);
    }
  };
  await walk(undefined, 0);
  return found;
}

/** The nodes of a tree, without their levels. */
export async function allNodes(provider: vscode.TreeDataProvider<TreeNode>, depth = 5): Promise<TreeNode[]> {
  return (await treeNodes(provider, depth)).map((entry) => entry.node);
}

/** A tree flattened to "label — description" lines, as a user reads the view. */
export async function readTree(provider: vscode.TreeDataProvider<TreeNode>, depth = 3): Promise<string[]> {
  const lines: string[] = [];
  for (const { node, level } of await treeNodes(provider, depth)) {
    const item = await provider.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    lines.push(`${'  '.repeat(level)}${label}${item.description ? ` — ${String(item.description)}` : ''}`);
  }
  return lines;
}
