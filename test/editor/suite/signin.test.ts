import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FacilitySession } from '../../../client/src/connection/connections';
import { SIMULATOR_PROFILE_NAME } from '../../../sim/src/facilityProfile';
import { activated } from './extension';

// Signing in with the facility's own token (from the environment, as inside a facility server): the extension moves
// to a token of its own on the simulator's real JupyterHub, keeps it in secret storage, and handles links.
describe('signing in with an extension token', () => {
  const apiUrl = process.env.JUPYTERHUB_API_URL ?? '';
  const envToken = process.env.JUPYTERHUB_API_TOKEN ?? '';
  const link = (query: string) => vscode.Uri.parse(`vscode://coffea-casa.coffea-casa-vscode/open?${query}`);

  /** Alice's tokens as the hub lists them, read with the environment's token. */
  const hubTokens = async (): Promise<{ id: string; note: string; expires_at: string | null }[]> => {
    const answer = await fetch(`${apiUrl}/users/alice/tokens`, { headers: { authorization: `token ${envToken}` } });
    assert.equal(answer.status, 200);
    return ((await answer.json()) as { api_tokens: { id: string; note: string; expires_at: string | null }[] })
      .api_tokens;
  };

  const connect = () => vscode.commands.executeCommand<FacilitySession>('coffeaCasa.connect', SIMULATOR_PROFILE_NAME);

  after(async () => {
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
  });

  it('connects on a token of its own, with a note and a 30-day expiry, that the hub lists', async () => {
    assert.ok(apiUrl && envToken, 'the runner passes the facility token in the environment');
    const session = await connect();
    assert.equal(session?.state, 'connected', session?.problem);
    const token = session.token;
    assert.ok(token, 'the session signs in with an extension token');
    assert.equal(token.user, 'alice');
    assert.match(token.note ?? '', /^Coffea-Casa for VS Code on \S+$/);
    const days = (Date.parse(token.expiresAt ?? '') - Date.now()) / 86_400_000;
    assert.ok(days > 29 && days <= 30, `expires in ${days} days`);
    const listed = (await hubTokens()).find((t) => t.note === token.note && t.expires_at === token.expiresAt);
    assert.ok(listed, 'the hub lists the extension token');
    assert.ok(!JSON.stringify(session).includes(envToken), 'the session never carries a secret');
    assert.ok(!('secret' in token));
  });

  it('keeps the token in secret storage: connecting again creates no new one', async () => {
    const { api } = await activated();
    const first = api.sessions().find((s) => s.profile.name === SIMULATOR_PROFILE_NAME)?.token;
    const count = (await hubTokens()).length;
    await vscode.commands.executeCommand('coffeaCasa.disconnect', SIMULATOR_PROFILE_NAME);
    const again = await connect();
    assert.equal(again?.state, 'connected', again?.problem);
    assert.deepEqual(again.token, first);
    assert.equal((await hubTokens()).length, count);
  });

  it('opens a link to the facility and its running default server', async () => {
    const { api } = await activated();
    const outcome = await api.handleUri(link(`facility=${encodeURIComponent(SIMULATOR_PROFILE_NAME)}&server=`));
    assert.equal(outcome.handled, true, outcome.message);
    assert.equal(outcome.serverRunning, true, outcome.message);
    assert.equal(outcome.message, `alice's default server on ${SIMULATOR_PROFILE_NAME} is running.`);
  });

  it('refuses links to unknown facilities and with unknown parameters, and stays connected', async () => {
    const { api } = await activated();
    const unknown = await api.handleUri(link('facility=evil.example'));
    assert.equal(unknown.handled, false);
    assert.match(unknown.message, /no facility profile named "evil\.example"/);
    const command = await api.handleUri(link(`facility=${encodeURIComponent(SIMULATOR_PROFILE_NAME)}&cmd=x`));
    assert.equal(command.handled, false);
    assert.equal(api.sessions()[0]?.state, 'connected');
  });

  it('turns a revoked token into the expired state, and signing in again makes a new token', async () => {
    const { api } = await activated();
    const old = api.sessions()[0]?.token;
    const revoked = (await hubTokens()).find((t) => t.note === old?.note && t.expires_at === old?.expiresAt);
    assert.ok(revoked);
    const deleted = await fetch(`${apiUrl}/users/alice/tokens/${revoked.id}`, {
      method: 'DELETE',
      headers: { authorization: `token ${envToken}` },
    });
    assert.equal(deleted.status, 204);
    await vscode.commands.executeCommand('coffeaCasa.refreshViews');
    const expired = api.sessions()[0];
    assert.equal(expired?.state, 'expired');
    assert.match(expired.problem ?? '', /refused the credentials \(403\)/);

    // What "Sign In Again" runs: the refused token is forgotten and the environment's token signs in anew.
    const renewed = await connect();
    assert.equal(renewed?.state, 'connected', renewed?.problem);
    assert.ok(renewed.token && renewed.token.created !== old?.created, 'a new extension token');
  });
});
