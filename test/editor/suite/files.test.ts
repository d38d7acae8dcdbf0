import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';

/** Resolves once the workspace folders change in a way `check` accepts; mocha's timeout bounds the wait. */
function foldersChange(check: (event: vscode.WorkspaceFoldersChangeEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const listening = vscode.workspace.onDidChangeWorkspaceFolders((event) => {
      if (!check(event)) return;
      listening.dispose();
      resolve();
    });
  });
}

// The files of the simulator's real hub server through VS Code's own file system API, as the Explorer and editors
// use them. The facility name is the URI's authority and `default` (or `~`) names the default server.
describe('files on a hub server', () => {
  const dir = `coffea-casa-editor-${Date.now()}`;
  const base = vscode.Uri.parse(`coffea-casa://${encodeURIComponent(SIMULATOR_PROFILE_NAME)}/default/${dir}`);

  after(async () => {
    await Promise.resolve(vscode.workspace.fs.delete(base, { recursive: true })).catch(() => undefined);
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('says the facility is not connected before connecting', async () => {
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(base)), /not connected/);
  });

  it('connects to the simulator', async () => {
    const session = await vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);
    assert.equal(session?.state, 'connected', session?.problem);
  });

  it('writes, reads, stats, renames and deletes files with workspace.fs', async () => {
    const file = vscode.Uri.joinPath(base, 'notes', 'hello.txt');
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(base, 'notes'));
    await vscode.workspace.fs.writeFile(file, bytes);
    assert.deepEqual(Array.from(await vscode.workspace.fs.readFile(file)), Array.from(bytes));

    const stat = await vscode.workspace.fs.stat(file);
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.size, 256);
    assert.deepEqual(await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(base, 'notes')), [
      ['hello.txt', vscode.FileType.File],
    ]);

    const renamed = vscode.Uri.joinPath(base, 'notes', 'renamed.txt');
    await vscode.workspace.fs.rename(file, renamed);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(file)),
      (e) => (e as vscode.FileSystemError).code === 'FileNotFound',
    );
    await vscode.workspace.fs.delete(renamed);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(renamed)),
      (e) => (e as vscode.FileSystemError).code === 'FileNotFound',
    );
  });

  let folderUri: string | undefined;
  let folderAdded: Promise<void> | undefined;

  it('opens the server’s files at a path, as a coffea-casa URI that lists the directory', async () => {
    // Adding a folder is asynchronous, so the test listens before it runs the command.
    const added = foldersChange((event) => event.added.some((f) => f.uri.scheme === 'coffea-casa'));
    folderUri = await vscode.commands.executeCommand<string>(
      'coffeaCasa.openRemoteFolder',
      SIMULATOR_PROFILE_NAME,
      '',
      dir,
    );
    assert.ok(folderUri, 'the command opened nothing');
    const uri = vscode.Uri.parse(folderUri);
    assert.equal(uri.scheme, 'coffea-casa');
    assert.deepEqual(await vscode.workspace.fs.readDirectory(uri), [['notes', vscode.FileType.Directory]]);
    folderAdded = added;
  });

  it('shows it as a workspace folder, which can be removed again', async () => {
    // The runner opens a workspace file: a single-folder window would have to become a new workspace, which VS Code
    // refuses while it runs tests.
    assert.ok(vscode.workspace.workspaceFile, 'the editor tests must run in a workspace opened from a file');
    assert.ok(folderAdded && folderUri);
    await folderAdded;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === folderUri);
    assert.ok(folder, `no workspace folder ${folderUri}`);
    const removed = foldersChange((event) => event.removed.some((f) => f.uri.toString() === folderUri));
    assert.ok(vscode.workspace.updateWorkspaceFolders(folder.index, 1));
    await removed;
    assert.ok(!vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === folderUri));
  });
});
