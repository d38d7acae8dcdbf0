import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isTritonModelNode } from '../trees/gpuServersTree';
import { CommandIds } from './ids';
import { actOnModels } from './tritonItems';

/**
 * `coffeaCasa.copyTritonSnippet modelNode [protocol]`: puts Python that calls the model with `tritonclient` (its real
 * input and output names, shapes and datatypes) on the clipboard; asks HTTP or gRPC unless told. Resolves to the code.
 */
export function registerCopyTritonSnippet(connections: Connections, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(
    CommandIds.copyTritonSnippet,
    async (...args: unknown[]): Promise<string | undefined> => {
      const node = args[0];
      if (!isTritonModelNode(node)) return undefined;
      const protocol =
        args[1] === 'http' || args[1] === 'grpc'
          ? args[1]
          : (
              await vscode.window.showQuickPick(
                [
                  { label: 'HTTP', protocol: 'http' as const },
                  { label: 'gRPC', protocol: 'grpc' as const, description: 'port 8001 by default' },
                ],
                { title: `tritonclient code for ${node.model}` },
              )
            )?.protocol;
      if (!protocol) return undefined;
      const metadata = await actOnModels(connections, log, node, `Reading the inputs of ${node.model}`, (api, signal) =>
        api.metadata(node.model, signal),
      );
      if (!metadata) return undefined;
      const { snippetAddress, tritonClientSnippet } = await import('../gpu/tritonSnippet.js');
      const code = tritonClientSnippet({
        model: node.model,
        inputs: metadata.value.inputs,
        outputs: metadata.value.outputs,
        protocol,
        ...snippetAddress(node.url, protocol),
        batchSize: 1,
      });
      await vscode.env.clipboard.writeText(code);
      void vscode.window.showInformationMessage(`tritonclient code for ${node.model} is on the clipboard.`);
      return code;
    },
  );
}
