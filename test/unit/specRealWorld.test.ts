import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkSpec } from '../../server/src/language/spec';
import { readFileIfPresent as readFile } from '../fixtures/specs/markers';

// Spec shapes found in real repositories (servicex-facts.md §3.8, §11), written out here rather than as .yaml files
// because Prettier would reformat exactly the layouts under test. None of them may produce a spec error.
const folder = mkdtempSync(join(tmpdir(), 'coffea-casa-real-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** The spec problems of a text written to `name`, as "severity code" strings; func_adl engine problems are left out. */
function specProblems(name: string, text: string): string[] {
  const path = join(folder, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return checkSpec(text, path, { readFile })
    .filter((p) => p.code.startsWith('spec/'))
    .map((p) => `${p.severity} ${p.code}`);
}

describe('real-world specs give no false errors', () => {
  test('anchors in Definition used for OutputFormat, a query and a backslash-continued URL in XRootDFiles', () => {
    const text = `Definition:
  - &DEF_output_format root-ttree
  - &DEF_ttH_nominal_query !FuncADL_Uproot  |
    FromTree('mini').Select(lambda e: {'lep_pt': e['lep_pt']}).Where(lambda e: e['lep_pt'] > 1000)
  - &DEF_ggH_input "root://eospublic.cern.ch//eos/opendata/atlas/OutreachDatasets\\
                  /2020-01-22/4lep/MC/mc_345060.ggH125_ZZ4lep.4lep.root"

General:
  OutputFormat: *DEF_output_format
  Delivery: LocalCache

Sample:
  - Name: ggH
    XRootDFiles: *DEF_ggH_input
    Query: *DEF_ttH_nominal_query
`;
    assert.deepEqual(specProblems('config_definition.yaml', text), ['warning spec/deprecated-key']);
  });

  test('several samples sharing a PythonFunction alias, RucioDID with NFiles and comment lines', () => {
    const text = `Definition:
  - &DEF_ggH_input "root://eospublic.cern.ch//eos/opendata/atlas/OutreachDatasets\\
                  /2020-01-22/4lep/MC/mc_345060.ggH125_ZZ4lep.4lep.root"

  - &DEF_function1 !PythonFunction |
    def run_query(input_filenames=None):
        import uproot

        with uproot.open({input_filenames:"nominal"}) as o:
            br = o.arrays("mu_pt")
        return br

  - &DEF_function2 !FuncADL_Uproot  |
    FromTree('mini').Select(lambda e: {'lep_pt': e['lep_pt']}).Where(lambda e: e['lep_pt'] > 1000)

General:
  OutputFormat: root-ttree
  Delivery: LocalCache

Sample:
  - Name: ttH
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    NFiles: 5
    Query: *DEF_function1
    # IgnoreLocalCache: False

  - Name: ttZ
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttZ.v11
    NFiles: 3
    Query: *DEF_function1

  - Name: ggH
    XRootDFiles: *DEF_ggH_input
    Query: *DEF_function2
`;
    assert.deepEqual(specProblems('config_multipe_sample.yaml', text), [
      'warning spec/deprecated-key',
      'warning spec/deprecated-key',
      'warning spec/deprecated-key',
    ]);
  });

  test('a !FileList flow sequence over several lines with a trailing comma', () => {
    const text = `Sample:
  - Name: Uproot_FuncADL_YAML
    Dataset: !FileList
      [
        "root://eospublic.cern.ch//eos/opendata/atlas/rucio/data16_13TeV/DAOD_PHYSLITE.37019878._000001.pool.root.1",
        "root://eospublic.cern.ch//eos/opendata/atlas/rucio/data16_13TeV/DAOD_PHYSLITE.37019878._000002.pool.root.1",
      ]
    Query: !FuncADL_Uproot |
            FromTree('CollectionTree').Select(lambda e: {'el_pt': e['AnalysisElectronsAuxDyn.pt']})
`;
    assert.deepEqual(specProblems('config_FuncADL_Uproot.yaml', text), []);
  });

  test('!UprootRaw as a | block and as a single-quoted scalar', () => {
    const text = `Sample:
  - Name: UprootRaw_YAML
    Dataset: !FileList ["root://eospublic.cern.ch//eos/opendata/file1.root"]
    Query: !UprootRaw |
      [{"treename":"CollectionTree", "filter_name": "AnalysisElectronsAuxDyn.pt"}]
  - Name: ttH4
    Dataset: !Rucio user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v112
    Query: !UprootRaw '[{"treename": "nominal"}]'
`;
    assert.deepEqual(specProblems('config_UprootRaw.yaml', text), []);
  });

  test('the client test suite spec: every dataset tag, a sample without Query, !TopCP quoted', () => {
    writeFileSync(join(folder, 'reco.yaml'), 'CommonServices:\n  systematicsHistogram: listOfSystematics\n');
    const text = `
General:
  OutputFormat: root-ttree
  Delivery: LocalCache

Sample:
  - Name: ttH
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    Query: !PythonFunction |
        def run_query(input_filenames=None):
            return []
    Codegen: python
  - Name: ttH3
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    Query: !UprootRaw |
                [{"treename": "nominal"}]
  - Name: ttH4
    Dataset: !Rucio user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v112
    Query: !UprootRaw '[{"treename": "nominal"}]'
  - Name: ttH5
    Dataset: !FileList ["/path/to/file1.root", "/path/to/file2.root"]
    Query: !UprootRaw '[{"treename": "nominal"}]'
  - Name: ttH6
    Dataset: !CERNOpenData 1507
    Query: !UprootRaw '[{"treename": "nominal"}]'
  - Name: ttH7
    Dataset: !XRootD root://eosatlas.cern.ch//eos/atlas/path/*/file.root
  - Name: ttH8
    Dataset: !Rucio user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v113
    Query: !TopCP 'reco="reco.yaml"'
`;
    assert.deepEqual(specProblems('test_databinder.yaml', text), [
      'warning spec/deprecated-key',
      'warning spec/deprecated-key',
      'warning spec/missing-query',
    ]);
  });

  test('!TopCP key=value lines naming a file relative to the folder servicex runs from', () => {
    mkdirSync(join(folder, 'examples'), { recursive: true });
    writeFileSync(join(folder, 'examples', 'reco.yaml'), 'Muons:\n  - containerName: AnaMuons\n');
    const text = `Sample:
  - Name: TopCP_YAML
    Dataset: !FileList ["root://eospublic.cern.ch//eos/opendata/file1.root"]
    Query: !TopCP |
      reco=examples/reco.yaml,
      max_events="1000"
`;
    assert.deepEqual(specProblems('examples/config_TopCP.yaml', text), []);
  });

  test('the documented "Definitions:" with !include (harmless, so information only)', () => {
    writeFileSync(
      join(folder, 'definitions.yaml'),
      '- &DEF_query !PythonFunction |\n        def run_query(input_filenames=None):\n            return []\n',
    );
    const text = `Definitions:
    !include definitions.yaml

General:
  OutputFormat: root-ttree
  Delivery: LocalCache

Sample:
  - Name: ttH
    RucioDID: user.kchoi:user.kchoi.fcnc_tHq_ML.ttH.v11
    Query: *DEF_query
`;
    assert.deepEqual(specProblems('parent.yaml', text), [
      'information spec/unknown-key',
      'warning spec/deprecated-key',
    ]);
  });

  test('the Analysis Grand Challenge delivery: URLs, IgnoreLocalCache and a renamed uproot-raw tree', () => {
    const text = `General:
  Delivery: URLs
Sample:
  - Name: ttbar__nominal
    Dataset: !FileList ["https://xrootd-local.unl.edu:1094//store/user/AGC/nanoAOD/TT_TuneCUETP8M1/00000_0000.root"]
    IgnoreLocalCache: true
    Query: !UprootRaw |
      [{"treename": {"Events": "servicex"},
        "cut": "((count_nonzero((Electron_pt > 30) & (abs(Electron_eta) < 2.1), axis=1) == 1))",
        "filter_name": ["Electron_pt", "Electron_eta", "Jet_pt", "Jet_btagCSVV2"]}]
`;
    assert.deepEqual(specProblems('agc.yaml', text), []);
  });
});
