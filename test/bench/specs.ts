/**
 * Deterministic ServiceX specs of a given size for benchmarks: a General block, a Definition anchor, then Sample items
 * with a Rucio dataset, NFiles and a one-line !FuncADL_Uproot query (the shape of perf-anchors.md §2).
 */
export function generateSpec(targetBytes: number): string {
  const head = [
    'General:',
    '  OutputFormat: parquet',
    '  Delivery: LocalCache',
    'Definition:',
    '  - &DEF_ptcut 25000',
    'Sample:',
    '',
  ].join('\n');
  const samples: string[] = [];
  let size = head.length;
  for (let i = 0; size < targetBytes; i++) {
    const sample = [
      `  - Name: sample_${i}`,
      `    Dataset: !Rucio mc20_13TeV:mc20_13TeV.${700000 + i}.Sh_2214_Zee.deriv.DAOD_PHYSLITE.e8351_s3681_r13144_p5855`,
      `    NFiles: ${1 + (i % 7)}`,
      '    IgnoreLocalCache: false',
      '    Query: !FuncADL_Uproot |',
      `      FromTree('reco').Where(lambda e: e.el_pt.Count() >= ${1 + (i % 3)}).Select(lambda e: {'pt': e.el_pt, 'eta': e.el_eta, 'w': e.mcWeight * ${(i % 10) + 1}.5})`,
      '',
    ].join('\n');
    samples.push(sample);
    size += sample.length;
  }
  return head + samples.join('');
}

/** The offset of a spot inside a query in the middle of the spec, where benchmark edits go. */
export function middleQueryOffset(spec: string): number {
  const middle = spec.indexOf("FromTree('reco')", Math.floor(spec.length / 2));
  if (middle < 0) throw new Error('no query in the second half of the spec');
  return spec.indexOf("'pt'", middle) + 1;
}

/** A draft-07 JSON schema of the spec for yaml-language-server, as strict as a schema can be (perf-anchors.md §3). */
export const SPEC_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['Sample'],
  additionalProperties: false,
  properties: {
    General: {
      type: 'object',
      additionalProperties: false,
      properties: {
        OutputFormat: { enum: ['parquet', 'root-ttree', 'root-rntuple'] },
        Delivery: { enum: ['LocalCache', 'URLs'] },
        Codegen: { type: 'string' },
        OutputDirectory: { type: 'string' },
        OutFilesetName: { type: 'string' },
        IgnoreLocalCache: { type: 'boolean' },
      },
    },
    Definition: { type: 'array' },
    Sample: {
      type: 'array',
      items: {
        type: 'object',
        required: ['Name'],
        additionalProperties: false,
        properties: {
          Name: { type: 'string', maxLength: 128 },
          Dataset: { type: 'string' },
          RucioDID: { type: 'string', pattern: '^[^:\\s]+:[^\\s]+$' },
          XRootDFiles: { type: ['string', 'array'] },
          NFiles: { type: 'integer', minimum: 1 },
          Query: { type: 'string' },
          Codegen: { type: 'string' },
          IgnoreLocalCache: { type: 'boolean' },
        },
      },
    },
  },
};

/** ServiceX's YAML tags in yaml-language-server's `yaml.customTags` form. */
export const SERVICEX_TAGS = [
  '!Rucio scalar',
  '!FileList sequence',
  '!FileList scalar',
  '!CERNOpenData scalar',
  '!XRootD scalar',
  '!FuncADL_Uproot scalar',
  '!UprootRaw scalar',
  '!PythonFunction scalar',
  '!TopCP scalar',
  '!include scalar',
  '!exclude scalar',
  '!exclude mapping',
  '!exclude sequence',
];
