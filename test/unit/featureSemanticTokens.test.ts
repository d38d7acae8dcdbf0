import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService, SEMANTIC_TOKENS_LEGEND } from '../../server/src/language/service';

// Semantic tokens are decoded back into the text they cover and their type name, so a test reads like the query.
const service = createLanguageService({ readFile: () => undefined });

function decode(text: string, languageId = 'yaml'): [string, string][] {
  const uri = languageId === 'funcadl' ? 'file:///work/q.funcadl' : 'file:///work/spec.yaml';
  const document = TextDocument.create(uri, languageId, 1, text);
  const { data } = service.semanticTokens(document);
  const lines = text.split('\n');
  const tokens: [string, string][] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    tokens.push([
      lines[line].slice(character, character + data[i + 2]),
      SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]],
    ]);
  }
  return tokens;
}

describe('semantic tokens of func_adl queries', () => {
  test('a query in a spec block is coloured on the document, and the rest of the spec is not', () => {
    const spec = [
      'Sample:',
      '  - Name: a',
      '    Query: !FuncADL_Uproot |',
      "      FromTree('mini').Where(lambda e: e.n > 2 and not e.bad).Select(lambda e: {'pt': e.pt})",
      '',
    ].join('\n');
    assert.deepEqual(decode(spec), [
      ['FromTree', 'function'],
      ["'mini'", 'string'],
      ['Where', 'method'],
      ['lambda', 'keyword'],
      ['e', 'parameter'],
      ['e', 'parameter'],
      ['n', 'property'],
      ['2', 'number'],
      ['and', 'keyword'],
      ['not', 'keyword'],
      ['e', 'parameter'],
      ['bad', 'property'],
      ['Select', 'method'],
      ['lambda', 'keyword'],
      ['e', 'parameter'],
      ["'pt'", 'string'],
      ['e', 'parameter'],
      ['pt', 'property'],
    ]);
  });

  test('a folded query spread over lines and a quoted one are mapped line by line', () => {
    const spec = [
      'Definition:',
      '  - &Q !FuncADL_Uproot >-',
      "    FromTree('t')",
      '    .Select(lambda ev: ev.x)',
      `  - !FuncADL_Uproot "Select(lambda e: np.abs(e.y))"`,
      '',
    ].join('\n');
    assert.deepEqual(decode(spec), [
      ['FromTree', 'function'],
      ["'t'", 'string'],
      ['Select', 'method'],
      ['lambda', 'keyword'],
      ['ev', 'parameter'],
      ['ev', 'parameter'],
      ['x', 'property'],
      ['Select', 'method'],
      ['lambda', 'keyword'],
      ['e', 'parameter'],
      ['np', 'variable'],
      ['abs', 'method'],
      ['e', 'parameter'],
      ['y', 'property'],
    ]);
  });

  test('a .funcadl file is coloured whole; a name outside any lambda is a variable', () => {
    assert.deepEqual(decode('Select(lambda j: j.pt() / 1000.0 * scale) # GeV\n', 'funcadl'), [
      ['Select', 'method'],
      ['lambda', 'keyword'],
      ['j', 'parameter'],
      ['j', 'parameter'],
      ['pt', 'method'],
      ['1000.0', 'number'],
      ['scale', 'variable'],
      ['# GeV', 'comment'],
    ]);
  });

  test('the legend lists the token types in the order their indices refer to', () => {
    assert.deepEqual(SEMANTIC_TOKENS_LEGEND, {
      tokenTypes: ['keyword', 'method', 'parameter', 'string', 'number', 'property', 'function', 'variable', 'comment'],
      tokenModifiers: [],
    });
  });
});
