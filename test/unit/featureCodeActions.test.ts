import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/language/service';

// A quick fix is shown by the text it produces: the checker's own diagnostics go in, the fixed spec comes out.
const service = createLanguageService({ readFile: () => undefined });
const specDocument = (text: string, uri = 'file:///work/spec.yaml', languageId = 'yaml') =>
  TextDocument.create(uri, languageId, 1, text);

/** The title and the fixed text of each quick fix for the diagnostics with `code`. */
function fixes(document: TextDocument, code: string, diagnostics = service.validate(document)) {
  const chosen = diagnostics.filter((d) => d.code === code);
  assert.ok(chosen.length > 0, `no ${code} diagnostic`);
  return service.codeActions(document, chosen).map((action) => ({
    title: action.title,
    text: TextDocument.applyEdits(document, action.edit?.changes?.[document.uri] ?? []),
  }));
}

const sample = (body: string) => `Sample:\n  - Name: a\n${body}`;
const query = `    Query: !UprootRaw '[{"treename": "t"}]'\n`;

describe('quick fixes for deprecated dataset keys', () => {
  test('RucioDID becomes a !Rucio Dataset, and the action is a preferred quick fix for its diagnostic', () => {
    const document = specDocument(sample(`    RucioDID: user.a:ttbar # the signal\n${query}`));
    const diagnostics = service.validate(document);
    const [action] = service.codeActions(document, diagnostics);
    assert.deepEqual(action, {
      title: 'Use "Dataset: !Rucio user.a:ttbar"',
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostics[0]],
      isPreferred: true,
      edit: {
        changes: {
          [document.uri]: [
            { range: { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } }, newText: 'Dataset' },
            { range: { start: { line: 2, character: 14 }, end: { line: 2, character: 14 } }, newText: '!Rucio ' },
          ],
        },
      },
    } satisfies CodeAction);
    assert.deepEqual(fixes(document, 'spec/deprecated-key'), [
      { title: action.title, text: sample(`    Dataset: !Rucio user.a:ttbar # the signal\n${query}`) },
    ]);
  });

  test('XRootDFiles with one file becomes a !FileList of it; with a list, the list is tagged', () => {
    const one = specDocument(sample(`    XRootDFiles: root://eos//f.root\n${query}`));
    assert.deepEqual(fixes(one, 'spec/deprecated-key'), [
      {
        title: 'Use "Dataset: !FileList ["root://eos//f.root"]"',
        text: sample(`    Dataset: !FileList ["root://eos//f.root"]\n${query}`),
      },
    ]);
    const list = specDocument(
      sample(`    XRootDFiles:\n      - root://eos//a.root\n      - root://eos//b.root\n${query}`),
    );
    assert.deepEqual(fixes(list, 'spec/deprecated-key'), [
      {
        title: 'Use "Dataset: !FileList"',
        text: sample(`    Dataset: !FileList\n      - root://eos//a.root\n      - root://eos//b.root\n${query}`),
      },
    ]);
  });
});

