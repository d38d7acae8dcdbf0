import { DeliverSpecCommand, ShowQastleCommand } from '../../../server/src/protocol';

/** Every command id the extension contributes; a unit test checks this table against package.json. */
export const CommandIds = {
  connect: 'coffeaCasa.connect',
  disconnect: 'coffeaCasa.disconnect',
  refreshViews: 'coffeaCasa.refreshViews',
  showConnectionLog: 'coffeaCasa.showConnectionLog',
  startServer: 'coffeaCasa.startServer',
  stopServer: 'coffeaCasa.stopServer',
  removeServer: 'coffeaCasa.removeServer',
  openServerInBrowser: 'coffeaCasa.openServerInBrowser',
  openTerminal: 'coffeaCasa.openTerminal',
  openRemoteFolder: 'coffeaCasa.openRemoteFolder',
  interruptKernel: 'coffeaCasa.interruptKernel',
  restartKernel: 'coffeaCasa.restartKernel',
  shutdownKernel: 'coffeaCasa.shutdownKernel',
  shutdownTerminal: 'coffeaCasa.shutdownTerminal',
  attachTerminal: 'coffeaCasa.attachTerminal',
  attachDaskCluster: 'coffeaCasa.attachDaskCluster',
  openDaskDashboard: 'coffeaCasa.openDaskDashboard',
  scaleDaskCluster: 'coffeaCasa.scaleDaskCluster',
  newDaskCluster: 'coffeaCasa.newDaskCluster',
  closeDaskCluster: 'coffeaCasa.closeDaskCluster',
  showHistogram: 'coffeaCasa.showHistogram',
  loadModel: 'coffeaCasa.loadModel',
  unloadModel: 'coffeaCasa.unloadModel',
  showModelConfig: 'coffeaCasa.showModelConfig',
  copyTritonSnippet: 'coffeaCasa.copyTritonSnippet',
  openTritonMetrics: 'coffeaCasa.openTritonMetrics',
  showPodLogs: 'coffeaCasa.showPodLogs',
  addServiceXToken: 'coffeaCasa.addServiceXToken',
  cancelTransform: 'coffeaCasa.cancelTransform',
  deleteTransform: 'coffeaCasa.deleteTransform',
  markDatasetStale: 'coffeaCasa.markDatasetStale',
  showTransformQuery: 'coffeaCasa.showTransformQuery',
  copyRequestId: 'coffeaCasa.copyRequestId',
  copyFileList: 'coffeaCasa.copyFileList',
  openTransformPage: 'coffeaCasa.openTransformPage',
  downloadResults: 'coffeaCasa.downloadResults',
  openResultsInHistogram: 'coffeaCasa.openResultsInHistogram',
  /** The server's code lenses carry these ids, so they are defined in the protocol file. */
  showQastle: ShowQastleCommand,
  deliverSpec: DeliverSpecCommand,
} as const;

/** The view ids, matching `contributes.views` in package.json. */
export const ViewIds = {
  sessions: 'coffeaCasa.sessions',
  datasets: 'coffeaCasa.datasets',
  gpuServers: 'coffeaCasa.gpuServers',
} as const;

/** The context key that switches the views from welcome content to trees. */
export const CONNECTED_CONTEXT_KEY = 'coffeaCasa.connected';
