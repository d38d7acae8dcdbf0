import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { TextProblem } from '../../server/src/language/problems';
import { callsCapitalisedMethod, checkXaodCalls, xaodProblems } from '../../server/src/language/xaod/check';
import { XaodTypeDatabase } from '../../server/src/language/xaod/typeDatabase';
import { marked } from '../fixtures/specs/markers';

// ⟦…⟧ marks where each expected problem is, in order; the query text is the fixture without the markers.
const XAOD = join(__dirname, '..', '..', '..', 'server', 'data', 'xaod', 'xaod_r25.yaml');
let db: XaodTypeDatabase;
before(() => {
  db = XaodTypeDatabase.parse(readFileSync(XAOD, 'utf8'));
});

type Expected = Omit<TextProblem, 'start' | 'end'>;

function check(source: string, ...expected: Expected[]): void {
  const { text, ranges } = marked(source);
  assert.equal(ranges.length, expected.length, 'the fixture marks one range per expected problem');
  const placed = expected.map((e, i) => ({ start: ranges[i].start, end: ranges[i].end, ...e }));
  assert.deepEqual(checkXaodCalls(text, db), placed);
}

const unknownCollection = (message: string): Expected => ({
  code: 'funcadl/xaod-unknown-collection',
  message,
  severity: 'error',
});
const unknownMethod = (message: string): Expected => ({
  code: 'funcadl/xaod-unknown-method',
  message,
  severity: 'error',
});
const missingCall = (message: string): Expected => ({
  code: 'funcadl/xaod-missing-call',
  message,
  severity: 'warning',
});

describe('xAOD collections on the event', () => {
  test('a collection of the database is fine', () => {
    check("FromTree('CollectionTree').Select(lambda e: e.Jets())");
  });

  test('an unknown collection is an error with a did-you-mean', () => {
    check(
      "FromTree('CollectionTree').Select(lambda e: e.⟦Jetz⟧())",
      unknownCollection(
        'The xAOD event has no collection "Jetz", so this call cannot be translated. Did you mean Jets?',
      ),
    );
  });

  test('without a close name, the message says how an uproot branch is read', () => {
    check(
      'Select(lambda evt: evt.⟦Muon_pt⟧())',
      unknownCollection(
        'The xAOD event has no collection "Muon_pt", so this call cannot be translated. For an uproot branch, leave out the call: evt.Muon_pt.',
      ),
    );
  });

  test('uproot branches and operators on them are not collections', () => {
    check("FromTree('t').Select(lambda e: {'pt': e.Muon_pt, 'n': e.Muon_pt.Select(lambda m: m.Foo()).Count()})");
    check("FromTree('t').Where(lambda e: e.nJet > 2).Select(lambda e: e.Jet_pt.Where(lambda j: j > 30))");
  });

  test('a lowercase call on the event is not taken for a collection', () => {
    check('Select(lambda e: e.met())');
  });

  test('a single-object collection takes methods directly', () => {
    check("Select(lambda e: e.EventInfo('EventInfo').runNumber())");
    check(
      "Select(lambda e: e.EventInfo('EventInfo').⟦runNumbr⟧())",
      unknownMethod('xAOD.EventInfo_v1 has no method "runNumbr". Did you mean runNumber?'),
    );
  });
});

