import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { createLanguageService } from '../../server/src/language/service';

// The outline a spec gets: General with its keys, Definition with its anchors, one symbol per sample.
const service = createLanguageService({ readFile: () => undefined });
const outline = (text: string) =>
  service.documentSymbols(TextDocument.create('file:///work/spec.yaml', 'yaml', 1, text));

const range = (line: number, character: number, endLine: number, endCharacter: number) => ({
  start: { line, character },
  end: { line: endLine, character: endCharacter },
});
function symbol(
  name: string,
  kind: SymbolKind,
  [full, selection]: [ReturnType<typeof range>, ReturnType<typeof range>],
  detail?: string,
  children: DocumentSymbol[] = [],
): DocumentSymbol {
  return { name, kind, range: full, selectionRange: selection, children, ...(detail ? { detail } : {}) };
}

describe('the outline of a spec', () => {
  test('names samples by their Name, with the dataset tag and code generator, and Dataset/Query inside', () => {
    const spec = [
      'General:',
      '  OutputFormat: parquet',
      '  Codegen: uproot',
      'Definition:',
      '  - &QUERY !FuncADL_Uproot |',
      "      FromTree('mini').Select(lambda e: e.lep_pt)",
      'Sample:',
      '  - Name: ttbar',
      '    Dataset: !Rucio user.a:ttbar',
      '    NFiles: 2',
      '    Query: *QUERY',
      '  - Name: data',
      '    RucioDID: user.a:data',
      '    Codegen: uproot-raw',
      '    Query: !UprootRaw \'[{"treename": "nominal"}]\'',
      '  - Dataset: !FileList [a.root]',
      '',
    ].join('\n');
    // Long values are cut to 40 characters.
    const query = "!FuncADL_Uproot FromTree('mini').Select(lambda e: e.lep_…";
    assert.deepEqual(outline(spec), [
      symbol('General', SymbolKind.Module, [range(0, 0, 2, 17), range(0, 0, 0, 7)], undefined, [
        symbol('OutputFormat', SymbolKind.Property, [range(1, 2, 1, 23), range(1, 2, 1, 14)], 'parquet'),
        symbol('Codegen', SymbolKind.Property, [range(2, 2, 2, 17), range(2, 2, 2, 9)], 'uproot'),
      ]),
      symbol('Definition', SymbolKind.Namespace, [range(3, 0, 5, 49), range(3, 0, 3, 10)], undefined, [
        symbol('&QUERY', SymbolKind.Constant, [range(4, 4, 5, 49), range(4, 4, 4, 10)], query),
      ]),
      symbol('Sample', SymbolKind.Array, [range(6, 0, 15, 31), range(6, 0, 6, 6)], undefined, [
        symbol('ttbar', SymbolKind.Object, [range(7, 2, 10, 17), range(7, 10, 7, 15)], '!Rucio · uproot', [
          symbol('Dataset', SymbolKind.Property, [range(8, 4, 8, 32), range(8, 4, 8, 11)], '!Rucio user.a:ttbar'),
          symbol('Query', SymbolKind.Property, [range(10, 4, 10, 17), range(10, 4, 10, 9)], query),
        ]),
        symbol('data', SymbolKind.Object, [range(11, 2, 14, 49), range(11, 10, 11, 14)], 'RucioDID · uproot-raw', [
          symbol('RucioDID', SymbolKind.Property, [range(12, 4, 12, 25), range(12, 4, 12, 12)], 'user.a:data'),
          symbol(
            'Query',
            SymbolKind.Property,
            [range(14, 4, 14, 49), range(14, 4, 14, 9)],
            '!UprootRaw [{"treename": "nominal"}]',
          ),
        ]),
        symbol('Sample 3', SymbolKind.Object, [range(15, 2, 15, 31), range(15, 4, 15, 31)], '!FileList · uproot', [
          symbol('Dataset', SymbolKind.Property, [range(15, 4, 15, 31), range(15, 4, 15, 11)], '!FileList'),
        ]),
      ]),
    ]);
  });

  test('the code generator defaults to the query tag’s', () => {
    const [sample] = outline('Sample:\n  - Name: a\n    Query: !PythonFunction |\n      def run_query(f): pass\n');
    assert.equal(sample.children?.[0].detail, 'python');
  });

  test('YAML that is not a spec, or whose top level is not a mapping, has no outline', () => {
    assert.deepEqual(outline('- &A !Rucio a:b\n'), []);
    assert.deepEqual(
      service.documentSymbols(TextDocument.create('file:///work/pod.yaml', 'yaml', 1, 'kind: Pod\n')),
      [],
    );
  });
});
