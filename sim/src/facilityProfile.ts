import type { SimulatorInfo } from './info';

/** The name of the facility profile that points at a running simulator. */
export const SIMULATOR_PROFILE_NAME = 'Local simulator';

/**
 * The `coffeaCasa.facilities` entry for a running simulator, as the demo and the editor tests write it into a
 * workspace's settings. Without a real hub the profile still names an address, so the views show it as unreachable.
 */
export function simulatorProfile(info: SimulatorInfo): Record<string, string> {
  const profile: Record<string, string> = {
    name: SIMULATOR_PROFILE_NAME,
    hubUrl: 'url' in info.hub ? info.hub.url : 'http://127.0.0.1:9',
    servicexUrl: info.servicex,
    tritonHttpUrl: info.triton,
    tritonMetricsUrl: info.tritonMetrics,
    kubeconfig: info.kubeconfig,
    kubeNamespace: info.kubeNamespace,
  };
  if ('dashboard' in info.dask) profile.daskDashboardUrl = info.dask.dashboard;
  return profile;
}

/**
 * The environment a facility's own single-user server would give VS Code: JupyterHub's API URL and token. The
 * extension signs in with them without asking, as it does inside a real facility.
 */
export function simulatorEditorEnv(info: SimulatorInfo): Record<string, string> {
  if (!('userToken' in info.hub)) return {};
  return { JUPYTERHUB_API_URL: `${info.hub.url}/hub/api`, JUPYTERHUB_API_TOKEN: info.hub.userToken };
}

/** The workspace settings file content for a simulator workspace; the demo also connects at start-up. */
export function simulatorWorkspaceSettings(info: SimulatorInfo, options: { connectOnStartup?: boolean } = {}): string {
  const settings: Record<string, unknown> = { 'coffeaCasa.facilities': [simulatorProfile(info)] };
  if (options.connectOnStartup) settings['coffeaCasa.connectOnStartup'] = SIMULATOR_PROFILE_NAME;
  return `${JSON.stringify(settings, null, 2)}\n`;
}
