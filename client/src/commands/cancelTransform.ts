import type * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import type { Log } from '../log';
import { CommandIds } from './ids';
import { registerTransformCommand, transformName } from './servicexItems';

/** `coffeaCasa.cancelTransform transformNode [{ confirm: false }]`: stops a running transform on the server. */
export function registerCancelTransform(
  connections: Connections,
  backends: ServiceXBackends,
  log: Log,
): vscode.Disposable {
  return registerTransformCommand(connections, backends, log, {
    id: CommandIds.cancelTransform,
    title: (node) => `Cancelling ${transformName(node)}`,
    confirm: {
      question: (node) => `Cancel the transform ${transformName(node)}?`,
      detail: 'Files already transformed stay available; the rest are not processed.',
      button: 'Cancel Transform',
    },
    call: (client, node, signal) => client.cancel(node.transform.requestId, signal),
  });
}
