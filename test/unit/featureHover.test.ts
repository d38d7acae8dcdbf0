import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/language/service';
import { marked } from '../fixtures/specs/markers';

// ⟦…⟧ marks the word a hover is about; the cursor is in its middle.
const XAOD = join(__dirname, '..', '..', '..', 'server', 'data', 'xaod', 'xaod_r25.yaml');
const service = createLanguageService({
  readFile: (path) => (path === XAOD ? readFileSync(path, 'utf8') : undefined),
  xaodDatabasePath: XAOD,
});

function hover(source: string, languageId = 'yaml') {
  const { text, ranges } = marked(source);
  const uri = languageId === 'funcadl' ? 'file:///work/query.funcadl' : 'file:///work/spec.yaml';
  const document = TextDocument.create(uri, languageId, 1, text);
  const [marker] = ranges;
  const range = { start: document.positionAt(marker.start), end: document.positionAt(marker.end) };
  const result = service.hover(document, document.positionAt(Math.floor((marker.start + marker.end) / 2)));
  return { result, range };
}

const markdown = (value: string) => ({ kind: 'markdown', value });

describe('hover in a spec', () => {
  test('a key explains its type, default and meaning in its mapping', () => {
    const { result, range } = hover('General:\n  ⟦OutputFormat⟧: parquet\n');
    assert.deepEqual(result, {
      contents: markdown(
        '**OutputFormat** — parquet | root-ttree | root-rntuple (default root-ttree)\n\nThe file format ServiceX writes. REST names differ: `root-ttree` is sent as `root-file`.',
      ),
      range,
    });
  });

  test('the same key says something else in a sample than in General', () => {
    const { result } = hover('Sample:\n  - Name: a\n    ⟦Codegen⟧: uproot\n');
    assert.match(
      (result?.contents as { value: string }).value,
      /^\*\*Codegen\*\* — code generator name \(default: General/,
    );
  });

  test('a tag explains what it reads and sends', () => {
    const { result, range } = hover('Sample:\n  - Dataset: ⟦!CERNOpenData⟧ 179\n');
    assert.deepEqual(result, {
      contents: markdown(
        '**!CERNOpenData** — CERN Open Data record id\n\nA CERN Open Data record, by its integer id: sent as `cernopendata://179`.',
      ),
      range,
    });
  });

  test('an enum value explains itself', () => {
    const { result, range } = hover('General:\n  Delivery: ⟦URLs⟧\n');
    assert.deepEqual(result, {
      contents: markdown('**URLs**\n\nReturn presigned URLs of the results instead of downloading them.'),
      range,
    });
  });

  test('a plain value and an unknown key have no hover', () => {
    assert.equal(hover('Sample:\n  - Name: ⟦ttbar⟧\n').result, null);
    assert.equal(hover('Sample:\n  - ⟦Colour⟧: red\n').result, null);
  });
});

describe('hover in queries', () => {
  test('a LINQ operator inside a !FuncADL_Uproot block explains itself, placed on the document', () => {
    const { result, range } = hover(
      "Sample:\n  - Query: !FuncADL_Uproot |\n      FromTree('t').Select(lambda e: e.Jet_pt.⟦Where⟧(lambda j: j > 30))\n",
    );
    assert.deepEqual(result, {
      contents: markdown(
        '```python\nWhere(lambda x: condition)\n```\nKeeps the elements for which the lambda is true; it must return a boolean.\n\nqastle: `(Where source (lambda (list x) …))`',
      ),
      range,
    });
  });

  test('an xAOD method shows its C++ return type and arguments', () => {
    const { result, range } = hover(
      "Select(lambda e: e.Jets().Select(lambda j: j.⟦getAttribute⟧[cpp_float]('EMFrac')))",
      'funcadl',
    );
    assert.deepEqual(result, {
      contents: markdown(
        '```cpp\nU xAOD::Jet_v1::getAttribute[attribute_type: cpp_type[U]](str name)\n```\nMethod of `xAOD.Jet_v1`.',
      ),
      range,
    });
  });

  test('an event collection shows its parameters and element type', () => {
    const { result } = hover('Select(lambda e: e.⟦Electrons⟧())', 'funcadl');
    assert.deepEqual(
      result?.contents,
      markdown(
        '```python\nElectrons(collection: Optional[str] = None, calibrate: Optional[bool] = True) -> Iterable[xAOD.Electron_v1]\n```\nEvent collection of `xAOD::Electron_v1`.',
      ),
    );
  });

  test('a lambda parameter shows what it stands for', () => {
    const { result } = hover('Select(lambda e: e.Muons().Select(lambda ⟦m⟧: m.pt()))', 'funcadl');
    assert.deepEqual(result?.contents, markdown('```python\n(parameter) m: xAOD.Muon_v1\n```'));
  });

  test('a field of !UprootRaw JSON explains itself', () => {
    const { result, range } = hover('Sample:\n  - Query: !UprootRaw \'[{⟦"filter_name"⟧: ["jet_*"]}]\'\n');
    assert.deepEqual(result, {
      contents: markdown('**filter_name**\n\nWhich branches to read: names, `*` globs or `/regex/` patterns.'),
      range,
    });
  });
});
