import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerModelCommand } from './tritonItems';

/** `coffeaCasa.loadModel modelNode`: loads a model on a Triton server in explicit model-control mode. */
export function registerLoadModel(connections: Connections, log: Log): vscode.Disposable {
  return registerModelCommand(connections, log, CommandIds.loadModel, 'Loading', (api, node, signal) =>
    api.load(node.model, signal),
  );
}
