import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isTritonModelNode } from '../trees/gpuServersTree';
import { CommandIds } from './ids';
import { actOnModels } from './tritonItems';

/** `coffeaCasa.showModelConfig modelNode`: opens the model's configuration, as the server holds it, as JSON. */
export function registerShowModelConfig(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.showModelConfig,
    async (...args: unknown[]): Promise<vscode.TextDocument | undefined> => {
      const node = args[0];
      if (!isTritonModelNode(node)) return undefined;
      const config = await actOnModels(
        connections,
        log,
        node,
        `Reading the configuration of ${node.model}`,
        (api, signal) => api.config(node.model, signal),
      );
      if (!config) return undefined;
      const document = await vscode.workspace.openTextDocument({
        language: 'json',
        content: `${JSON.stringify(config.value, null, 2)}\n`,
      });
      await vscode.window.showTextDocument(document, { preview: true });
      return document;
    },
  );
}
