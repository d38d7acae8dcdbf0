import * as vscode from 'vscode';
import type { CoffeaCasaApi } from './api';
import { registerConnect } from './commands/connect';
import { registerDisconnect } from './commands/disconnect';
import { ViewIds } from './commands/ids';
import { registerOpenServerInBrowser } from './commands/openServerInBrowser';
import { registerOpenRemoteFolder } from './commands/openRemoteFolder';
import { registerOpenTerminal, RemoteTerminals } from './commands/openTerminal';
import { registerRefreshViews } from './commands/refreshViews';
import { registerRemoveServer } from './commands/removeServer';
import { registerShowConnectionLog } from './commands/showConnectionLog';
import { registerShowQastle } from './commands/showQastle';
import { registerStartServer } from './commands/startServer';
import { registerStopServer } from './commands/stopServer';
import { registerAttachTerminal } from './commands/attachTerminal';
import { registerAttachDaskCluster } from './commands/attachDaskCluster';
import { registerShowHistogram } from './commands/showHistogram';
import { registerDeliverSpec } from './commands/deliverSpec';
import { registerAddServiceXToken } from './commands/addServiceXToken';
import { registerCancelTransform } from './commands/cancelTransform';
import { registerCopyFileList } from './commands/copyFileList';
import { registerCopyRequestId } from './commands/copyRequestId';
import { registerDeleteTransform } from './commands/deleteTransform';
import { registerDownloadResults } from './commands/downloadResults';
import { registerMarkDatasetStale } from './commands/markDatasetStale';
import { registerOpenResultsInHistogram } from './commands/openResultsInHistogram';
import { registerOpenTransformPage } from './commands/openTransformPage';
import { registerShowTransformQuery } from './commands/showTransformQuery';
import { registerCopyTritonSnippet } from './commands/copyTritonSnippet';
import { registerLoadModel } from './commands/loadModel';
import { registerOpenTritonMetrics } from './commands/openTritonMetrics';
import { registerShowModelConfig } from './commands/showModelConfig';
import { registerUnloadModel } from './commands/unloadModel';
import { registerShowPodLogs } from './commands/showPodLogs';
import { registerFileEditors } from './hist/fileEditors';
import { HistogramJobs } from './hist/histogramJobs';
import { HistogramPanels } from './hist/histogramPanel';
import { registerCloseDaskCluster } from './commands/closeDaskCluster';
import { registerNewDaskCluster } from './commands/newDaskCluster';
import { registerOpenDaskDashboard } from './commands/openDaskDashboard';
import { registerScaleDaskCluster } from './commands/scaleDaskCluster';
import { registerJupyterServers } from './remote/jupyterExtension';
import { registerInterruptKernel } from './commands/interruptKernel';
import { registerRestartKernel } from './commands/restartKernel';
import { registerShutdownKernel } from './commands/shutdownKernel';
import { registerShutdownTerminal } from './commands/shutdownTerminal';
import { connectedServiceX, Connections } from './connection/connections';
import { HubCredentials } from './connection/credentials';
import { TokenKeeper } from './connection/tokenKeeper';
import { requestTimeoutMs } from './connection/profiles';
import { connectOnStartup } from './connection/startup';
import { anyVisible, FacilityPollers, FollowUpRefresh } from './connection/visibilityPoller';
import { facilityCodegens } from './language/facilityCodegens';
import { QueryLanguageClient } from './languageClient';
import { Log } from './log';
import { registerRemoteFileSystem } from './remote/remoteFileSystem';
import { registerStatusBar } from './statusBar';
import { handleOpenUri, registerUriHandler } from './uriHandler';
import { ClusterForwards } from './connection/clusterForwards';
import { ServiceXBackends } from './connection/servicexBackends';
import { datasetLoaders, datasetsContent } from './trees/datasetsTree';
import { gpuLoaders, gpuServersContent } from './trees/gpuServersTree';
import { FacilityTreeProvider } from './trees/provider';
import { serverActivityLoader, sessionsContent } from './trees/sessionsTree';

