// The request bodies the Python client 3.x would POST for a spec (servicex-facts.md §1.5, §3), with its hash.
// (The spec rule for title limits counts UTF-16 units where Python counts code points, hence the generous limit below.)
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { requestsFromSpec, type RequestOptions, type SampleRequest } from '../../client/src/delivery/specRequests';
import { checkSpec } from '../../server/src/language/spec';
import { runPython } from '../fixtures/delivery/python';

const FIXTURES = resolve(__dirname, '../../../test/fixtures/delivery/specs');
const readFile = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const options: RequestOptions = {
  clientVersion: '3.3.1',
  readFile,
  readTopCpFile: (path) => readFile(resolve(FIXTURES, path)),
};

/** The samples of a spec text, failing the test with the problems if it is refused. */
function samples(text: string, extra: Partial<RequestOptions> = {}, path?: string): readonly SampleRequest[] {
  const result = requestsFromSpec(text, path, { ...options, ...extra });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems, null, 1));
  return result.samples;
}

const fixture = (name: string) => {
  const path = join(FIXTURES, name);
  return samples(readFileSync(path, 'utf8'), {}, path);
};

/** compute_hash of a body, by Python (the derivation of §1.10, kept here). */
function pythonHash(body: Record<string, unknown>): string {
  return runPython<string>(
    `import hashlib
names = {'parquet': 'parquet', 'root-file': 'root_ttree', 'root-rntuple': 'root_rntuple'}
files = sorted(data['file-list']) if data.get('file-list') else None
text = str([data.get('did'), data['selection'], None, data['codegen'], None, names[data['result-format']], files])
print(json.dumps(hashlib.sha256(text.encode('utf-8')).hexdigest()))`,
    body,
  );
}

describe('requests from the fixture specs', () => {
  test('FuncADL_Uproot on a Rucio DID with NFiles, and UprootRaw on a file list', () => {
    const [ttH, raw] = fixture('uproot.yaml');
    assert.deepEqual(ttH.request, {
      title: 'ttH',
      did: 'rucio://user.jdoe:ttH.nominal?files=2',
      selection:
        "(Where (Select (call EventDataset 'bogus.root' 'mini') (lambda (list e) (dict (list 'lep_pt') (list (subscript e 'lep_pt'))))) (lambda (list e) (> (subscript e 'lep_pt') 1000)))",
      codegen: 'uproot',
      'result-destination': 'object-store',
      'result-format': 'root-file',
      'client-version': '3.3.1',
    });
    assert.deepEqual(Object.keys(ttH.request), [
      'title',
      'did',
      'selection',
      'codegen',
      'result-destination',
      'result-format',
      'client-version',
    ]);
    // UprootRawQuery.generate_selection_string: json.dumps of each sub-query model dumped with all its fields.
    const selection = runPython<string>(
      `print(json.dumps(json.dumps([
  {"treename": {"nominal": "modified"}, "expressions": None, "cut": "lep_pt > 1000",
   "filter_name": ["lep_pt", "lep_eta"], "filter_typename": None, "aliases": None,
   "fail_on_missing_trees": None, "use_standard_awkward_axis": None},
  {"copy_histograms": "h*"}])))`,
      null,
    );
    assert.deepEqual(raw.request, {
      title: 'raw',
      'file-list': ['root://eospublic.cern.ch//eos/opendata/b.root', 'root://eospublic.cern.ch//eos/opendata/a.root'],
      selection,
      codegen: 'uproot-raw',
      'result-destination': 'object-store',
      'result-format': 'root-file',
      'client-version': '3.3.1',
    });
    assert.equal(ttH.hash, pythonHash({ ...ttH.request }));
    assert.equal(raw.hash, pythonHash({ ...raw.request }));
  });

  test('PythonFunction through an alias: base64 of the dedented source; codegen from General, then the Sample', () => {
    const [openData, xrootd] = fixture('python.yaml');
    const source =
      'def run_query(input_filenames=None):\n    import uproot\n\n    with uproot.open({input_filenames: "nominal"}) as o:\n        return o.arrays("mu_pt")\n';
    const encoded = runPython<string>(
      'import base64, textwrap\nprint(json.dumps(base64.b64encode(textwrap.dedent(data).encode("utf-8")).decode("utf-8")))',
      source,
    );
    assert.equal(openData.request.selection, encoded);
    assert.equal(openData.request.did, 'cernopendata://179');
    assert.equal(openData.request.codegen, 'python');
    assert.equal(xrootd.request.did, 'xrootd://root://eospublic.cern.ch//eos/opendata/*/file.root?files=3');
    assert.equal(xrootd.request.codegen, 'my-python');
    assert.equal(xrootd.hash, pythonHash({ ...xrootd.request }));
  });

  test('TopCP: the named file read as text, with the numbers and flags, as json.dumps writes the dict', () => {
    const [topcp] = fixture('topcp.yaml');
    const selection = runPython<string>(
      `reco = open(data, 'r').read()
print(json.dumps(json.dumps({"reco": reco, "parton": None, "particle": None, "max_events": 1000,
                             "no_systematics": True, "no_filter": True})))`,
      join(FIXTURES, 'reco.yaml'),
    );
    assert.equal(topcp.request.selection, selection);
    assert.equal(topcp.request.codegen, 'topcp');
  });
});

