import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translateDetailed, translateUprootQuery } from '../../server/src/language/funcadl';

/** The qastle for a query, failing the test if the query is rejected. */
function qastle(query: string): string {
  const result = translateUprootQuery(query);
  assert.ok(result.ok, `expected ${JSON.stringify(query)} to translate`);
  return result.qastle;
}

/** The body of the lambda in `FromTree('t').Select(lambda e: <body>)`. */
function body(expression: string): string {
  const text = qastle(`FromTree('t').Select(lambda e: ${expression})`);
  const prefix = "(Select (call EventDataset 'bogus.root' 't') (lambda (list e) ";
  assert.ok(text.startsWith(prefix) && text.endsWith('))'), text);
  return text.slice(prefix.length, -2);
}

/** The reference's error for a query: Python class, message, and offset into the query. */
function rejection(query: string): { type: string; message: string; start: number } {
  const result = translateDetailed(query);
  assert.ok(!result.ok, `expected ${JSON.stringify(query)} to be rejected`);
  return { type: result.error.type, message: result.error.pythonMessage, start: result.error.start };
}

describe('the §3.7 glue around a !FuncADL_Uproot scalar', () => {
  test('a leading FromTree names the tree in EventDataset, and LINQ nodes are inserted at top level', () => {
    assert.equal(
      qastle("FromTree('mini').Select(lambda e: {'lep_pt': e['lep_pt']}).Where(lambda e: e['lep_pt'] > 1000)"),
      "(Where (Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (dict (list 'lep_pt') (list (subscript e 'lep_pt'))))) (lambda (list e) (> (subscript e 'lep_pt') 1000)))",
    );
  });

  test('without a leading FromTree the tree is the string None, and a trailing FromTree is an ordinary call', () => {
    const result = translateUprootQuery('Select(lambda e: e.x).FromTree("nominal")');
    assert.ok(result.ok);
    assert.equal(result.tree, 'None');
    assert.equal(
      result.qastle,
      "(call (attr (Select (call EventDataset 'bogus.root' 'None') (lambda (list e) (attr e 'x'))) 'FromTree') 'nominal')",
    );
  });

  test('only the first line is used, and mixed quotes still match', () => {
    assert.equal(
      qastle('FromTree(\'a").Select(lambda e: e.x)\n.Where(lambda e: e.y)'),
      "(Select (call EventDataset 'bogus.root' 'a') (lambda (list e) (attr e 'x')))",
    );
  });

  test('an empty scalar falls back to the events tree and fails to parse', () => {
    const result = translateDetailed('');
    assert.equal(result.glue.tree, 'events');
    assert.ok(!result.ok);
    assert.equal(result.error.pythonMessage, 'invalid syntax');
  });

  test('the tree name is pasted into a Python literal, so escapes in it are interpreted', () => {
    assert.match(qastle("FromTree('a\\tb').Select(lambda e: e)"), /EventDataset 'bogus.root' 'a\\tb'/);
  });
});

describe('literals follow Python repr', () => {
  test('floats, ints and booleans', () => {
    assert.equal(body('(1e-5, 30e3, 2.0, 10, True, 1e16, 1e15, 0x1F, 1_000, 1e400, 0.1 + 0.2)'),
      '(list 1e-05 30000.0 2.0 10 True 1e+16 1000000000000000.0 31 1000 inf (+ 0.1 0.2))'); // prettier-ignore
  });

  test('strings choose their quotes and escape what is not printable', () => {
    assert.equal(
      body(`("it's", 'a"b', '\\t\\x00é\\u200b', 'a' 'b', r'\\d')`),
      `(list "it's" 'a"b' '\\t\\x00é\\u200b' 'ab' '\\\\d')`,
    );
  });

  test('unary minus folds into constants, unary plus disappears, and a named escape is decoded', () => {
    assert.equal(body("(-1, -0.0, -True, +'a', - -5, ~5, not 1, '\\N{GREEK SMALL LETTER ALPHA}')"),
      "(list -1 -0.0 -1 'a' (- -5) (~ 5) (not 1) 'α')"); // prettier-ignore
  });

  test('complex, bytes and Ellipsis are written as Python writes them', () => {
    assert.equal(body('(1j, -(1j), b"x\'", ...)'), `(list 1j (-0-1j) b"x'" Ellipsis)`);
  });
});

