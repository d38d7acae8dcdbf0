import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkPythonSource, dedentPython } from '../../server/src/language/spec/python';
import { checkMarked, codesOf, type Expected } from '../fixtures/specs/markers';

const spec = (query: string) => `Sample:\n  - Name: a\n    Dataset: !Rucio user.a:b\n    Query: ${query}\n`;
const block = (...lines: string[]) => spec(`!PythonFunction |\n${lines.map((l) => `      ${l}`).join('\n')}`);
const syntax = (message: string): Expected => ({
  code: 'spec/python-syntax',
  severity: 'error',
  message: `Python syntax error here: ${message}`,
});
const runQuery = (message: string): Expected => ({ code: 'spec/python-run-query', severity: 'error', message });

function assertMarked(source: string, expected: readonly Expected[]): void {
  const result = checkMarked(source, expected);
  assert.deepEqual(result.actual, result.expected);
}

describe('!PythonFunction source is parsed, never run (servicex-facts.md §3.4, §3.6)', () => {
  test('a valid function is fine in a | block, a folded scalar and a double-quoted scalar', () => {
    assert.deepEqual(codesOf(block('def run_query(input_filenames=None):', '    return [input_filenames]')), []);
    assert.deepEqual(codesOf(spec('!PythonFunction >\n      def run_query(f):\n\n          return f\n')), []);
    assert.deepEqual(codesOf(spec('!PythonFunction "def run_query(f):\\n    return f\\n"')), []);
  });

  test('a statement the old bracket scan accepted, i ==== 18, is an error on its token', () => {
    assertMarked(block('def run_query(f):', '    i = 0', '    i ==⟦==⟧ 18', '    return f'), [
      syntax('unexpected "==".'),
    ]);
  });

  test('an error in a double-quoted scalar is placed on the source characters of the escape-free text', () => {
    assertMarked(spec('!PythonFunction "def run_query(f):\\n    x = f(a ⟦b⟧)\\n"'), [
      syntax('unexpected name "b". Is a comma or an operator missing before it?'),
    ]);
  });

  test('a missing ":" is shown at the end of its line', () => {
    assertMarked(block('def run_query(f⟦)⟧', '    return f'), [syntax('the "def" line must end with ":".')]);
    assertMarked(block('def run_query(f):', '    for x in ⟦f⟧', '        pass'), [
      syntax('the "for" line must end with ":".'),
    ]);
  });

  test('an unclosed bracket is shown where it opens', () => {
    assertMarked(block('def run_query(f):', '    x = foo⟦(⟧f,', '    return x'), [syntax('this "(" is never closed.')]);
  });

  test('indentation that matches no block, and an empty block, are errors', () => {
    assertMarked(block('def run_query(f):', '    x = 1', '⟦  ⟧return x'), [
      syntax('this indentation matches no enclosing block; line it up with its block.'),
    ]);
    assertMarked(block('def run_query(f):', '⟦return⟧ f'), [
      syntax('the lines after "def ...:" must be indented to form its body.'),
    ]);
  });

  test('Python 2 print and "=" in a condition get a hint', () => {
    assertMarked(block('def run_query(f):', '    ⟦print⟧ f', '    return f'), [
      syntax('print is a function in Python 3; write print(...) with parentheses.'),
    ]);
    assertMarked(block('def run_query(f):', '    if f ⟦=⟧ 1:', '        return f'), [
      syntax('unexpected "=". To compare two values, write "==".'),
    ]);
  });

  test('run_query only inside a class is not module level', () => {
    assertMarked(block('⟦class Q:⟧', '    def run_query(self, f):', '        return f'), [
      runQuery(
        'ServiceX calls run_query(<input file>) on this code: define it at the top level, for example "def run_query(input_filenames=None):".',
      ),
    ]);
  });

  test('run_query must accept the input file as its only argument', () => {
    assertMarked(block('⟦def run_query⟧(*, f):', '    return f'), [
      runQuery(
        'run_query is called with the input file path: give it a parameter, for example "def run_query(input_filenames=None):".',
      ),
    ]);
    assertMarked(block('⟦def run_query⟧(f, tree):', '    return f'), [
      runQuery(
        'ServiceX passes run_query only the input file path, so "tree" must have a default value (for example tree=None).',
      ),
    ]);
    assert.deepEqual(codesOf(block('def run_query(*files, tree="t", **options):', '    return files')), []);
  });

  test('a decorated run_query is accepted; an async one would hand ServiceX a coroutine', () => {
    // The decorator is the user's business: it runs in the transformer, and a syntax check cannot judge it.
    assert.deepEqual(
      codesOf(block('import functools', '@functools.lru_cache', 'def run_query(f):', '    return f')),
      [],
    );
    assertMarked(block('⟦async def run_query⟧(f):', '    return f'), [
      runQuery(
        'ServiceX calls run_query without await, so an async def would hand it a coroutine instead of arrays: use a plain def.',
      ),
    ]);
  });

  test('a module with imports, constants, helpers and a guarded def is fine', () => {
    const source = block(
      'import uproot',
      'TREE = "CollectionTree"',
      '',
      'def helper(x):',
      '    return x',
      '',
      'if True:',
      '    def run_query(input_filenames=None):',
      '        with uproot.open({input_filenames: TREE}) as o:',
      '            return helper(o.arrays(["pt"]))',
    );
    assert.deepEqual(codesOf(source), []);
  });

  test('non-ASCII text is still reported next to a syntax error', () => {
    assertMarked(block('def run_query(f):', '    x = ⟦"⟦é⟧⟧', '    return f'), [
      syntax('this string ends at the end of the line without its closing ".'),
      {
        code: 'spec/python-non-ascii',
        severity: 'error',
        message:
          'The ServiceX Python code generator decodes the code as ASCII, so "é" makes the transform fail, even in a comment or a string; use ASCII (for example \\u escapes in strings).',
      },
    ]);
  });
});

