import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { isGpuPodNode } from '../trees/gpuServersTree';
import { CommandIds } from './ids';

/** The log streams open now, by facility and pod; showing a pod's logs again restarts its stream. */
const streams = new Map<string, { channel: vscode.OutputChannel; stop: AbortController }>();

/**
 * `coffeaCasa.showPodLogs podNode`: follows a pod's log in an output channel of its own, starting from its last 200
 * lines, until the facility disconnects or the logs are shown again. Resolves to how the stream ended.
 */
export function registerShowPodLogs(connections: Connections, log: Log): vscode.Disposable {
  const command = vscode.commands.registerCommand(
    CommandIds.showPodLogs,
    async (...args: unknown[]): Promise<string | undefined> => {
      const node = args[0];
      if (!isGpuPodNode(node)) return undefined;
      const key = `${node.facility}\u0000${node.pod}`;
      const previous = streams.get(key);
      previous?.stop.abort();
      const channel = previous?.channel ?? vscode.window.createOutputChannel(`Coffea-Casa: pod ${node.pod}`);
      channel.clear();
      channel.show(true);
      const stop = new AbortController();
      streams.set(key, { channel, stop });
      const ended = await connections.read(node.facility, async (facility, sessionSignal) => {
        const { streamPodLogs } = await import('../facility/kubeLogs.js');
        const { profile } = facility;
        const target = {
          kubeconfig: profile.kubeconfig,
          context: profile.kubeContext,
          namespace: profile.kubeNamespace,
        };
        return streamPodLogs(
          target,
          node.pod,
          (line) => channel.appendLine(line),
          AbortSignal.any([sessionSignal, stop.signal]),
          {
            follow: true,
            tailLines: 200,
          },
        );
      });
      if (!ended) return undefined;
      if (!ended.ok) {
        channel.appendLine(`[${ended.error.message}]`);
        log.warn(`${node.facility}: logs of ${node.pod}: ${ended.error.message}`);
        return ended.error.kind;
      }
      channel.appendLine(ended.value === 'ended' ? '[The log ended.]' : '[Stopped following the log.]');
      return ended.value;
    },
  );
  return vscode.Disposable.from(command, {
    dispose: () => {
      for (const { channel, stop } of streams.values()) {
        stop.abort();
        channel.dispose();
      }
      streams.clear();
    },
  });
}
