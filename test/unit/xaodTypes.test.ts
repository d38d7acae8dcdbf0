import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { bareCppType, XaodTypeDatabase } from '../../server/src/language/xaod/typeDatabase';

// The real ATLAS R25 type database that ships with the server (server/data/xaod, MIT, licence beside it).
describe('the xAOD type database', () => {
  let db: XaodTypeDatabase;
  before(() => {
    db = XaodTypeDatabase.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'server', 'data', 'xaod', 'xaod_r25.yaml'), 'utf8'),
    );
  });

  test('holds the 121 collections and the 368 distinct classes of R25', () => {
    assert.equal(db.collections().length, 121);
    // 378 entries, but ten vector specialisations repeat a Python name.
    assert.equal(db.classCount(), 368);
  });

  test('Jets takes an optional collection name and calibration flag and yields Jet_v1', () => {
    assert.deepEqual(db.collection('Jets'), {
      name: 'Jets',
      itemType: 'xAOD.Jet_v1',
      cppItemType: 'xAOD::Jet_v1',
      single: false,
      parameters: [
        { name: 'collection', type: 'Optional[str]', defaultValue: 'None' },
        { name: 'calibrate', type: 'Optional[bool]', defaultValue: 'True' },
      ],
    });
  });

  test('EventInfo is a single object, EventInfos a collection', () => {
    assert.equal(db.collection('EventInfo')?.single, true);
    assert.equal(db.collection('EventInfos')?.single, false);
  });

  test('methods carry C++ return types and square-bracket parameters', () => {
    assert.equal(db.method('xAOD.Jet_v1', 'pt')?.returnType, 'double');
    const getAttribute = db.method('xAOD.Jet_v1', 'getAttribute');
    assert.deepEqual(getAttribute?.arguments, [{ name: 'name', type: 'str' }]);
    assert.deepEqual(getAttribute?.typeParameters, [{ name: 'attribute_type', type: 'cpp_type[U]' }]);
    assert.equal(db.method('xAOD.Jet_v1', 'charge'), undefined, 'jets have no charge');
    assert.ok(db.method('xAOD.Muon_v1', 'charge'));
  });

  test('C++ return types find their class, and element links behave like their target', () => {
    assert.equal(db.classOf('const xAOD::TrackParticle_v1 *')?.pythonName, 'xAOD.TrackParticle_v1');
    const link = 'ElementLink_DataVector_xAOD_AFPProton_v1__';
    const names = db.methodsOf(link).map((m) => m.name);
    assert.ok(names.includes('isValid'));
    assert.ok(names.length > 1, 'the AFPProton methods come along');
  });

  test('bareCppType drops qualifiers', () => {
    assert.equal(bareCppType('const xAOD::IParticle *'), 'xAOD::IParticle');
    assert.equal(bareCppType('xAOD::Jet_v1&'), 'xAOD::Jet_v1');
  });
});
