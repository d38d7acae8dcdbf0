import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver-types';
import { createLanguageService, type LanguageServiceOptions } from '../../server/src/language/service';
import { marked } from '../fixtures/specs/markers';

// Completion reads like the spec it completes: ⟦…⟧ marks the text an item replaces, and the cursor is at its end.
const XAOD = join(__dirname, '..', '..', '..', 'server', 'data', 'xaod', 'xaod_r25.yaml');
const readFile = (path: string) => (path === XAOD ? readFileSync(path, 'utf8') : undefined);

function complete(
  source: string,
  options: Partial<LanguageServiceOptions> = {},
  languageId = 'yaml',
  trigger?: string,
) {
  const { text, ranges } = marked(source);
  const uri = languageId === 'funcadl' ? 'file:///work/query.funcadl' : 'file:///work/spec.yaml';
  const document = TextDocument.create(uri, languageId, 1, text);
  const service = createLanguageService({ readFile, xaodDatabasePath: XAOD, ...options });
  const range = { start: document.positionAt(ranges[0].start), end: document.positionAt(ranges[0].end) };
  const items = service.complete(document, range.end, trigger).items;
  return { items, range, labels: items.map((i) => i.label) };
}

const item = (items: readonly CompletionItem[], label: string) => items.find((i) => i.label === label);

describe('completion of spec keys', () => {
  test('a top-level key is offered with its documentation and a snippet of its shape', () => {
    const { items, range } = complete('General:\n  Delivery: URLs\n⟦Sa⟧\n');
    assert.deepEqual(
      items.map((i) => i.label),
      ['Sample', 'Definition'],
    );
    assert.deepEqual(item(items, 'Sample'), {
      label: 'Sample',
      kind: CompletionItemKind.Property,
      detail: 'list of samples, required',
      documentation: {
        kind: 'markdown',
        value:
          'The samples to deliver, one `- Name: …` item each with a `Dataset` and a `Query`. The key is singular: `Samples` is ignored by the client.',
      },
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: 'Sample:\n  - Name: ${1:name}\n    Dataset: $2\n    Query: $0' },
      insertTextMode: InsertTextMode.adjustIndentation,
    });
  });

  test('General offers its keys that are not written yet', () => {
    const { labels } = complete('General:\n  OutputFormat: parquet\n  ⟦⟧\n  Codegen: uproot\nSample: []\n');
    assert.deepEqual(labels, ['Delivery', 'OutputDirectory', 'OutFilesetName', 'IgnoreLocalCache']);
  });

  test('a sample offers its keys, not the deprecated ones, and no Dataset when RucioDID is there', () => {
    const first = complete('Sample:\n  - Name: a\n    ⟦Q⟧\n');
    assert.deepEqual(first.labels, ['Dataset', 'Query', 'NFiles', 'Codegen', 'IgnoreLocalCache']);
    const second = complete('Sample:\n  - Name: a\n    RucioDID: a:b\n  - ⟦⟧\n');
    assert.deepEqual(second.labels, ['Name', 'Dataset', 'Query', 'NFiles', 'Codegen', 'IgnoreLocalCache']);
    const third = complete('Sample:\n  - Name: a\n    RucioDID: a:b\n    ⟦⟧\n');
    assert.deepEqual(third.labels, ['Query', 'NFiles', 'Codegen', 'IgnoreLocalCache']);
  });

  test('a key whose value is picked from a list opens the suggestions again', () => {
    const { items } = complete('Sample:\n  - Name: a\n    ⟦Que⟧\n');
    assert.deepEqual(item(items, 'Query')?.command, { title: 'Suggest', command: 'editor.action.triggerSuggest' });
  });

  test('typing a space where a key goes offers nothing', () => {
    assert.deepEqual(complete('General:\n  ⟦⟧\n', {}, 'yaml', ' ').items, []);
  });
});