describe('how the client resolves a sample', () => {
  test('codegen order: Sample.Codegen, then General.Codegen, then the query class; a string query is sent as is', () => {
    const text = `General:
  Codegen: atlasr22
Sample:
  - Name: a
    Dataset: !Rucio s:a
    Query: "(call EventDataset 'bogus.root')"
  - Name: b
    Dataset: !Rucio s:b
    Codegen: atlasr21
    Query: "(call EventDataset 'x')"
  - Name: c
    Dataset: !Rucio s:c
    Query: !UprootRaw '{"treename": "t"}'
`;
    const [a, b, c] = samples(text);
    assert.deepEqual([a.request.codegen, b.request.codegen, c.request.codegen], ['atlasr22', 'atlasr21', 'atlasr22']);
    assert.equal(a.request.selection, "(call EventDataset 'bogus.root')");
  });

  test('spec output formats map to REST names; a deprecated RucioDID takes NFiles, XRootDFiles does not', () => {
    const text = `General:
  OutputFormat: root-rntuple
Sample:
  - Name: old
    RucioDID: user.x:y
    NFiles: 7
    Query: !UprootRaw '[{"treename": "t"}]'
  - Name: files
    XRootDFiles: root://h//f.root
    Query: !UprootRaw '[{"treename": "u"}]'
`;
    const [old, files] = samples(text);
    assert.equal(old.request.did, 'rucio://user.x:y?files=7');
    assert.equal(old.request['result-format'], 'root-rntuple');
    assert.deepEqual(files.request['file-list'], ['root://h//f.root']);
    assert.equal(files.request.did, undefined);
  });

  test('samples sharing a Dataset alias all get the NFiles of the last one that sets it', () => {
    const text = `Definition:
  - &DS !Rucio scope:data
Sample:
  - Name: first
    Dataset: *DS
    NFiles: 1
    Query: !UprootRaw '[{"treename": "a"}]'
  - Name: second
    Dataset: *DS
    Query: !UprootRaw '[{"treename": "b"}]'
  - Name: third
    Dataset: *DS
    NFiles: 10
    Query: !UprootRaw '[{"treename": "c"}]'
`;
    const result = samples(text);
    assert.deepEqual(
      result.map((s) => s.request.did),
      ['rucio://scope:data?files=10', 'rucio://scope:data?files=10', 'rucio://scope:data?files=10'],
    );
    assert.match(result[0].notes.join(' '), /NFiles 10 applies here too/);
    assert.deepEqual(result[2].notes, []);
  });

  test('a long Name is truncated to 128 code points unless the server gives a limit; IgnoreLocalCache is kept', () => {
    const name = '😀'.repeat(130);
    const text = `General:\n  IgnoreLocalCache: true\nSample:\n  - Name: "${name}"\n    Dataset: !Rucio s:n\n    Query: !UprootRaw '[{"treename": "t"}]'\n`;
    const [sample] = samples(text);
    assert.equal(sample.request.title, '😀'.repeat(128));
    assert.equal(sample.ignoreLocalCache, true);
    assert.equal(samples(text, { titleLengthLimit: 300 })[0].request.title, name);
  });

  test('text with characters newer than Unicode 14 gets a note: its hash depends on the Python version', () => {
    const text = `Sample:\n  - Name: n\n    Dataset: !Rucio s:\u{1fae8}\n    Query: !UprootRaw '[{"treename": "t"}]'\n`;
    const [sample] = samples(text);
    assert.match(sample.notes.join(' '), /depend on the Python it runs on/);
    assert.equal(sample.hash, pythonHash({ ...sample.request }));
  });

  test('no client-version key when none is given', () => {
    const text = `Sample:\n  - Name: n\n    Dataset: !Rucio s:n\n    Query: !UprootRaw '[{"treename": "t"}]'\n`;
    assert.equal('client-version' in samples(text, { clientVersion: undefined })[0].request, false);
  });
});

describe('specs the client refuses', () => {
  test('errors come back with their lines, and no request is built', () => {
    const text = `Sample:\n  - Name: bad\n    Dataset: !Rucio noscope\n    Query: !UprootRaw '[{"treename": "t"}]'\n`;
    const result = requestsFromSpec(text, undefined, options);
    assert.ok(!result.ok);
    assert.equal(result.problems[0].line, 3);
    assert.match(result.problems[0].message, /missing a Rucio namespace/);
  });

  test('a codegen the endpoint does not offer, and a sample without a query', () => {
    const text = `Sample:\n  - Name: a\n    Dataset: !Rucio s:a\n    Query: !UprootRaw '[{"treename": "t"}]'\n`;
    const refused = requestsFromSpec(text, undefined, { ...options, codegens: ['uproot'] });
    assert.ok(!refused.ok);
    assert.match(refused.problems[0].message, /no "uproot-raw" code generator/);
    const noQuery = requestsFromSpec(`Sample:\n  - Name: a\n    Dataset: !Rucio s:a\n`, undefined, options);
    assert.ok(!noQuery.ok);
    assert.match(noQuery.problems[0].message, /query argument cannot be None/);
  });
});

describe("every valid spec under test/fixtures/specs (and ours) builds, with hashes equal to Python's", () => {
  const folder = resolve(__dirname, '../../../test/fixtures');
  const specs: string[] = [];
  const walk = (dir: string) => {
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) specs.push(path);
    }
  };
  walk(join(folder, 'specs'));
  walk(FIXTURES);
  for (const path of specs) {
    const text = readFileSync(path, 'utf8');
    const valid = !checkSpec(text, path, { readFile }).some((p) => p.severity === 'error');
    if (!valid || !/^\s*Sample\s*:/m.test(text)) continue;
    test(path.slice(folder.length + 1), () => {
      const result = requestsFromSpec(text, path, options);
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
      for (const sample of result.samples) assert.equal(sample.hash, pythonHash({ ...sample.request }));
    });
  }
});