describe('quick fixes that take the "Did you mean" suggestion', () => {
  test('a misspelled key, an enum value, a tag and a code generator', () => {
    const text = [
      'General:',
      '  OutputFormat: root-file',
      '  Codegen: uproot-rw',
      'Sample:',
      '  - Name: a',
      '    Dataset: !Rucio a:b',
      '    NFile: 2',
      `    Query: !UprootRow '[{"treename": "t"}]'`,
      '',
    ].join('\n');
    const document = specDocument(text);
    const fixed = (code: string) => fixes(document, code).map((f) => [f.title, f.text.split('\n')]);
    const lines = text.split('\n');
    const replaced = (line: number, content: string) => lines.map((l, i) => (i === line ? content : l));
    assert.deepEqual(fixed('spec/invalid-value'), [
      ['Change to root-ttree', replaced(1, '  OutputFormat: root-ttree')],
    ]);
    assert.deepEqual(fixed('spec/unknown-codegen'), [['Change to uproot-raw', replaced(2, '  Codegen: uproot-raw')]]);
    assert.deepEqual(fixed('spec/unknown-key'), [['Change to NFiles', replaced(6, '    NFiles: 2')]]);
    assert.deepEqual(fixed('spec/unknown-tag'), [
      ['Change to !UprootRaw', replaced(7, `    Query: !UprootRaw '[{"treename": "t"}]'`)],
    ]);
  });

  test('Definitions is renamed to Definition', () => {
    const document = specDocument(
      `Definitions:\n  - &Q !UprootRaw '[{"treename": "t"}]'\n${sample('    Dataset: !Rucio a:b\n    Query: *Q\n')}`,
    );
    const [fix] = fixes(document, 'spec/unknown-key');
    assert.equal(fix.title, 'Change to Definition');
    assert.ok(fix.text.startsWith('Definition:\n'));
  });

  test('an unknown !UprootRaw field keeps its JSON quotes', () => {
    const document = specDocument(
      sample(`    Dataset: !Rucio a:b\n    Query: !UprootRaw '[{"treename": "t", "cuts": "x > 1"}]'\n`),
    );
    assert.deepEqual(fixes(document, 'spec/uproot-raw-unknown-field'), [
      {
        title: 'Change to "cut"',
        text: sample(`    Dataset: !Rucio a:b\n    Query: !UprootRaw '[{"treename": "t", "cut": "x > 1"}]'\n`),
      },
    ]);
  });

  test('a misspelling inside an included file is reported on the !include and not "fixed" there', () => {
    const including = createLanguageService({
      readFile: (path) => (path === '/work/general.yaml' ? 'OutputFormat: parqet\n' : undefined),
    });
    const document = specDocument(`General: !include general.yaml\n${sample('    Dataset: !Rucio a:b\n' + query)}`);
    const diagnostics = including.validate(document);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['spec/invalid-value'],
    );
    assert.deepEqual(including.codeActions(document, diagnostics), []);
  });

  test('a suggestion in the diagnostic data wins over the message', () => {
    const document = specDocument('General:\n  Colour: red\nSample: []\n');
    const diagnostic: Diagnostic = {
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: 8 } },
      severity: DiagnosticSeverity.Warning,
      code: 'spec/unknown-key',
      message: 'General has no key "Colour".',
      data: { suggestion: 'Codegen' },
    };
    assert.equal(fixes(document, 'spec/unknown-key', [diagnostic])[0].text, 'General:\n  Codegen: red\nSample: []\n');
  });
});

describe('quick fixes for func_adl queries', () => {
  // These diagnostics come from the func_adl engine; the fixes only need their code and where they are.
  const diagnosticAt = (document: TextDocument, offset: number, code: string): Diagnostic => ({
    range: { start: document.positionAt(offset), end: document.positionAt(offset + 1) },
    severity: DiagnosticSeverity.Warning,
    code,
    source: 'servicex',
    message: code,
  });

  test('a query without FromTree gets one in front', () => {
    const text = sample("    Query: !FuncADL_Uproot |\n      Select(lambda e: {'pt': e.pt})\n");
    const document = specDocument(text);
    const diagnostic = diagnosticAt(document, text.indexOf('Select'), 'funcadl/missing-fromtree');
    assert.deepEqual(fixes(document, 'funcadl/missing-fromtree', [diagnostic]), [
      {
        title: "Read the tree 'events': insert FromTree('events').",
        text: sample("    Query: !FuncADL_Uproot |\n      FromTree('events').Select(lambda e: {'pt': e.pt})\n"),
      },
    ]);
  });

  test('a multi-line | query is folded into one >- line, its deeper lines and blank lines removed', () => {
    const text = sample(
      "    Query: !FuncADL_Uproot |\n      FromTree('t')\n        .Where(lambda e: e.n > 1)\n\n        .Select(lambda e: e.pt)\n    NFiles: 1\n",
    );
    const document = specDocument(text);
    const diagnostic = diagnosticAt(document, text.indexOf('.Where'), 'funcadl/multiline-dropped');
    assert.deepEqual(fixes(document, 'funcadl/multiline-dropped', [diagnostic]), [
      {
        title: 'Fold the query into one line (>-)',
        text: sample(
          "    Query: !FuncADL_Uproot >-\n      FromTree('t')\n      .Where(lambda e: e.n > 1)\n      .Select(lambda e: e.pt)\n    NFiles: 1\n",
        ),
      },
    ]);
  });

  test('in a .funcadl file the query gets FromTree at its start, and its lines are joined', () => {
    const document = specDocument(
      'Select(lambda e: e.pt)\n  .Where(lambda x: x > 1)\n',
      'file:///work/q.funcadl',
      'funcadl',
    );
    assert.deepEqual(
      fixes(document, 'funcadl/missing-fromtree', [diagnosticAt(document, 0, 'funcadl/missing-fromtree')]),
      [
        {
          title: "Read the tree 'events': insert FromTree('events').",
          text: "FromTree('events').Select(lambda e: e.pt)\n  .Where(lambda x: x > 1)\n",
        },
      ],
    );
    const [joined] = fixes(document, 'funcadl/multiline-dropped', [
      diagnosticAt(document, 25, 'funcadl/multiline-dropped'),
    ]);
    assert.equal(joined.text, 'Select(lambda e: e.pt) .Where(lambda x: x > 1)\n');
  });
});
