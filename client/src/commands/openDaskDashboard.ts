import * as vscode from 'vscode';
import { joinUrl } from '../facility/urls';
import { isDaskClusterNode } from '../trees/sessionsTree';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.openDaskDashboard clusterNode`: opens the cluster's dashboard (its `status` page, through the server's
 * proxy on coffea-casa) in VS Code's Simple Browser, or in the system browser where the Simple Browser is missing.
 * The URL carries no token: the hub's own sign-in applies. Resolves to the URL opened.
 */
export function registerOpenDaskDashboard(): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.openDaskDashboard,
    async (...args: unknown[]): Promise<string | undefined> => {
      const node = args[0];
      if (!isDaskClusterNode(node)) return undefined;
      if (!node.dashboard) {
        void vscode.window.showWarningMessage(`${node.clusterName} reports no dashboard address.`);
        return undefined;
      }
      const url = joinUrl(node.dashboard, 'status');
      try {
        await vscode.commands.executeCommand('simple.browser.show', url);
      } catch {
        await vscode.env.openExternal(vscode.Uri.parse(url));
      }
      return url;
    },
  );
}
