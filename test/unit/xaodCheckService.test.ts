import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, type LanguageServiceOptions } from '../../server/src/language/service';
import { SpecSession } from '../../server/src/language/spec/incremental';
import { XaodTypeDatabase } from '../../server/src/language/xaod/typeDatabase';
import { marked } from '../fixtures/specs/markers';

// ⟦…⟧ marks where each expected diagnostic is, in order.
const XAOD = join(__dirname, '..', '..', '..', 'server', 'data', 'xaod', 'xaod_r25.yaml');
const readFile = (path: string) => (path === XAOD ? readFileSync(path, 'utf8') : undefined);

function validate(source: string, uri: string, options: Partial<LanguageServiceOptions> = {}) {
  const { text, ranges } = marked(source);
  const document = TextDocument.create(uri, uri.endsWith('.funcadl') ? 'funcadl' : 'yaml', 1, text);
  const service = createLanguageService({ readFile, xaodDatabasePath: XAOD, ...options });
  const diagnostics = service.validate(document);
  const range = (i: number) => ({
    start: document.positionAt(ranges[i].start),
    end: document.positionAt(ranges[i].end),
  });
  return { diagnostics, range };
}

const TYPO = { code: 'funcadl/xaod-unknown-method', source: 'servicex', severity: 1 };

describe('xAOD call checks through the language service', () => {
  test('a .funcadl document gets them after the engine', () => {
    const { diagnostics, range } = validate(
      "FromTree('CollectionTree').Select(lambda e: e.Jets().Select(lambda j: j.⟦ptt⟧()))\n",
      'file:///work/query.funcadl',
    );
    assert.deepEqual(diagnostics, [
      { range: range(0), ...TYPO, message: 'xAOD.Jet_v1 has no method "ptt". Did you mean pt?' },
    ]);
  });

  test('a !FuncADL_Uproot query in a spec gets them, placed on the document', () => {
    const { diagnostics, range } = validate(
      [
        'Sample:',
        '  - Name: jets',
        '    Dataset: !Rucio mc23_13p6TeV:some.dataset',
        '    Query: !FuncADL_Uproot |',
        "      FromTree('CollectionTree').Select(lambda e: e.⟦Jetz⟧())",
        '',
      ].join('\n'),
      'file:///work/spec.yaml',
    );
    assert.deepEqual(diagnostics, [
      {
        range: range(0),
        code: 'funcadl/xaod-unknown-collection',
        source: 'servicex',
        severity: 1,
        message: 'The xAOD event has no collection "Jetz", so this call cannot be translated. Did you mean Jets?',
      },
    ]);
  });

  test('without a readable type database nothing is reported and nothing fails', () => {
    const query = "FromTree('CollectionTree').Select(lambda e: e.Jetz())\n";
    assert.deepEqual(validate(query, 'file:///work/q.funcadl', { xaodDatabasePath: undefined }).diagnostics, []);
    assert.deepEqual(validate(query, 'file:///work/q.funcadl', { xaodDatabasePath: '/nowhere.yaml' }).diagnostics, []);
  });
});

describe('xAOD call checks in a spec session', () => {
  const spec = (query: string) =>
    `Sample:\n  - Name: a\n    Dataset: !Rucio x:y\n    Query: !FuncADL_Uproot |\n      FromTree('t').${query}\n`;
  const codes = (session: SpecSession, text: string) =>
    session.check(text, '/specs/spec.yaml', { readFile: () => undefined }).map((p) => p.code);

  test('incremental and whole-file checks both report them', () => {
    const db = XaodTypeDatabase.parse(readFileSync(XAOD, 'utf8'));
    const session = new SpecSession(() => db);
    const text = spec('Select(lambda e: e.Jets().Select(lambda j: j.pt))');
    assert.deepEqual(codes(session, text), ['funcadl/xaod-missing-call']);
    // An unclosed flow mapping at the end puts the file outside the incremental shape, so it is checked whole.
    const whole = codes(session, `${text}Extra: {\n`);
    assert.ok(session.stats.whole > 0);
    assert.ok(whole.includes('funcadl/xaod-missing-call'));
  });

  test('a session without a database reports only the engine problems', () => {
    assert.deepEqual(codes(new SpecSession(), spec('Select(lambda e: e.Jetz())')), []);
  });
});
