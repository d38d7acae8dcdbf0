import * as vscode from 'vscode';
import type { Log } from '../log';
import { CommandIds } from './ids';

/** `coffeaCasa.showConnectionLog`: reveals the output channel, where every failure is written in full. */
export function registerShowConnectionLog(log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(CommandIds.showConnectionLog, () => log.show());
}