/** The composition root: builds the services and registers each feature; no feature logic lives here. */
export function activate(context: vscode.ExtensionContext): CoffeaCasaApi {
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const log = own(new Log());
  const credentials = new HubCredentials(context.secrets);
  const tokenKeeper = new TokenKeeper((profile, credential) => credentials.store(profile, credential), log);
  const connections = own(new Connections(log, requestTimeoutMs, tokenKeeper));

  const servicexBackends = new ServiceXBackends(context.secrets);
  const clusterForwards = own(new ClusterForwards(connections, log));
  // Set once the Datasets view exists: it follows running transforms every few seconds while visible.
  let followTransforms: FollowUpRefresh | undefined;
  const views = {
    sessions: own(
      new FacilityTreeProvider(connections, (session) => sessionsContent(session, serverActivityLoader(connections))),
    ),
    datasets: own(
      new FacilityTreeProvider(connections, (session) =>
        datasetsContent(
          session,
          datasetLoaders(connections, servicexBackends, (seen) => followTransforms?.note(seen)),
        ),
      ),
    ),
    gpuServers: own(
      new FacilityTreeProvider(connections, (session) =>
        gpuServersContent(session, gpuLoaders(connections, clusterForwards)),
      ),
    ),
  };
  const treeViews = new Map<string, vscode.TreeView<unknown>>();
  for (const [key, provider] of Object.entries(views)) {
    treeViews.set(
      key,
      own(
        vscode.window.createTreeView(ViewIds[key as keyof typeof views], {
          treeDataProvider: provider,
          showCollapseAll: true,
        }),
      ),
    );
  }
  const datasetsView = treeViews.get('datasets');
  if (datasetsView) followTransforms = own(new FollowUpRefresh(datasetsView, () => views.datasets.refresh()));
  // One poller per facility for all three views: it runs while any of them is visible, and stops when none is.
  own(
    new FacilityPollers(connections, {
      view: anyVisible([...treeViews.values()]),
      intervalSeconds: () => vscode.workspace.getConfiguration('coffeaCasa').get<number>('sessions.refreshSeconds', 30),
    }),
  );

  own(registerConnect({ connections, credentials, log }));
  own(registerDisconnect(connections));
  own(registerRefreshViews(connections));
  own(registerShowConnectionLog(log));
  own(registerStartServer(connections, log));
  own(registerStopServer(connections, log));
  own(registerRemoveServer(connections, log));
  own(registerOpenServerInBrowser(connections));
  const terminals = own(new RemoteTerminals());
  own(registerOpenTerminal(connections, terminals, log));
  own(registerAttachTerminal(connections, terminals, log));
  own(registerInterruptKernel(connections, log));
  own(registerRestartKernel(connections, log));
  own(registerShutdownKernel(connections, log));
  own(registerShutdownTerminal(connections, log));
  own(registerAttachDaskCluster(log));
  own(registerOpenDaskDashboard());
  own(registerScaleDaskCluster(connections, log));
  own(registerNewDaskCluster(connections, log));
  own(registerCloseDaskCluster(connections, log));
  own(registerLoadModel(connections, log));
  own(registerUnloadModel(connections, log));
  own(registerShowModelConfig(connections, log));
  own(registerCopyTritonSnippet(connections, log));
  own(registerOpenTritonMetrics());
  own(registerShowPodLogs(connections, log));
  // Notebooks pick a facility kernel through the Jupyter extension, when it is installed.
  own(registerJupyterServers(connections, log));
  own(registerRemoteFileSystem(connections, log));
  own(registerOpenRemoteFolder(connections, log));
  own(registerStatusBar(connections));
  own(registerUriHandler(connections, log));
  const languageClient = own(
    new QueryLanguageClient(context.extensionPath, log, {
      codegens: () => facilityCodegens(connectedServiceX(connections.sessions())),
      onDidChange: connections.onDidChange,
    }),
  );
  own(registerShowQastle(languageClient));
  const histogramJobs = own(new HistogramJobs(context.extensionPath, log));
  const histograms = own(new HistogramPanels(context.extensionUri, log, histogramJobs));
  own(registerFileEditors(histograms));
  own(registerShowHistogram(histograms));
  own(registerAddServiceXToken(connections, servicexBackends));
  own(registerDeliverSpec(connections, servicexBackends, log));
  own(registerCancelTransform(connections, servicexBackends, log));
  own(registerDeleteTransform(connections, servicexBackends, log));
  own(registerMarkDatasetStale(connections, servicexBackends, log));
  own(registerShowTransformQuery());
  own(registerCopyRequestId());
  own(registerCopyFileList());
  own(registerOpenTransformPage());
  own(registerDownloadResults(connections, servicexBackends, log));
  own(registerOpenResultsInHistogram(connections, servicexBackends, histogramJobs, histograms, log));
  void connectOnStartup(connections, credentials);

  return {
    sessions: () => connections.sessions(),
    views,
    languageServer: () => languageClient,
    remoteTerminalOutput: (terminal) => terminals.output(terminal),
    handleUri: (uri) => handleOpenUri(uri, connections, log),
    histograms,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions, which VS Code disposes.
}
