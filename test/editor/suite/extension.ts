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

/** A tree flattened to "label — description" lines, as a user reads the view. */
export async function readTree(provider: vscode.TreeDataProvider<TreeNode>, depth = 3): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (node: TreeNode | undefined, level: number) => {
    const children = (await provider.getChildren(node)) ?? [];
    for (const child of children) {
      const item = await provider.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      lines.push(`${'  '.repeat(level)}${label}${item.description ? ` — ${String(item.description)}` : ''}`);
      if (level + 1 < depth) await walk(child, level + 1);
    }
  };
  await walk(undefined, 0);
  return lines;
}
