import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulatorEditorEnv, simulatorWorkspaceSettings } from '../../sim/src/facilityProfile';
import type { SimulatorInfo } from '../../sim/src/info';

/** The simulator the test runner started, as passed in the environment. */
export function simulatorFromEnv(env: NodeJS.ProcessEnv = process.env): {
  info: SimulatorInfo;
  editorEnv: Record<string, string>;
} {
  const json =
    env.COFFEA_CASA_SIM_INFO_JSON ??
    (env.COFFEA_CASA_SIM_INFO ? readFileSync(env.COFFEA_CASA_SIM_INFO, 'utf8') : undefined);
  if (!json)
    throw new Error('No simulator: run through `npm test`, which starts one and sets COFFEA_CASA_SIM_INFO_JSON.');
  const info = JSON.parse(json) as SimulatorInfo;
  return { info, editorEnv: simulatorEditorEnv(info) };
}

/** Writes a workspace whose settings point at the simulator, with a ServiceX spec to open. Returns the folder. */
export function writeSimulatorWorkspace(
  dir: string,
  sim: { info: SimulatorInfo },
  options: { connectOnStartup?: boolean } = {},
): string {
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  const settings = simulatorWorkspaceSettings(sim.info, options);
  writeFileSync(join(dir, '.vscode', 'settings.json'), settings);
  // The same settings as a workspace file: a window opened on it can gain folders without becoming a new workspace.
  const workspaceFile = { folders: [{ path: '.' }], settings: JSON.parse(settings) as unknown };
  writeFileSync(workspaceFileOf(dir), `${JSON.stringify(workspaceFile, null, 2)}\n`);
  writeFileSync(
    join(dir, 'spec.yaml'),
    [
      'Sample:',
      '  - Name: ttbar',
      '    Dataset: !Rucio opendata:opendata.cms.ttbar',
      '    Query: !FuncADL_Uproot |',
      "      FromTree('Events').Select(lambda e: {'pt': e.Muon_pt})",
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'muons.funcadl'), "FromTree('Events').Select(lambda e: e.Muon_pt)\n");
  return dir;
}

/** The `.code-workspace` file that `writeSimulatorWorkspace` writes beside the folder's settings. */
export function workspaceFileOf(dir: string): string {
  return join(dir, 'coffea-casa.code-workspace');
}

/** Adds settings to a workspace written by `writeSimulatorWorkspace`; VS Code applies them live when it is open. */
export function updateWorkspaceSettings(dir: string, settings: Record<string, unknown>): void {
  const file = join(dir, '.vscode', 'settings.json');
  const current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
}
