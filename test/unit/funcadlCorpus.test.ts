import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { translateDetailed } from '../../server/src/language/funcadl';
import { analyzeQastle, tryDecodeQastle } from '../../server/src/language/qastle';

// Both corpora were produced by running the real Python client and qastle (see the README beside them).
const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'funcadl');
const load = <T>(name: string): T[] => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T[];

interface QueryCase {
  id: string;
  source: string;
  tree: string;
  qastle?: string;
  decoded?: string;
  error?: { type: string; message: string; offset?: number };
}

interface QastleCase {
  id: string;
  qastle: string;
  python?: string;
  error?: { type: string; message: string; offset?: number; cause?: { type: string; message: string } };
}

/** Python's `str(SyntaxError)` adds the file and line; the reference messages keep that suffix. */
const sameMessage = (ours: string, reference: string) => reference === ours || reference.startsWith(`${ours} (`);

describe('the func_adl corpus (what the ServiceX client sends for each !FuncADL_Uproot text)', () => {
  for (const c of load<QueryCase>('corpus.json')) {
    test(c.id, () => {
      const result = translateDetailed(c.source);
      assert.equal(result.glue.tree, c.tree, 'tree');
      if (c.qastle !== undefined) {
        assert.ok(result.ok, result.ok ? '' : `rejected: ${result.error.message}`);
        assert.equal(result.qastle, c.qastle);
        if (c.decoded !== undefined) {
          const decoded = tryDecodeQastle(c.qastle);
          assert.deepEqual(decoded, { ok: true, python: c.decoded });
        }
        return;
      }
      const expected = c.error!;
      assert.ok(!result.ok, `accepted, but the reference raises ${expected.type}: ${expected.message}`);
      assert.equal(result.error.type, expected.type);
      assert.ok(
        sameMessage(result.error.pythonMessage, expected.message),
        `${result.error.pythonMessage} ≠ ${expected.message}`,
      );
      if (expected.offset !== undefined) assert.equal(result.error.start, expected.offset, 'offset');
    });
  }
});

describe('the qastle corpus (what qastle.text_ast_to_python_ast accepts)', () => {
  for (const c of load<QastleCase>('qastle-corpus.json')) {
    test(c.id, () => {
      const analysis = analyzeQastle(c.qastle);
      // Checks that only ServiceX makes after parsing (LINQ calls, legacy wrappers) are not what this corpus records.
      const errors = analysis.problems.filter((p) => p.severity === 'error' && p.code !== 'qastle/linq-arity');
      if (c.python !== undefined) {
        assert.deepEqual(errors, []);
        assert.equal(analysis.python, c.python);
        return;
      }
      const expected = c.error!;
      assert.ok(errors.length > 0, `accepted, but qastle raises ${expected.type}`);
      if (expected.cause) assert.ok(sameMessage(errors[0].message, expected.cause.message), errors[0].message);
      if (expected.offset !== undefined) assert.equal(errors[0].start, expected.offset, 'offset');
    });
  }
});
