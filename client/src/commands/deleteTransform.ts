import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerTransformCommand, transformName } from './servicexItems';

/** `coffeaCasa.deleteTransform transformNode [{ confirm: false }]`: deletes a finished transform and its results. */
export function registerDeleteTransform(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
): vscode.Disposable {
  return registerTransformCommand(connections, backends, log, {
    id: CommandIds.deleteTransform,
    title: (node) => `Deleting ${transformName(node)}`,
    confirm: {
      question: (node) => `Delete the transform ${transformName(node)} from the server?`,
      detail: 'Its results in the object store are deleted too; downloaded copies stay.',
      button: 'Delete',
    },
    call: (client, node, signal) => client.deleteTransform(node.transform.requestId, signal),
  });
}
