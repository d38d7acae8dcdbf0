import * as vscode from 'vscode';
import type { Failure } from '../facility/result';

/**
 * Every tree item is a node that renders itself. `kind` is also the item's `contextValue`, so menus in package.json
 * can target node kinds.
 */
export interface TreeNode {
  readonly kind: string;
  treeItem(): vscode.TreeItem;
  /** Children that need a request, such as a server's kernels, are fetched when the node is expanded. */
  children(): TreeNode[] | Promise<TreeNode[]>;
}

/** A leaf with a label, a description and an icon. */
export function leafNode(
  kind: string,
  label: string,
  options: {
    description?: string;
    tooltip?: string | vscode.MarkdownString;
    icon?: string;
    command?: vscode.Command;
  } = {},
): TreeNode {
  return {
    kind,
    treeItem: () => {
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
      item.description = options.description;
      item.tooltip = options.tooltip ?? (options.description ? `${label} — ${options.description}` : label);
      if (options.icon) item.iconPath = new vscode.ThemeIcon(options.icon);
      item.command = options.command;
      return item;
    },
    children: () => [],
  };
}

/** A node with children computed when it is expanded. */
export function groupNode(
  kind: string,
  label: string,
  children: () => TreeNode[] | Promise<TreeNode[]>,
  options: { description?: string; tooltip?: string | vscode.MarkdownString; icon?: string; expanded?: boolean } = {},
): TreeNode {
  return {
    kind,
    treeItem: () => {
      const state = options.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
      const item = new vscode.TreeItem(label, state);
      item.description = options.description;
      item.tooltip = options.tooltip;
      if (options.icon) item.iconPath = new vscode.ThemeIcon(options.icon);
      return item;
    },
    children,
  };
}

/** A failed service, shown where its content would be, with the message in full in the tooltip. */
export function failureNode(service: string, failure: Failure): TreeNode {
  const icon = failure.kind === 'unauthorized' ? 'lock' : 'warning';
  return leafNode('failure', `${service}: ${failureTitle(failure)}`, {
    tooltip: failure.message,
    icon,
    description: failure.message,
  });
}

function failureTitle(failure: Failure): string {
  switch (failure.kind) {
    case 'unauthorized':
      return 'not signed in';
    case 'timeout':
    case 'unreachable':
      return 'unreachable';
    case 'tls':
      return 'certificate problem';
    case 'notFound':
      return 'not available';
    default:
      return 'error';
  }
}

/** A node that says there is nothing to show and why. */
export function messageNode(text: string, icon = 'info'): TreeNode {
  return leafNode('message', text, { icon });
}