describe('completion of spec values', () => {
  test('OutputFormat offers its three values as enum members', () => {
    const { items, range } = complete('General:\n  OutputFormat: ⟦root⟧\n');
    assert.deepEqual(items[1], {
      label: 'root-ttree',
      kind: CompletionItemKind.EnumMember,
      documentation: {
        kind: 'markdown',
        value: 'ROOT files with TTrees (the default; REST `result-format: root-file`).',
      },
      textEdit: { range, newText: 'root-ttree' },
      insertTextFormat: InsertTextFormat.PlainText,
    });
    assert.deepEqual(
      items.map((i) => i.label),
      ['parquet', 'root-ttree', 'root-rntuple'],
    );
  });

  test('Delivery and booleans offer their values; right after the colon a space is inserted too', () => {
    assert.deepEqual(complete('General:\n  Delivery: ⟦⟧\n').labels, ['LocalCache', 'URLs']);
    const bool = complete('Sample:\n  - IgnoreLocalCache:⟦⟧\n', {}, 'yaml', ':');
    assert.deepEqual(bool.labels, ['true', 'false']);
    assert.equal(bool.items[0].textEdit?.newText, ' true');
  });

  test('Dataset offers the four dataset tags as snippets', () => {
    const { items, range } = complete('Sample:\n  - Name: a\n    Dataset: ⟦!⟧\n', {}, 'yaml', '!');
    assert.deepEqual(
      items.map((i) => [i.label, i.textEdit?.newText]),
      [
        ['!Rucio', '!Rucio ${1:scope:name}'],
        ['!FileList', '!FileList [${1:root://host//path/file.root}]'],
        ['!CERNOpenData', '!CERNOpenData ${1:179}'],
        ['!XRootD', '!XRootD ${1:root://host//path/*.root}'],
      ],
    );
    assert.deepEqual(items[0].textEdit, { range, newText: '!Rucio ${1:scope:name}' });
  });

  test('Query offers the query tags, with a query skeleton that starts with FromTree', () => {
    const { items, range } = complete('Sample:\n  - Name: a\n    Query: ⟦⟧\n', {}, 'yaml', ' ');
    assert.deepEqual(
      items.map((i) => i.label),
      ['!FuncADL_Uproot', '!UprootRaw', '!PythonFunction', '!TopCP'],
    );
    assert.deepEqual(items[0], {
      label: '!FuncADL_Uproot',
      kind: CompletionItemKind.Keyword,
      detail: 'func_adl query, codegen uproot',
      documentation: {
        kind: 'markdown',
        value:
          "A func_adl query over a flat ROOT tree, translated to qastle by the client. Start it with `FromTree('tree').` and keep it on one line (or use a folded `>` block): the client drops everything after the first line break.",
      },
      textEdit: { range, newText: "!FuncADL_Uproot |\n  FromTree('${1:tree}').Select(lambda e: {${2}})" },
      insertTextFormat: InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.adjustIndentation,
    });
  });

  test("Codegen offers the connected facility's code generators, or the known ones", () => {
    const facility = complete('General:\n  Codegen: ⟦up⟧\n', { codegens: () => ['uproot', 'atlasr25'] });
    assert.deepEqual(
      facility.items.map((i) => [i.label, i.detail]),
      [
        ['uproot', 'offered by the connected ServiceX'],
        ['atlasr25', 'offered by the connected ServiceX'],
      ],
    );
    const offline = complete('Sample:\n  - Codegen: ⟦⟧\n');
    assert.equal(offline.labels.length, 9);
    assert.equal(item(offline.items, 'uproot-raw')?.detail, 'known to the ServiceX client');
  });
});

describe('completion inside a !FuncADL_Uproot query', () => {
  const spec = (query: string) => `Sample:\n  - Name: a\n    Query: !FuncADL_Uproot |\n      ${query}\n`;

  test('after the stream, the stream operators come with a lambda over the event', () => {
    const { items, range } = complete(spec("FromTree('events').⟦Se⟧"));
    assert.deepEqual(
      items.map((i) => i.label),
      ['Select', 'Where', 'SelectMany', 'MetaData'],
    );
    assert.deepEqual(items[0], {
      label: 'Select',
      kind: CompletionItemKind.Method,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: 'Select(lambda ${1:e}: ${2})' },
      detail: 'Select(lambda x: expression)',
      documentation: {
        kind: 'markdown',
        value:
          '```python\nSelect(lambda x: expression)\n```\nMaps every element to the value of the lambda; a final `Select` returning a dict names the output columns.\n\nqastle: `(Select source (lambda (list x) …))`',
      },
      sortText: '00',
    });
  });

  test('after a branch, the collection operators come', () => {
    const { labels } = complete(spec("FromTree('events').Select(lambda e: e.Jet_pt.⟦⟧)"));
    assert.deepEqual(labels.slice(0, 6), ['Select', 'Where', 'SelectMany', 'First', 'Count', 'Sum']);
    assert.ok(labels.includes('OrderByDescending') && !labels.includes('MetaData'));
  });

  test('after the event, the branch names of the setting; identifiers by name, others by subscript', () => {
    const branchNames = () => ['Jet_pt', 'AnalysisElectronsAuxDyn.pt'];
    const { items, range } = complete(spec("FromTree('events').Select(lambda e: e.⟦J⟧)"), { branchNames });
    assert.deepEqual(items[0], {
      label: 'Jet_pt',
      kind: CompletionItemKind.Field,
      insertTextFormat: InsertTextFormat.PlainText,
      textEdit: { range, newText: 'Jet_pt' },
      detail: 'branch',
    });
    const subscript = { ...range, start: { ...range.start, character: range.start.character - 1 } };
    assert.deepEqual(items[1].textEdit, { range: subscript, newText: "['AnalysisElectronsAuxDyn.pt']" });
    assert.equal(items[1].filterText, '.AnalysisElectronsAuxDyn.pt');
    assert.equal(items.length, 2, 'no xAOD collections in an uproot query that names none');
  });

  test('without branch names, the event offers nothing', () => {
    assert.deepEqual(complete(spec("FromTree('events').Where(lambda e: e.⟦⟧)")).items, []);
  });

  test('the fields of a Select dict follow into the next operator', () => {
    const { labels } = complete(spec("FromTree('t').Select(lambda e: {'pt': e.x, 'eta': e.y}).Where(lambda r: r.⟦⟧)"));
    assert.deepEqual(labels, ['pt', 'eta']);
  });

  test('inside a string or a comment nothing is offered', () => {
    assert.deepEqual(complete(spec("FromTree('events.⟦⟧')")).items, []);
  });
});