describe('xAOD methods', () => {
  test('a method of the element class is fine', () => {
    check('Select(lambda e: e.Jets().Select(lambda j: j.pt()))');
    check(
      "SelectMany(lambda e: e.Jets('AntiKt4EMTopoJets')).Where(lambda j: j.pt() > 30000).Select(lambda j: j.eta())",
    );
  });

  test('an unknown method is an error with a did-you-mean from the class', () => {
    check(
      'Select(lambda e: e.Jets().Select(lambda j: j.⟦ptt⟧()))',
      unknownMethod('xAOD.Jet_v1 has no method "ptt". Did you mean pt?'),
    );
  });

  test('a method without its call is a warning', () => {
    check(
      'Select(lambda e: e.Jets().Select(lambda j: j.⟦pt⟧ / 1000.0))',
      missingCall('pt is a method of xAOD.Jet_v1, and xAOD values are read by calling it: write j.pt().'),
    );
  });

  test('a method that returns another class is followed to it', () => {
    check('Select(lambda e: e.Muons().Select(lambda m: m.trackParticle(0).d0()))');
    check(
      'Select(lambda e: e.Muons().Select(lambda m: m.trackParticle(0).⟦dd0⟧()))',
      unknownMethod('xAOD.TrackParticle_v1 has no method "dd0". Did you mean d0?'),
    );
  });

  test('a method that returns a number or a type outside the database ends the checks', () => {
    check('Select(lambda e: e.Jets().Select(lambda j: j.pt().whatever()))');
    check('Select(lambda e: e.Jets().Select(lambda j: j.p4().Pt()))');
  });

  test('templated accessors keep their method', () => {
    check("Select(lambda e: e.Jets().Select(lambda j: j.getAttribute[cpp_float]('EMFrac')))");
  });

  test('First and ElementAt give an element, comprehensions bind their target', () => {
    check(
      'Select(lambda e: e.Electrons().First().⟦ptt⟧())',
      unknownMethod('xAOD.Electron_v1 has no method "ptt". Did you mean pt?'),
    );
    check(
      'Select(lambda e: [j.⟦etaa⟧() for j in e.Jets() if j.pt() > 0])',
      unknownMethod('xAOD.Jet_v1 has no method "etaa". Did you mean eta?'),
    );
  });

  test('collections gathered in a dictionary keep their types in the next Select', () => {
    check(
      "Select(lambda e: {'jets': e.Jets(), 'ei': e.EventInfo('EventInfo')})" +
        ".Select(lambda c: {'pt': c.jets.Select(lambda j: j.⟦ptx⟧()), 'run': c.ei.⟦runNumber⟧})",
      unknownMethod('xAOD.Jet_v1 has no method "ptx". Did you mean pt?'),
      missingCall(
        'runNumber is a method of xAOD.EventInfo_v1, and xAOD values are read by calling it: write c.ei.runNumber().',
      ),
    );
  });

  test('an inner lambda parameter hides an outer one of the same name', () => {
    check('Select(lambda e: e.Jets().Select(lambda j: e.Jet_pt.Select(lambda j: j.ptt)))');
  });
});

describe('what the check reads and what it costs', () => {
  test('offsets are into the text, after the FromTree glue', () => {
    check(
      "FromTree('CollectionTree').Select(lambda e: e.Jets().Select(lambda j: j.⟦ptt⟧()))",
      unknownMethod('xAOD.Jet_v1 has no method "ptt". Did you mean pt?'),
    );
  });

  test('text that does not parse produces nothing here (the engine reports it)', () => {
    check('Select(lambda e: e.Jetz(');
  });

  test('a query calling only sequence operators never loads the database', () => {
    const query =
      "FromTree('t').Where(lambda e: e.nJet >= 2).Select(lambda e: {'pt': e.Jet_pt.Select(lambda j: j / 1000)})";
    assert.equal(callsCapitalisedMethod(query), false);
    assert.deepEqual(
      xaodProblems(query, () => assert.fail('the database was loaded')),
      [],
    );
    assert.equal(callsCapitalisedMethod('Select(lambda e: e.Jets())'), true);
  });

  test('without a database the check is skipped', () => {
    assert.deepEqual(
      xaodProblems('Select(lambda e: e.Jetz())', () => undefined),
      [],
    );
  });

  test('a very long chain is walked without running out of stack', () => {
    const query = `Select(lambda e: e.Jets()${'.Where(lambda j: j.pt() > 0)'.repeat(3000)}.Select(lambda j: j.ptt()))`;
    const started = Date.now();
    assert.deepEqual(checkXaodCalls(query, db), []);
    assert.ok(Date.now() - started < 2000);
  });
});
