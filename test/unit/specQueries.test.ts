import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueryAnalysis } from '../../server/src/language/funcadl';
import { checkPythonSource } from '../../server/src/language/spec/python';
import { checkMarked, codesOf, type Expected } from '../fixtures/specs/markers';

const spec = (query: string, general = '') =>
  `${general}Sample:\n  - Name: a\n    Dataset: !Rucio user.a:b\n    Query: ${query}\n`;

describe('!UprootRaw queries (servicex-facts.md §6)', () => {
  test('a JSON syntax error is placed on its character inside a | block', () => {
    const { actual, expected } = checkMarked(spec('!UprootRaw |\n      [{"treename": "nominal"⟦,⟧}]'), [
      {
        code: 'spec/uproot-raw-json',
        severity: 'error',
        message: '!UprootRaw is not valid JSON: JSON allows no comma before "}"; remove it.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('Python dict syntax is not JSON: single quotes are pointed out', () => {
    const { actual, expected } = checkMarked(spec(`!UprootRaw |\n      [{⟦'⟧treename': 'reco'}]`), [
      {
        code: 'spec/uproot-raw-json',
        severity: 'error',
        message: `!UprootRaw is not valid JSON: JSON keys need double quotes: write "treename", not 'treename'.`,
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('in a single-quoted scalar, positions account for the doubled quotes', () => {
    const { actual, expected } = checkMarked(spec(`!UprootRaw '[{"treename": "it''s", ⟦"cutt"⟧: "x > 1"}]'`), [
      {
        code: 'spec/uproot-raw-unknown-field',
        severity: 'warning',
        message: 'Unknown field "cutt": the client drops it without a word. Did you mean "cut"?',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('field types follow the client model', () => {
    const { actual, expected } = checkMarked(
      spec('!UprootRaw |\n      [{"treename": "t", "cut": ⟦["a"]⟧, "aliases": ⟦{"x": 1}⟧}]'),
      [
        { code: 'spec/uproot-raw-type', severity: 'error', message: '"cut" must be a string.' },
        {
          code: 'spec/uproot-raw-type',
          severity: 'error',
          message: '"aliases" must be a mapping of names to expressions (strings).',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('each sub-query names a tree or histograms to copy', () => {
    const { actual, expected } = checkMarked(spec('!UprootRaw |\n      [⟦{"filter_name": "jet_*"}⟧]'), [
      {
        code: 'spec/uproot-raw-no-tree',
        severity: 'error',
        message:
          'This sub-query names no tree: add "treename" (or "copy_histograms" to copy objects). ServiceX rejects it with "At least one tree or histogram must be specified".',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('histograms cannot go to parquet output, and tree fields in a histogram copy are ignored', () => {
    const query =
      '!UprootRaw |\n      [{"treename": {"reco": "out"}, "filter_name": ["/mu.*/", "jet_pt_*"]}, {⟦"copy_histograms"⟧: ["CutBookkeeper*"], ⟦"cut"⟧: "x"}]';
    const { actual, expected } = checkMarked(spec(query, 'General:\n  OutputFormat: parquet\n'), [
      {
        code: 'spec/uproot-raw-histograms-parquet',
        severity: 'error',
        message:
          'Histograms can only be copied into ROOT output: set General.OutputFormat to root-ttree, or remove "copy_histograms".',
      },
      {
        code: 'spec/uproot-raw-ignored-field',
        severity: 'warning',
        message:
          '"cut" is ignored here: a {"copy_histograms": ...} sub-query copies objects only; add "treename" to read a tree.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('an empty list asks for nothing; one object without a list is fine', () => {
    assert.deepEqual(codesOf(spec("!UprootRaw '[]'")), ['warning spec/uproot-raw-empty']);
    assert.deepEqual(
      codesOf(spec(`!UprootRaw '{"treename": "CollectionTree", "filter_name": "AnalysisElectronsAuxDyn.pt"}'`)),
      [],
    );
  });
});

describe('!PythonFunction queries', () => {
  test('the code must define a top-level run_query', () => {
    const { actual, expected } = checkMarked(
      spec('!PythonFunction |\n      ⟦def query(files):⟧\n          return files'),
      [
        {
          code: 'spec/python-run-query',
          severity: 'error',
          message:
            'ServiceX calls run_query(<input file>) on this code: define it at the top level, for example "def run_query(input_filenames=None):".',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('run_query takes the input file', () => {
    const { actual, expected } = checkMarked(spec('!PythonFunction |\n      ⟦def run_query⟧():\n          return []'), [
      {
        code: 'spec/python-run-query',
        severity: 'error',
        message:
          'run_query is called with the input file path: give it a parameter, for example "def run_query(input_filenames=None):".',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('non-ASCII text fails in the ServiceX code generator, even in a comment', () => {
    const { actual, expected } = checkMarked(
      spec('!PythonFunction |\n      def run_query(f):  # p⟦ₜ⟧ in GeV\n          return f'),
      [
        {
          code: 'spec/python-non-ascii',
          severity: 'error',
          message:
            'The ServiceX Python code generator decodes the code as ASCII, so "ₜ" makes the transform fail, even in a comment or a string; use ASCII (for example \\u escapes in strings).',
        },
      ],
    );
    assert.deepEqual(actual, expected);
  });

  test('unbalanced brackets and unterminated strings are syntax errors, found without running anything', () => {
    // Like Python, the checker reports the first syntax error only: here the bracket, whose line comes first.
    const bracket = checkMarked(
      spec(
        '!PythonFunction |\n      def run_query(f):\n          x = ⟦[⟧1, 2\n          s = "abc"\n          return x',
      ),
      [
        {
          code: 'spec/python-syntax',
          severity: 'error',
          message: 'Python syntax error here: this "[" is never closed.',
        },
      ],
    );
    assert.deepEqual(bracket.actual, bracket.expected);
    const string = checkMarked(
      spec('!PythonFunction |\n      def run_query(f):\n          s = ⟦"abc⟧\n          return s'),
      [
        {
          code: 'spec/python-syntax',
          severity: 'error',
          message: 'Python syntax error here: this string ends at the end of the line without its closing ".',
        },
      ],
    );
    assert.deepEqual(string.actual, string.expected);
  });

  test('source cut off at any character is read to its end', () => {
    const source = 'def run_query(input_filenames=None):\n    return [f"{x}" for x in (1, 2)]  # done\\\n';
    for (let cut = 0; cut <= source.length; cut++) assert.ok(Array.isArray(checkPythonSource(source.slice(0, cut))));
  });

  test('the client example with a dict subscript and a with block is fine', () => {
    const query = `!PythonFunction |
      def run_query(input_filenames=None):
          import uproot

          with uproot.open({input_filenames:"CollectionTree"}) as o:
            br = o.arrays("AnalysisElectronsAuxDyn.pt")
          return br`;
    assert.deepEqual(codesOf(spec(query)), []);
  });
});

describe('!TopCP queries', () => {
  const files = { readFile: (path: string) => (path === '/specs/reco.yaml' ? 'CommonServices: {}\n' : undefined) };

  test('key=value pairs as the client reads them, quotes optional', () => {
    assert.deepEqual(codesOf(spec(`!TopCP 'reco="reco.yaml"'`), files), []);
    assert.deepEqual(codesOf(spec('!TopCP |\n      reco=reco.yaml,\n      max_events="1000"'), files), []);
  });

  test('an unknown option is refused, with the closest one', () => {
    const { actual, expected } = checkMarked(
      spec('!TopCP |\n      reco=reco.yaml, ⟦max_event⟧=10'),
      [
        {
          code: 'spec/topcp-unknown-key',
          severity: 'error',
          message:
            '!TopCP has no option "max_event"; it takes reco, parton, particle, max_events, no_systematics, no_filter, image. Did you mean max_events?',
        },
      ],
      files,
    );
    assert.deepEqual(actual, expected);
  });

  test('without reco, parton or particle the client says "No yaml provided!"', () => {
    const { actual, expected } = checkMarked(spec(`!TopCP '⟦max_events=10⟧'`), [
      {
        code: 'spec/topcp-no-yaml',
        severity: 'error',
        message:
          'No yaml provided!: give at least one of reco=, parton= or particle= with the path of a TopCP configuration.',
      },
    ]);
    assert.deepEqual(actual, expected);
  });

  test('pairs on separate lines without a comma are not read', () => {
    const { actual, expected } = checkMarked(
      spec('!TopCP |\n      ⟦⟦reco=reco.yaml⟧\n      no_filter=true⟧'),
      [
        {
          code: 'spec/topcp-syntax',
          severity: 'warning',
          message:
            'The client does not read this text: write key=value pairs separated by commas, for example reco=reco.yaml, max_events=1000.',
        },
        {
          code: 'spec/topcp-no-yaml',
          severity: 'error',
          message:
            'No yaml provided!: give at least one of reco=, parton= or particle= with the path of a TopCP configuration.',
        },
      ],
      files,
    );
    assert.deepEqual(actual, expected);
  });

  test('values are checked: whole numbers, booleans, and files that can be found', () => {
    assert.deepEqual(codesOf(spec(`!TopCP 'reco=reco.yaml, max_events=1e3, no_filter=perhaps'`), files), [
      'error spec/topcp-value',
      'error spec/topcp-value',
    ]);
    assert.deepEqual(codesOf(spec(`!TopCP 'reco=missing.yaml'`), files), ['information spec/topcp-file-not-found']);
  });
});

describe('!FuncADL_Uproot queries: problems from the func_adl engine land on the right characters', () => {
  /** A stand-in engine that reports one problem on the first occurrence of `word` in the query text. */
  const engineFlagging =
    (word: string) =>
    (text: string): QueryAnalysis => {
      const start = text.indexOf(word);
      return {
        problems: [{ start, end: start + word.length, code: 'funcadl/test', severity: 'error', message: 'flagged' }],
      };
    };
  const flagged: Expected = { code: 'funcadl/test', severity: 'error', message: 'flagged' };

  test('in a | block', () => {
    const { actual, expected } = checkMarked(
      spec("!FuncADL_Uproot |\n      FromTree('mini').⟦Selec⟧(lambda e: e.x)"),
      [flagged],
      {
        analyzeUprootQuery: engineFlagging('Selec'),
      },
    );
    assert.deepEqual(actual, expected);
  });

  test('in a > block, across a folded line break', () => {
    const { actual, expected } = checkMarked(
      spec("!FuncADL_Uproot >\n      FromTree('mini').Select(lambda e: ⟦e.x)\n      .Where⟧(lambda e: e > 1)"),
      [flagged],
      {
        analyzeUprootQuery: engineFlagging('e.x) .Where'),
      },
    );
    assert.deepEqual(actual, expected);
  });

  test('in a double-quoted scalar after escapes', () => {
    const { actual, expected } = checkMarked(
      spec(String.raw`!FuncADL_Uproot "FromTree(\"mini\").Select(lambda e: e[\"⟦lep_pt⟧\"])"`),
      [flagged],
      {
        analyzeUprootQuery: engineFlagging('lep_pt'),
      },
    );
    assert.deepEqual(actual, expected);
  });

  test('a query defined once under Definition and used twice is reported once, at the definition', () => {
    const text = `Definition:\n  - &Q !FuncADL_Uproot |\n    FromTree('mini').⟦Selec⟧(lambda e: e.x)\nSample:\n  - Name: a\n    Dataset: !Rucio u:a\n    Query: *Q\n  - Name: b\n    Dataset: !Rucio u:b\n    Query: *Q\n`;
    const { actual, expected } = checkMarked(text, [flagged], { analyzeUprootQuery: engineFlagging('Selec') });
    assert.deepEqual(actual, expected);
  });
});
