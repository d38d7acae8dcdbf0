import * as vscode from 'vscode';
import type { Connections, FacilitySession } from './connection/connections';
import { CommandIds, ViewIds } from './commands/ids';
import { describeExpiry } from './facility/hubTokens';

const ICONS: Record<FacilitySession['state'], string> = {
  signedOut: '$(debug-disconnect)',
  connecting: '$(sync~spin)',
  connected: '$(pass)',
  degraded: '$(warning)',
  expired: '$(lock)',
};

/** One status-bar item with the connection state, whose click is the way forward from that state. */
export function registerStatusBar(connections: Connections): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('coffeaCasa.connection', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Coffea-Casa Connection';
  const render = () => {
    const sessions = connections.sessions();
    const worst =
      sessions.find((s) => s.state === 'expired') ?? sessions.find((s) => s.state !== 'connected') ?? sessions[0];
    if (!worst) {
      item.text = `${ICONS.signedOut} Coffea-Casa`;
      item.tooltip = 'Not connected to a facility. Click to connect.';
      item.command = CommandIds.connect;
    } else {
      const label = sessions.length === 1 ? worst.profile.name : `${sessions.length} facilities`;
      item.text = `${ICONS[worst.state]} ${label}: ${worst.state}`;
      item.tooltip = tooltip(sessions);
      item.command = nextStep(worst);
    }
    item.show();
  };
  render();
  const subscription = connections.onDidChange(render);
  return vscode.Disposable.from(item, subscription);
}

function tooltip(sessions: FacilitySession[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  for (const s of sessions) {
    md.appendMarkdown(`**${escape(s.profile.name)}**: ${s.state}  \n`);
    if (s.problem) md.appendText(`${s.problem}\n`);
    // The extension's own token says when the user will have to sign in again, unless it is renewed before.
    if (s.token) md.appendText(`Signed in as ${s.token.user}; ${describeExpiry(s.token.expiresAt, new Date())}\n`);
  }
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function nextStep(session: FacilitySession): vscode.Command {
  switch (session.state) {
    case 'expired':
      return { command: CommandIds.connect, title: 'Sign in again', arguments: [session.profile.name] };
    case 'degraded':
      return { command: CommandIds.showConnectionLog, title: 'Show what is not answering' };
    default:
      return { command: `${ViewIds.sessions}.focus`, title: 'Show sessions' };
  }
}