describe('expressions', () => {
  test('operators, chained comparisons, boolean chains and conditionals', () => {
    assert.equal(body('0 < e.x < 5'), "(and (< 0 (attr e 'x')) (< (attr e 'x') 5))");
    assert.equal(body('e.a and e.b and e.c'), "(and (and (attr e 'a') (attr e 'b')) (attr e 'c'))");
    assert.equal(body('2 ** 3 ** 2 // 4 % 5'), '(% (// (** 2 (** 3 2)) 4) 5)');
    assert.equal(body('1 if e.q > 0 else -1'), "(if (> (attr e 'q') 0) 1 -1)");
  });

  test('subscripts with a tuple become lists, keyword arguments vanish, lambda defaults are dropped', () => {
    assert.equal(body('e.x[1, 2]'), "(subscript (attr e 'x') (list 1 2))");
    assert.equal(body("e.Jets(collection='AntiKt4')"), "(call (attr e 'Jets'))");
    assert.equal(body('lambda a, b=1, *c, d, **k: a'), '(lambda (list a b) a)');
  });

  test('LINQ operators become nodes inside lambdas, in method and function form, and from strings', () => {
    assert.equal(
      body('e.Jet_pt.Where(lambda pt: pt > 30).Count()'),
      "(Count (Where (attr e 'Jet_pt') (lambda (list pt) (> pt 30))))",
    );
    assert.equal(body('Sum(e.x)'), "(Sum (attr e 'x'))");
    assert.equal(body("e.jets.Select('lambda j: j.pt')"), "(Select (attr e 'jets') (lambda (list j) (attr j 'pt')))");
    assert.equal(
      body('e.a.Aggregate(0, lambda acc, x: acc + x)'),
      "(Aggregate (attr e 'a') 0 (lambda (list acc x) (+ acc x)))",
    );
  });
});

describe('what the reference rejects', () => {
  test('syntax errors carry CPython 3.11 messages at the same offsets', () => {
    assert.deepEqual(rejection("FromTree('t').Select(lambda e: e.x e.y)"), {
      type: 'SyntaxError',
      message: 'invalid syntax. Perhaps you forgot a comma?',
      start: 31,
    });
    assert.deepEqual(rejection("FromTree('t').Select(lambda e: e.x"), {
      type: 'SyntaxError',
      message: "'(' was never closed",
      start: 20,
    });
    assert.equal(rejection("FromTree('t').Select(lambda e: 1abc)").message, 'invalid decimal literal');
    assert.equal(
      rejection("FromTree('t').Select(lambda e: 'x)").message,
      'unterminated string literal (detected at line 1)',
    );
  });

  test('LINQ arity errors come from insert_linq_nodes, outer calls first', () => {
    assert.equal(
      rejection("FromTree('t').Select(lambda e: 1).Where(1)").message,
      'Where() call argument must be a lambda',
    );
    assert.equal(rejection("FromTree('t').Select()").message, 'Select() call must have exactly one argument');
    assert.equal(
      rejection("FromTree('t').Select(lambda e: Count())").message,
      'LINQ operators must specify a data source to operate on',
    );
    assert.equal(
      rejection("FromTree('t').Select(lambda e: e.x.Aggregate(0))").message,
      'Aggregate() call must have exactly two arguments; found1',
    );
  });

  test('unsupported constructs keep the reference class and message', () => {
    assert.deepEqual(
      rejection("FromTree('t').Select(lambda e: e.x[0:2])").message,
      "Unsupported node type: <class 'ast.Slice'>",
    );
    assert.deepEqual(rejection("FromTree('t').Select(lambda e: e.pdg in [11, 13])").type, 'KeyError');
    assert.deepEqual(rejection("FromTree('t').Select(lambda e: -'a')").message, "bad operand type for unary -: 'str'");
    assert.deepEqual(
      rejection("FromTree('t').Select(lambda e: e); 1").message,
      'A record must contain zero or one expressions; found 2',
    );
    assert.deepEqual(rejection("FromTree('t').Select(lambda e: e.x)\u0000").type, 'ValueError');
  });
});
