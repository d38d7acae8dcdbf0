import * as vscode from 'vscode';
import type { Connections, FacilitySession } from '../connection/connections';
import { CommandIds } from '../commands/ids';
import { groupNode, leafNode, type TreeNode } from './node';

const STATE_ICONS: Record<FacilitySession['state'], string> = {
  signedOut: 'debug-disconnect',
  connecting: 'sync~spin',
  connected: 'pass',
  degraded: 'warning',
  expired: 'lock',
};

/**
 * One view's tree: a root per connected facility, whose content comes from `content`. The provider only delegates to
 * nodes and turns connection changes into one refresh.
 */
export class FacilityTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connections: Connections,
    private readonly content: (session: FacilitySession) => TreeNode[],
  ) {
    this.subscription = connections.onDidChange(() => this.changed.fire(undefined));
  }

  /** Asks VS Code for the whole tree again, as a connection change does. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = node.treeItem();
    item.contextValue = node.kind;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (node) return node.children();
    return this.connections.sessions().map((session) => this.facilityNode(session));
  }

  private facilityNode(session: FacilitySession): TreeNode {
    const { profile, state } = session;
    return groupNode('facility', profile.name, () => this.facilityChildren(session), {
      description: state === 'connected' ? profile.hubUrl : state,
      tooltip: session.problem ? `${profile.name}: ${state}\n${session.problem}` : `${profile.name}: ${state}`,
      icon: STATE_ICONS[state],
      expanded: true,
    });
  }

  private facilityChildren(session: FacilitySession): TreeNode[] {
    if (session.state === 'connecting') return [leafNode('message', 'Connecting…', { icon: 'loading~spin' })];
    if (session.state === 'expired') {
      return [
        leafNode('signIn', 'Sign-in expired: sign in again', {
          icon: 'key',
          tooltip: session.problem,
          command: { command: CommandIds.connect, title: 'Sign in', arguments: [session.profile.name] },
        }),
      ];
    }
    return this.content(session);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
