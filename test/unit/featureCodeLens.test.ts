import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DeliverSpecCommand, ShowQastleCommand } from '../../server/src/protocol';
import { createLanguageService } from '../../server/src/language/service';

// "Show qastle" lenses, the request they lead to, and formatting of .qastle documents.
const service = createLanguageService({ readFile: () => undefined });
const open = (text: string, languageId = 'yaml', uri = 'file:///work/spec.yaml') =>
  TextDocument.create(uri, languageId, 1, text);
const lensesOf = (document: TextDocument, command: string) =>
  service.codeLenses(document).filter((lens) => lens.command?.command === command);

const spec = [
  'Definition:',
  `  - &Q !FuncADL_Uproot "FromTree('mini').Select(lambda e: e.lep_pt)"`,
  'Sample:',
  '  - Name: a # not a !FuncADL_Uproot query',
  '    Dataset: !Rucio a:b',
  '    Query: !FuncADL_Uproot |',
  "      FromTree('mini').Select(lambda e: {'lep_pt': e.lep_pt, 'lep_eta': e.lep_eta, 'lep_phi': e.lep_phi})",
  '  - Name: b',
  '    Dataset: !Rucio a:c',
  '    Query: !FuncADL_Uproot |',
  '      Select(lambda e: e.x[0:2])',
  '',
].join('\n');

describe('"Show qastle" code lenses', () => {
  test('one lens on each !FuncADL_Uproot tag of a spec, carrying the document and the tag offset', () => {
    const document = open(spec);
    const offsets = [...spec.matchAll(/(?<!# not a )!FuncADL_Uproot/g)].map((m) => m.index);
    assert.deepEqual(
      lensesOf(document, ShowQastleCommand),
      offsets.map((offset) => ({
        range: { start: document.positionAt(offset), end: document.positionAt(offset + '!FuncADL_Uproot'.length) },
        command: { title: 'Show qastle', command: ShowQastleCommand, arguments: [document.uri, offset] },
      })),
    );
  });

  test('a .funcadl file has one lens at its top', () => {
    const document = open("FromTree('t').Select(lambda e: e.x)\n", 'funcadl', 'file:///work/q.funcadl');
    assert.deepEqual(service.codeLenses(document), [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        command: { title: 'Show qastle', command: 'coffeaCasa.showQastle', arguments: ['file:///work/q.funcadl', 0] },
      },
    ]);
  });
});

describe('"Deliver" code lenses', () => {
  test('one per named sample at its item, and "Deliver all" at the Sample key', () => {
    const document = open(spec);
    const at = (offset: number) => ({ start: document.positionAt(offset), end: document.positionAt(offset) });
    assert.deepEqual(lensesOf(document, DeliverSpecCommand), [
      {
        range: at(spec.indexOf('Sample:')),
        command: { title: 'Deliver all 2 samples', command: DeliverSpecCommand, arguments: [document.uri] },
      },
      {
        range: at(spec.indexOf('Name: a')),
        command: { title: 'Deliver a', command: DeliverSpecCommand, arguments: [document.uri, ['a']] },
      },
      {
        range: at(spec.indexOf('Name: b')),
        command: { title: 'Deliver b', command: DeliverSpecCommand, arguments: [document.uri, ['b']] },
      },
    ]);
  });

  test('none on a file that is not a spec, or a spec without named samples', () => {
    assert.deepEqual(
      lensesOf(open('Select(lambda e: e.n)', 'funcadl', 'file:///work/q.funcadl'), DeliverSpecCommand),
      [],
    );
    assert.deepEqual(lensesOf(open('Sample:\n  - Dataset: !Rucio a:b\n'), DeliverSpecCommand), []);
  });
});

describe('the showQastle request', () => {
  test("returns the client's qastle for the query at the lens's offset, formatted", () => {
    const document = open(spec);
    const [, second] = lensesOf(document, ShowQastleCommand);
    assert.deepEqual(service.showQastle(document, second.command?.arguments?.[1] as number), {
      qastle: [
        '(Select',
        "  (call EventDataset 'bogus.root' 'mini')",
        '  (lambda',
        '    (list e)',
        '    (dict',
        "      (list 'lep_pt' 'lep_eta' 'lep_phi')",
        "      (list (attr e 'lep_pt') (attr e 'lep_eta') (attr e 'lep_phi')))))",
        '',
      ].join('\n'),
    });
    const inline = service.showQastle(document, spec.indexOf('!FuncADL_Uproot'));
    assert.deepEqual(inline, {
      qastle: "(Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (attr e 'lep_pt')))\n",
    });
  });

  test('returns why a query does not translate, or that there is no query', () => {
    const document = open(spec);
    assert.deepEqual(service.showQastle(document, spec.lastIndexOf('!FuncADL_Uproot')), {
      error:
        "Unsupported node type: <class 'ast.Slice'>. Slices are not supported by qastle: index single elements such as `x[0]`, or filter with `.Where`.",
    });
    assert.deepEqual(service.showQastle(document, spec.indexOf('!Rucio')), {
      error: 'There is no !FuncADL_Uproot query at this place.',
    });
  });

  test('a .funcadl file translates whole', () => {
    const document = open('Select(lambda e: e.n)', 'funcadl', 'file:///work/q.funcadl');
    assert.deepEqual(service.showQastle(document, 0), {
      qastle: "(Select (call EventDataset 'bogus.root' 'None') (lambda (list e) (attr e 'n')))\n",
    });
  });
});

describe('formatting .qastle documents', () => {
  test('a long qastle record is laid out with the qastle formatter, as one edit', () => {
    const text =
      "(Where (Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (dict (list 'lep_pt') (list (attr e 'lep_pt'))))) (lambda (list e) (> (subscript e 'lep_pt') 1000)))";
    const document = open(text, 'qastle', 'file:///work/q.qastle');
    const edits = service.format(document);
    assert.deepEqual(edits, [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: text.length } },
        newText: [
          '(Where',
          '  (Select',
          "    (call EventDataset 'bogus.root' 'mini')",
          "    (lambda (list e) (dict (list 'lep_pt') (list (attr e 'lep_pt')))))",
          "  (lambda (list e) (> (subscript e 'lep_pt') 1000)))",
          '',
        ].join('\n'),
      },
    ]);
  });

  test('formatted text, text that does not parse, and other documents get no edits', () => {
    assert.deepEqual(service.format(open("(Count (attr e 'x'))\n", 'qastle', 'file:///work/q.qastle')), []);
    assert.deepEqual(service.format(open('(Count (attr e', 'qastle', 'file:///work/q.qastle')), []);
    assert.deepEqual(service.format(open(spec)), []);
  });
});
