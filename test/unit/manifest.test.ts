import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CommandIds, CONNECTED_CONTEXT_KEY, ViewIds } from '../../client/src/commands/ids';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    views: { coffeaCasa: { id: string }[] };
    viewsWelcome: { view: string; contents: string; when: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
};

describe('package.json', () => {
  test('contributes exactly the commands of the command table', () => {
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(CommandIds).sort());
  });

  test('contributes exactly the views of the view table', () => {
    assert.deepEqual(
      manifest.contributes.views.coffeaCasa.map((v) => v.id),
      Object.values(ViewIds),
    );
  });

  test('every view has welcome content with the connect button while nothing is connected', () => {
    for (const view of Object.values(ViewIds)) {
      const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === view);
      assert.ok(welcome, view);
      assert.match(welcome.contents, /\[Connect to a Facility\]\(command:coffeaCasa\.connect\)/);
      assert.equal(welcome.when, `!${CONNECTED_CONTEXT_KEY}`);
    }
  });

  test('every setting has a default and lives under coffeaCasa.', () => {
    for (const [key, schema] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.match(key, /^coffeaCasa\./);
      assert.notEqual(schema.default, undefined, key);
    }
  });
});
