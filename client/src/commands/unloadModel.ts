import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerModelCommand } from './tritonItems';

/** `coffeaCasa.unloadModel modelNode`: unloads a model, freeing its GPU memory; requests to it fail until reloaded. */
export function registerUnloadModel(connections: Connections, log: Log): vscode.Disposable {
  return registerModelCommand(connections, log, CommandIds.unloadModel, 'Unloading', (api, node, signal) =>
    api.unload(node.model, signal),
  );
}
