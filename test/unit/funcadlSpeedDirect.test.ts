import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { translateDetailed, translateUprootQuery } from '../../server/src/language/funcadl';
import { problemOf } from '../../server/src/language/funcadl/translate';

// translateUprootQuery takes shortcuts (a one-pass translator, a one-walk emitter) that must never change its
// answer: these tests hold it to the full pipeline, translateDetailed, on the corpus and on many variants of it.
const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'funcadl');
const corpus = JSON.parse(readFileSync(join(fixtures, 'corpus.json'), 'utf8')) as { id: string; source: string }[];

function reference(text: string): ReturnType<typeof translateUprootQuery> {
  const result = translateDetailed(text);
  if (result.ok) return { ok: true, qastle: result.qastle, tree: result.glue.tree };
  return { ok: false, problem: problemOf(result.error) };
}

function same(text: string): void {
  assert.deepEqual(translateUprootQuery(text), reference(text), JSON.stringify(text));
}

/** Variants that push the shortcuts to their edges: cut short, a token's worth dropped, glued operators. */
function variants(source: string): string[] {
  const out: string[] = [];
  for (let cut = 1; cut < source.length; cut += 3) out.push(source.slice(0, cut));
  for (let at = 0; at < source.length; at += 2) out.push(source.slice(0, at) + source.slice(at + 1));
  for (const extra of [
    ' + 1',
    ' < 2 < 3',
    ' if a else b',
    ' and not c',
    '.Count()',
    '[0]',
    ' ** -2',
    '(1)',
    ', 1',
    ';',
  ]) {
    out.push(source + extra);
  }
  for (const [from, to] of [
    ['lambda e:', 'lambda e, f:'],
    ['lambda e:', 'lambda e=1:'],
    ['Select(', 'Select(x, '],
    ['Where(', 'Where(*'],
    ['(', '(('],
    ["'", '"'],
    ['e.', '(e).'],
    ['1', '-1'],
    ['1', '-True'],
    ['.', '\\\n.'],
  ]) {
    if (source.includes(from)) out.push(source.replace(from, to));
  }
  return out;
}

/** Token soup after the glue, from a fixed seed: mostly errors, with enough odd valid queries among them. */
function soup(count: number): string[] {
  const words = [
    'e', '.', 'Select', 'Where', 'Count', '(', ')', 'lambda', ':', ',', '1', '2.5', "'s'", "'lambda x: x'", '+', '-',
    '*', '**', '[', ']', '{', '}', 'if', 'else', 'not', 'and', 'or', '==', '<', '=', 'k', '/', '...', ';', 'True',
  ]; // prettier-ignore
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = ["FromTree('t').Select(lambda e:"];
    for (let n = 2 + next(12); n > 0; n--) parts.push(words[next(words.length)]);
    out.push(parts.join(' ') + (next(2) === 0 ? ')' : ''));
  }
  return out;
}

describe('translateUprootQuery answers exactly as the full pipeline', () => {
  test('on token soup', () => {
    for (const text of soup(20000)) same(text);
  });

  test('on every corpus text', () => {
    for (const c of corpus) same(c.source);
  });

  test('on variants of every corpus text', () => {
    for (const c of corpus) for (const v of variants(c.source)) same(v);
  });

  test('on hand-picked spellings around the shortcuts', () => {
    for (const text of [
      "FromTree('t').Select(lambda e: (e.Select)(lambda j: j))",
      "FromTree('t').Select(lambda e: Select(e.jets, lambda j: j.pt))",
      "FromTree('t').Select(lambda e: Select())",
      "FromTree('t').Aggregate(0, lambda a, b: a + b)",
      "FromTree('t').Aggregate(0, 'lambda a, b: a + b')",
      "FromTree('t').Select('lambda e: e.x')",
      "FromTree('t').Select(lambda e: {'a': -e.x, 'b': -(1), 'c': - -1, 'd': +'s', 'e': -2 ** 2})",
      "FromTree('t').Select(lambda e: [1, (2,), (), {}, [], e[0], e[1, 2], e.x.y(1,)])",
      "FromTree('t').Select(lambda e: 1 if e.x else 2 if e.y else 3)",
      "FromTree('t').Select(lambda e: not e.a or e.b and e.c == 1 != 2)",
      "FromTree('t').Select(lambda e: e.x in [1, 2])",
      "FromTree('t').Select(lambda e: -'s')",
      "FromTree('t').Select(lambda e: 10**5000)",
      "FromTree('t').Select(lambda e: 'a\\0b')",
      "FromTree('t').Select(lambda e: 'a\0b')",
      "FromTree('t\\\\').Select(lambda e: e)",
      "FromTree('a b').Select(lambda e: e.x @ e.y)",
      "FromTree('t').Select(lambda a, /, b, *c, d=1, e, **f: b)",
      "FromTree('t').Select(lambda a=1, b: a)",
      "FromTree('t').Select(lambda *, a: a)",
      "FromTree('t').Select(lambda *: 1)",
      "FromTree('t').Select(lambda /: 1)",
      "FromTree('t').Select(lambda a, **k, b: a)",
      "FromTree('t').Select(lambda e: e.f(**e.o, k=Select()))",
      "FromTree('t').Select(lambda e: e.f(**e.o, 1))",
      "FromTree('t').Select(lambda e: e.f(k=1, *e.o))",
      "FromTree('t').Select(lambda e: e.x, k=Select())",
      'Select(lambda e: e)',
      '\nSelect(lambda e: e)',
      `FromTree('t')${'.Select(lambda e: e)'.repeat(60)}`,
    ]) {
      same(text);
    }
  });
});
