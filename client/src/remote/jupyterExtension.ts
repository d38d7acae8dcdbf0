import type { Jupyter, JupyterServer, JupyterServerCommand, JupyterServerProvider } from '@vscode/jupyter-extension';
import * as vscode from 'vscode';
import { CommandIds } from '../commands/ids';
import type { Connections } from '../connection/connections';
import type { Log } from '../log';
import { ServerCatalog, startCommands, type FacilityServers, type OfferedServer } from './jupyterServers';

// The thin adapter between jupyterServers.ts and the Jupyter extension's server-collection API, so that a notebook's
// kernel picker lists the user's running facility servers. Without the Jupyter extension this does nothing.

const JUPYTER_EXTENSION = 'ms-toolsai.jupyter';

/** The connected facilities whose token belongs to a user (a service token has no servers). */
function connectedFacilities(connections: Connections): FacilityServers[] {
  return connections.sessions().flatMap((session) => {
    const hub = session.snapshot?.hub;
    if (!hub?.ok || hub.value.identity.kind !== 'user') return [];
    const { name: user, servers } = hub.value.identity;
    return [{ facility: session.profile.name, hubUrl: session.profile.hubUrl, user, servers }];
  });
}

/**
 * Registers the servers with the Jupyter extension when it is installed. Its activation is awaited in the
 * background, so that ours never waits on it, and a failure there is only logged.
 */
export function registerJupyterServers(connections: Connections, log: Log): vscode.Disposable {
  const extension = vscode.extensions.getExtension<Jupyter>(JUPYTER_EXTENSION);
  if (!extension) return new vscode.Disposable(() => undefined);
  const disposables: vscode.Disposable[] = [];
  let disposed = false;
  void (async () => {
    try {
      const jupyter = extension.isActive ? extension.exports : await extension.activate();
      if (disposed) return;
      disposables.push(offerServers(jupyter, connections));
    } catch (error) {
      log.warn(`The Jupyter extension could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  })();
  return new vscode.Disposable(() => {
    disposed = true;
    for (const d of disposables) d.dispose();
  });
}

function offerServers(jupyter: Jupyter, connections: Connections): vscode.Disposable {
  const catalog = new ServerCatalog();
  const changed = new vscode.EventEmitter<void>();
  const listening = catalog.onDidChange(() => changed.fire());
  catalog.update(connectedFacilities(connections));
  const watching = connections.onDidChange(() => catalog.update(connectedFacilities(connections)));
  const asServer = (s: OfferedServer): JupyterServer => ({ id: s.id, label: s.label });

  const provider: JupyterServerProvider = {
    onDidChangeServers: changed.event,
    provideJupyterServers: () => catalog.servers().map(asServer),
    resolveJupyterServer: async (server) => {
      const offered = catalog.servers().find((s) => s.id === server.id);
      if (!offered) return undefined;
      const token = await connections.read(offered.facility, (facility) => Promise.resolve(facility.hubToken()));
      const info = catalog.resolve(server.id, () => token);
      if (!info) return undefined;
      return {
        ...asServer(offered),
        connectionInformation: { baseUrl: vscode.Uri.parse(info.baseUrl), headers: info.headers },
      };
    },
  };
  const collection = jupyter.createJupyterServerCollection('coffea-casa', 'Coffea-Casa', provider);
  const starts = new Map<string, string>();
  collection.commandProvider = {
    provideCommands: () =>
      startCommands(connectedFacilities(connections)).map((c): JupyterServerCommand => {
        starts.set(c.label, c.facility);
        return { label: c.label };
      }),
    handleCommand: async (command) => {
      const facility = starts.get(command.label);
      if (!facility) return undefined;
      // The start command follows the spawn and asks for nothing given a facility and the default server's name.
      await vscode.commands.executeCommand(CommandIds.startServer, facility, '');
      await connections.refresh(facility);
      catalog.update(connectedFacilities(connections));
      const started = catalog.servers().find((s) => s.facility === facility);
      // Undefined takes the user back to the kernel picker, which is right when the spawn failed or was cancelled.
      return started && asServer(started);
    },
  };
  return new vscode.Disposable(() => {
    watching.dispose();
    listening.dispose();
    changed.dispose();
    collection.dispose();
  });
}
