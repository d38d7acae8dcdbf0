import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isScalar, parseDocument, Scalar, visit } from 'yaml';
import { mapScalar, toDocumentRange } from '../../server/src/language/spec/scalarOffsets';
import { marked } from '../fixtures/specs/markers';

/** The value of the scalar under key `q` in a marked fixture, and where [start, end) of that value lands. */
function place(source: string, valueText: string, occurrence = 0, length = valueText.length) {
  const { text, ranges } = marked(source);
  const document = parseDocument(text, { keepSourceTokens: true });
  const node = document.get('q', true);
  assert.ok(isScalar(node), 'the fixture has a scalar under q');
  const mapped = mapScalar(node);
  assert.ok(mapped, 'the scalar maps');
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = mapped.value.indexOf(valueText, start + 1);
  assert.ok(start >= 0, `"${valueText}" is in the value ${JSON.stringify(mapped.value)}`);
  return { value: mapped.value, actual: toDocumentRange(mapped, start, start + length), expected: ranges[0] };
}

describe('offsets in a scalar value map back to the document', () => {
  test('plain scalar on one line: one to one', () => {
    const { actual, expected } = place('q: FromTree("t").⟦Select⟧(lambda e:e.pt)\n', 'Select');
    assert.deepEqual(actual, expected);
  });

  test('plain scalar over lines: a line break folds into a space that maps to the break', () => {
    const { value, actual, expected } = place('q: first⟦\n⟧   second line\n', ' ', 0);
    assert.equal(value, 'first second line');
    assert.deepEqual(actual, expected);
    const second = place('q: first\n   ⟦second⟧ line\n', 'second');
    assert.deepEqual(second.actual, second.expected);
  });

  test('plain scalar with an empty line: the empty line becomes a newline', () => {
    const { value, actual, expected } = place('q: a\n\n   ⟦b⟧\n', 'b');
    assert.equal(value, 'a\nb');
    assert.deepEqual(actual, expected);
  });

  test("single-quoted: '' is one quote covering both source quotes", () => {
    const { value, actual, expected } = place("q: 'it⟦''⟧s here'\n", "'");
    assert.equal(value, "it's here");
    assert.deepEqual(actual, expected);
    const after = place("q: 'it''s ⟦here⟧'\n", 'here');
    assert.deepEqual(after.actual, after.expected);
  });

  test('single-quoted over lines folds like a plain scalar', () => {
    const { value, actual, expected } = place('q: \'[{"treename":\n     ⟦"nominal"⟧}]\'\n', '"nominal"');
    assert.equal(value, '[{"treename": "nominal"}]');
    assert.deepEqual(actual, expected);
  });

  test('double-quoted: an escape maps to the whole escape sequence', () => {
    const tab = place(String.raw`q: "a⟦\t⟧b"` + '\n', '\t');
    assert.equal(tab.value, 'a\tb');
    assert.deepEqual(tab.actual, tab.expected);
    const quote = place(String.raw`q: "say ⟦\"⟧hi\""` + '\n', '"');
    assert.deepEqual(quote.actual, quote.expected);
    const e = place(String.raw`q: "caf⟦\u00e9⟧ au lait"` + '\n', 'é');
    assert.deepEqual(e.actual, e.expected);
  });

  test('double-quoted: a character outside the BMP is two units mapped to one escape', () => {
    const { value, actual, expected } = place(String.raw`q: "smile ⟦\U0001F600⟧!"` + '\n', '😀');
    assert.equal(value, 'smile 😀!');
    assert.deepEqual(actual, expected);
  });

  test('double-quoted: text after escapes stays exact', () => {
    const { actual, expected } = place(String.raw`q: "\x41\n\\ ⟦Where⟧"` + '\n', 'Where');
    assert.deepEqual(actual, expected);
  });

  test('double-quoted: a backslash-newline joins lines and drops the next indentation', () => {
    const source =
      'q: "root://eospublic.cern.ch//eos/opendata/atlas/OutreachDatasets\\\n       ⟦/2020-01-22⟧/4lep/x.root"\n';
    const { value, actual, expected } = place(source, '/2020-01-22');
    assert.equal(value, 'root://eospublic.cern.ch//eos/opendata/atlas/OutreachDatasets/2020-01-22/4lep/x.root');
    assert.deepEqual(actual, expected);
  });

  test('double-quoted: an unescaped line break folds into a space', () => {
    const { value, actual, expected } = place('q: "one  ⟦\n⟧  two"\n', ' ');
    assert.equal(value, 'one two');
    assert.deepEqual(actual, expected);
  });

  test('literal block |: lines keep their breaks and extra indentation', () => {
    const { value, actual, expected } = place('q: |\n  line one\n    ⟦more⟧ indented\n  line three\n', 'more');
    assert.equal(value, 'line one\n  more indented\nline three\n');
    assert.deepEqual(actual, expected);
  });

  test('literal block with an indentation indicator and strip chomping |2-', () => {
    const { value, actual, expected } = place('q: |2-\n     x\n    ⟦y⟧\n\n', 'y');
    assert.equal(value, '   x\n  y');
    assert.deepEqual(actual, expected);
  });

  test('literal block with keep chomping |+: trailing newlines map to the trailing breaks', () => {
    const { value, actual, expected } = place('q: |+\n  x\n⟦\n⟧\nnext: 1\n', '\n', 1);
    assert.equal(value, 'x\n\n\n');
    assert.deepEqual(actual, expected);
  });

  test('folded block >: lines join with a space mapped to the line break', () => {
    const join = place("q: >\n  FromTree('t').Select(lambda e: e)⟦\n⟧  .Where(lambda e: e > 1)\n", ' .', 0, 1);
    assert.equal(join.value, "FromTree('t').Select(lambda e: e) .Where(lambda e: e > 1)\n");
    assert.deepEqual(join.actual, join.expected);
    const where = place("q: >\n  FromTree('t').Select(lambda e: e)\n  ⟦.Where⟧(lambda e: e > 1)\n", '.Where');
    assert.deepEqual(where.actual, where.expected);
  });

  test('folded block: more-indented lines and empty lines keep their breaks', () => {
    const { value, actual, expected } = place('q: >-\n  a\n\n  b\n    ⟦c⟧\n  d\n', 'c');
    assert.equal(value, 'a\nb\n  c\nd');
    assert.deepEqual(actual, expected);
  });

  test('a range spanning a fold covers both lines', () => {
    const { actual, expected } = place('q: >\n  ⟦first\n  second⟧\n', 'first second');
    assert.deepEqual(actual, expected);
  });

  test('Windows line endings: a CRLF break is one unit of two characters', () => {
    const literal = place('q: |\r\n  x\r\n  ⟦y⟧\r\n', 'y');
    assert.equal(literal.value, 'x\ny\n');
    assert.deepEqual(literal.actual, literal.expected);
    const folded = place('q: >\r\n  x⟦\r\n⟧  y\r\n', ' ');
    assert.deepEqual(folded.actual, folded.expected);
  });

  test('the end of the value maps just after its last character', () => {
    const { text } = marked('q: abc\n');
    const node = parseDocument(text, { keepSourceTokens: true }).get('q', true) as Scalar;
    const mapped = mapScalar(node);
    assert.ok(mapped);
    assert.deepEqual(toDocumentRange(mapped, 3, 3), { start: 6, end: 6 });
    assert.deepEqual(toDocumentRange(mapped, 1, 99), { start: 4, end: 6 });
  });

  test('a scalar without source tokens does not map, so callers fall back to the whole scalar', () => {
    const node = parseDocument('q: abc\n').get('q', true) as Scalar;
    assert.equal(mapScalar(node), undefined);
  });

  test('every copied character maps onto the same character in the source, for all styles', () => {
    const sources = [
      "a: plain multi\n  line  \n\n   more\nb: 'it''s\n  folded  \n\n\n  x'\n",
      'c: "x\\ty\\\n    z \\u00e9 end  \n  next\n\n  para"\nd: |\n  line1\n    more\n\n\ne: >\n  f1\n  f2\n\n  f3\n    in\n  f4\n',
      'f: |2-\n     x\n    y\ng: >+\n  x\n\n\nh: |-\n  x\ni:\n  - >-\n    folded\n    text\n  - "a\\\r\n   b"\n',
    ];
    for (const source of sources) {
      visit(parseDocument(source, { keepSourceTokens: true }), {
        Scalar(_key, node) {
          const mapped = mapScalar(node);
          assert.ok(mapped, `maps ${JSON.stringify(node.source)}`);
          for (let i = 0; i < mapped.value.length; i++) {
            if (mapped.ends[i] - mapped.starts[i] !== 1 || mapped.value[i] === ' ' || mapped.value[i] === '\n')
              continue;
            assert.equal(source[mapped.starts[i]], mapped.value[i]);
          }
        },
      });
    }
  });
});