describe('!PythonFunction checking stays bounded', () => {
  test('the client dedent keeps offsets into the original text', () => {
    const original = '    def run_query(f):\n  \n        return f\n';
    const source = dedentPython(original);
    assert.equal(source.value, 'def run_query(f):\n\n    return f\n');
    assert.equal(source.toOriginal(source.value.indexOf('return')), original.indexOf('return'));
    assert.equal(source.toOriginal(source.value.indexOf('\n\n') + 1), original.indexOf('  \n') + 2);
  });

  test('10,000 nested brackets, 1 MB of code and binary garbage give a bounded answer quickly', () => {
    const cases = [
      `def run_query(f):\n    return ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      `def run_query(f):\n    return ${'[{'.repeat(5_000)}\n`,
      `def run_query(f):\n    return f\n${'x = [1, 2, 3]\n'.repeat(80_000)}`,
      Array.from({ length: 1_000_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
      `x = ${'-'.repeat(100_000)}1\n`,
    ];
    for (const text of cases) {
      const started = performance.now();
      const findings = checkPythonSource(text);
      assert.ok(findings.filter((f) => f.rule === 'python-syntax').length <= 1);
      assert.ok(findings.length <= 23, `${findings.length} findings`);
      assert.ok(performance.now() - started < 2_000, 'took too long');
    }
  });

  test('nothing in the Python checker can run code', () => {
    for (const file of ['python.ts', 'pythonSyntax.ts', 'pythonTokens.ts']) {
      const text = readFileSync(join(__dirname, '../../../server/src/language/spec', file), 'utf8');
      // Comments may say what the Python client does with the code; only the code itself matters here.
      const code = text
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line))
        .join('\n');
      assert.doesNotMatch(
        code,
        /\beval\(|\bFunction\(|child_process|(?<!\.)\bexec(File|Sync)?\(|\bspawn|\bfork\(|node:vm/,
      );
    }
  });
});
