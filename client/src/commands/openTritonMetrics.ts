import * as vscode from 'vscode';
import { isTritonServerNode } from '../trees/gpuServersTree';
import { CommandIds } from './ids';

/** `coffeaCasa.openTritonMetrics serverNode`: opens the server's Prometheus metrics page in the browser. */
export function registerOpenTritonMetrics(): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.openTritonMetrics,
    async (...args: unknown[]): Promise<string | undefined> => {
      const node = args[0];
      if (!isTritonServerNode(node) || !node.metricsUrl) return undefined;
      await vscode.env.openExternal(vscode.Uri.parse(node.metricsUrl));
      return node.metricsUrl;
    },
  );
}
