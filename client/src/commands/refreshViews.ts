import * as vscode from 'vscode';
import type { Connections } from '../connection/connections';
import { CommandIds } from './ids';

/** `coffeaCasa.refreshViews`: asks every connected facility's services again. */
export function registerRefreshViews(connections: Connections): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.refreshViews, () => connections.refresh());
}
