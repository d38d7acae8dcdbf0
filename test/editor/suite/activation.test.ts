import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from './extension';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    configuration: { properties: Record<string, unknown> };
    views: Record<string, { id: string }[]>;
  };
}

describe('activation', () => {
  it('activates and returns its API', async () => {
    const { extension, api } = await activated();
    assert.equal(extension.isActive, true);
    assert.equal(typeof api.sessions, 'function');
    assert.deepEqual(api.sessions(), [], 'no facility is connected before the user asks');
  });

  it('registers every command that package.json contributes', async () => {
    const { extension } = await activated();
    const manifest = extension.packageJSON as Manifest;
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
    assert.ok(manifest.contributes.commands.length >= 4);
  });

  it('gives every contributed setting a default that VS Code knows', async () => {
    const { extension } = await activated();
    const keys = Object.keys((extension.packageJSON as Manifest).contributes.configuration.properties);
    const withoutDefault = keys.filter(
      (key) => vscode.workspace.getConfiguration().inspect(key)?.defaultValue === undefined,
    );
    assert.deepEqual(withoutDefault, []);
    assert.ok(keys.includes('coffeaCasa.facilities'));
  });

  it('contributes the three views in the Coffea-Casa container', async () => {
    const { extension } = await activated();
    const views = (extension.packageJSON as Manifest).contributes.views.coffeaCasa.map((v) => v.id);
    assert.deepEqual(views, ['coffeaCasa.sessions', 'coffeaCasa.datasets', 'coffeaCasa.gpuServers']);
    for (const id of views) await vscode.commands.executeCommand(`${id}.focus`);
  });
});
