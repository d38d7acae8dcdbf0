import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  analyzeQastle,
  decodeQastle,
  formatQastle,
  parseQastle,
  QastleDecodeError,
  tryDecodeQastle,
} from '../../server/src/language/qastle';

const SELECT_WHERE =
  "(Where (Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (dict (list 'lep_pt') (list (subscript e 'lep_pt'))))) (lambda (list e) (> (subscript e 'lep_pt') 1000)))";

/** Each problem as `code: message` with the text it covers. */
function problems(text: string): { code: string; message: string; covers: string }[] {
  return analyzeQastle(text).problems.map((p) => ({
    code: p.code,
    message: p.message,
    covers: text.slice(p.start, p.end),
  }));
}

describe('parsing qastle', () => {
  test('nodes keep their offsets', () => {
    const parsed = parseQastle(" (attr e 'pt')");
    assert.ok(parsed.ok && parsed.node?.kind === 'composite');
    assert.deepEqual(
      {
        type: parsed.node.type,
        start: parsed.node.start,
        end: parsed.node.end,
        fields: parsed.node.fields.map((f) => f.start),
      },
      { type: 'attr', start: 1, end: 14, fields: [7, 9] },
    );
  });

  test('grammar errors point where the text stops following the grammar', () => {
    assert.deepEqual(
      problems('(list(list))').map((p) => p.covers),
      ['('],
    );
    assert.deepEqual(
      problems('1_000').map((p) => p.covers),
      ['_'],
    );
    assert.equal(problems('(list 1 2')[0]?.message, "unexpected end of input: expected whitespace or ')'");
    assert.deepEqual(
      problems('x y').map((p) => p.code),
      ['qastle/syntax'],
    );
  });

  test('an empty record is valid and decodes to nothing', () => {
    assert.deepEqual(analyzeQastle(' \n'), { problems: [], python: '' });
  });
});

describe('validating against the node catalogue', () => {
  test('field counts, field kinds and unknown nodes use qastle’s own messages', () => {
    assert.deepEqual(problems('(Select a (lambda (list x) x) b)'), [
      {
        code: 'qastle/arity',
        message: 'Select node must have two fields; found 3',
        covers: '(Select a (lambda (list x) x) b)',
      },
    ]);
    assert.equal(
      problems('(Where a (lambda (list x y) x))')[0]?.message,
      'Where predicate must have exactly one argument; found 2',
    );
    assert.equal(problems('(attr e pt)')[0]?.code, 'qastle/field-type');
    assert.equal(problems('(foo 1)')[0]?.code, 'qastle/unknown-node');
    assert.equal(problems('(- a b c)')[0]?.message, 'Sub operator only supported for two operands; found 3');
    assert.equal(problems('lambda')[0]?.message, 'invalid syntax (<unknown>, line 1)');
  });

  test('both LINQ encodings are accepted, and call forms are checked as ServiceX will check them', () => {
    assert.deepEqual(problems(SELECT_WHERE), []);
    assert.deepEqual(problems("(call Select (call EventDataset) (lambda (list e) (attr e 'x')))"), []);
    assert.deepEqual(
      problems('(call Select (call EventDataset))').map((p) => p.code),
      ['qastle/linq-arity'],
    );
    assert.deepEqual(problems("(call (attr e 'Where') 1)")[0]?.message, 'Where() call argument must be a lambda');
  });

  test('legacy result wrappers are recognised', () => {
    const text =
      "(call ResultTTree (call Select (call EventDataset (list 'localds://did_01')) (lambda (list e) e)) (list 'x') 'analysis' 'junk.root')";
    assert.deepEqual(
      analyzeQastle(text).problems.map((p) => [p.code, p.severity]),
      [['qastle/legacy', 'information']],
    );
  });
});

describe('decoding qastle to func_adl text', () => {
  test('LINQ nodes become method calls, as ast.unparse would print them', () => {
    assert.equal(
      decodeQastle(SELECT_WHERE),
      "EventDataset('bogus.root', 'mini').Select(lambda e: {'lep_pt': e['lep_pt']}).Where(lambda e: e['lep_pt'] > 1000)",
    );
  });

  test('precedence, nested booleans and odd spellings follow ast.unparse', () => {
    assert.equal(decodeQastle('(* (+ a b) (- c))'), '(a + b) * -c');
    assert.equal(decodeQastle('(and (and a b) c)'), '(a and b) and c');
    assert.equal(decodeQastle("(attr 1 'real')"), '1 .real');
    assert.equal(decodeQastle("'it\\'s'"), '"""it\'s"""');
    assert.equal(decodeQastle('(subscript x (list 1 2))'), 'x[[1, 2]]');
  });

  test('invalid qastle throws with the problem, or is reported by tryDecodeQastle', () => {
    assert.throws(() => decodeQastle('(First a b)'), QastleDecodeError);
    assert.deepEqual(tryDecodeQastle('(First a b)'), {
      ok: false,
      problem: {
        start: 0,
        end: 11,
        code: 'qastle/arity',
        message: 'First node must have one field; found 2',
        severity: 'error',
      },
    });
  });
});

describe('formatting qastle', () => {
  test('short records stay on one line with single spaces', () => {
    assert.equal(formatQastle("  (attr\n  e   'pt' )"), "(attr e 'pt')\n");
  });

  test('long records break field by field, indented two spaces, and parse to the same tree', () => {
    const formatted = formatQastle(SELECT_WHERE);
    assert.equal(
      formatted,
      [
        '(Where',
        '  (Select',
        "    (call EventDataset 'bogus.root' 'mini')",
        "    (lambda (list e) (dict (list 'lep_pt') (list (subscript e 'lep_pt')))))",
        "  (lambda (list e) (> (subscript e 'lep_pt') 1000)))",
        '',
      ].join('\n'),
    );
    assert.equal(decodeQastle(formatted), decodeQastle(SELECT_WHERE));
    assert.equal(formatQastle(formatted), formatted);
  });

  test('text that does not parse is returned unchanged', () => {
    assert.equal(formatQastle('(list 1'), '(list 1');
  });
});