describe('completion of xAOD queries in .funcadl files', () => {
  test('the event offers the collections of the type database, with their parameters', () => {
    const { items, range } = complete('Select(lambda e: e.⟦Je⟧)', {}, 'funcadl');
    assert.equal(items.length, 121);
    assert.deepEqual(item(items, 'Jets'), {
      label: 'Jets',
      kind: CompletionItemKind.Method,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: 'Jets()' },
      detail: 'Iterable[xAOD.Jet_v1]',
      documentation: {
        kind: 'markdown',
        value:
          '```python\nJets(collection: Optional[str] = None, calibrate: Optional[bool] = True) -> Iterable[xAOD.Jet_v1]\n```',
      },
    });
    assert.equal(item(items, 'TrackParticles')?.textEdit?.newText, 'TrackParticles("${1:TrackParticles}")');
  });

  test('a lambda over a collection knows its element class: jets offer their methods and return types', () => {
    const { items, range } = complete('Select(lambda e: e.Jets().Select(lambda j: j.⟦p⟧))', {}, 'funcadl');
    assert.deepEqual(item(items, 'pt'), {
      label: 'pt',
      kind: CompletionItemKind.Method,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: 'pt()' },
      detail: 'double',
      documentation: { kind: 'markdown', value: '```cpp\ndouble xAOD::Jet_v1::pt()\n```' },
    });
    assert.equal(item(items, 'getAttribute')?.textEdit?.newText, 'getAttribute[${1:cpp_float}](${2:name})');
    assert.equal(item(items, 'charge'), undefined, 'jets have no charge');
  });

  test('types follow SelectMany at the top and methods that return objects', () => {
    const flat = complete('SelectMany(lambda e: e.Muons()).Where(lambda m: m.⟦⟧)', {}, 'funcadl');
    assert.equal(item(flat.items, 'charge')?.detail, 'float');
    const track = complete('Select(lambda e: e.Muons().Select(lambda m: m.primaryTrackParticle().⟦⟧))', {}, 'funcadl');
    assert.equal(item(track.items, 'd0')?.detail, 'float');
  });

  test('the lambda placeholder is named after the element', () => {
    const { items } = complete('Select(lambda e: e.Jets().⟦⟧)', {}, 'funcadl');
    assert.equal(item(items, 'Where')?.textEdit?.newText, 'Where(lambda ${1:j}: ${2})');
  });
});

describe('completion inside !UprootRaw JSON', () => {
  const spec = (query: string) => `Sample:\n  - Name: a\n    Query: !UprootRaw |\n      ${query}\n`;

  test('a key of a sub-query offers the fields not written yet', () => {
    const { items, range } = complete(spec('[{"treename": "reco", "⟦fi⟧"}]'));
    assert.deepEqual(
      items.map((i) => i.label),
      [
        'filter_name',
        'expressions',
        'cut',
        'aliases',
        'filter_typename',
        'fail_on_missing_trees',
        'use_standard_awkward_axis',
        'copy_histograms',
      ],
    );
    assert.deepEqual(items[0].textEdit, { range, newText: 'filter_name' });
  });

  test('outside quotes the key is inserted with quotes and a value', () => {
    const { items } = complete(spec('[{⟦⟧}]'));
    assert.equal(item(items, 'cut')?.textEdit?.newText, '"cut": "${1}"');
  });

  test('in a cut, the awkward functions are offered', () => {
    const { items, range } = complete(spec('[{"treename": "reco", "cut": "⟦count_n⟧"}]'));
    assert.deepEqual(item(items, 'count_nonzero'), {
      label: 'count_nonzero',
      kind: CompletionItemKind.Function,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: 'count_nonzero(${1})' },
      detail: 'ak.count_nonzero',
      documentation: { kind: 'markdown', value: 'Calls `ak.count_nonzero` on the arrays it is given.' },
    });
    assert.deepEqual(complete(spec('[{"treename": "⟦n⟧"}]')).items, [], 'not in a tree name');
  });
});

describe('completion on a big spec', () => {
  test('a completion in the last sample of a 1 MB spec parses only that sample', () => {
    const sample = (i: number) =>
      `  - Name: s${i}\n    Dataset: !Rucio a:b${i}\n    Query: !FuncADL_Uproot |\n      FromTree('t').Select(lambda e: {'pt': e.pt})\n`;
    let body = '';
    for (let i = 0; body.length < 1_000_000; i++) body += sample(i);
    const source = `General:\n  Delivery: URLs\nSample:\n${body}  - Name: last\n    Query: !FuncADL_Uproot |\n      FromTree('t').⟦⟧\n`;
    const started = process.hrtime.bigint();
    const { labels } = complete(source);
    const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
    assert.deepEqual(labels, ['Select', 'Where', 'SelectMany', 'MetaData']);
    // A whole parse of this text takes about half a second; the sample around the cursor takes a few milliseconds.
    assert.ok(milliseconds < 250, `took ${milliseconds} ms`);
  });
});
