import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import type { ServiceXBackends } from '../connection/servicexBackends';
import { joinUrl } from '../facility/urls';
import { CommandIds } from './ids';

/**
 * `coffeaCasa.addServiceXToken [url token]`: keeps a ServiceX refresh token in VS Code's secret storage, for an
 * endpoint of a connected facility or one typed in, without editing servicex.yaml. Resolves true when stored.
 */
export function registerAddServiceXToken(connections: Connections, backends: ServiceXBackends): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.addServiceXToken, async (...args: unknown[]): Promise<boolean> => {
    let url = typeof args[0] === 'string' ? args[0] : undefined;
    let token = typeof args[1] === 'string' ? args[1] : undefined;
    if (!url) {
      const known = connections.sessions().flatMap((s) => backends.backends(s.profile).map((b) => b.url));
      const picked = await vscode.window.showQuickPick([...new Set(known), 'Another endpoint…'], {
        title: 'ServiceX endpoint for the token',
      });
      if (!picked) return false;
      url =
        picked === 'Another endpoint…'
          ? await vscode.window.showInputBox({
              prompt: 'ServiceX URL',
              placeHolder: 'https://servicex.af.uchicago.edu',
            })
          : picked;
      if (!url) return false;
    }
    if (!token) {
      token = await vscode.window.showInputBox({
        title: `ServiceX token for ${url}`,
        prompt: `Paste the API token from ${joinUrl(url, 'profile')}`,
        password: true,
        ignoreFocusOut: true,
      });
      if (!token) return false;
    }
    await backends.setToken(url, token.trim());
    await connections.refresh();
    return true;
  });
}
