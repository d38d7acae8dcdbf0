// What completion and hover say inside queries (servicex-facts.md §4–§6), as data.

/** A LINQ operator of func_adl: its signature, what it does, its qastle node, and what completion inserts. */
export interface OperatorDoc {
  readonly signature: string;
  readonly doc: string;
  readonly qastle: string;
  readonly snippet: string;
  /** Whether it applies to the event stream at the top of a query, not only to collections inside lambdas. */
  readonly stream?: boolean;
}

/** The LINQ operators qastle recognises, most used first (the order completion keeps). */
export const OPERATOR_DOCS: Readonly<Record<string, OperatorDoc>> = {
  Select: {
    signature: 'Select(lambda x: expression)',
    doc: 'Maps every element to the value of the lambda; a final `Select` returning a dict names the output columns.',
    qastle: '(Select source (lambda (list x) …))',
    snippet: 'Select(lambda ${1:x}: ${2})',
    stream: true,
  },
  Where: {
    signature: 'Where(lambda x: condition)',
    doc: 'Keeps the elements for which the lambda is true; it must return a boolean.',
    qastle: '(Where source (lambda (list x) …))',
    snippet: 'Where(lambda ${1:x}: ${2})',
    stream: true,
  },
  SelectMany: {
    signature: 'SelectMany(lambda x: sequence)',
    doc: 'Maps every element to a sequence and flattens the result one level.',
    qastle: '(SelectMany source (lambda (list x) …))',
    snippet: 'SelectMany(lambda ${1:x}: ${2})',
    stream: true,
  },
  First: { signature: 'First()', doc: 'The first element.', qastle: '(First source)', snippet: 'First()' },
  Count: { signature: 'Count()', doc: 'The number of elements.', qastle: '(Count source)', snippet: 'Count()' },
  Sum: { signature: 'Sum()', doc: 'The sum of the elements.', qastle: '(Sum source)', snippet: 'Sum()' },
  Max: { signature: 'Max()', doc: 'The largest element.', qastle: '(Max source)', snippet: 'Max()' },
  Min: { signature: 'Min()', doc: 'The smallest element.', qastle: '(Min source)', snippet: 'Min()' },
  Any: {
    signature: 'Any(lambda x: condition)',
    doc: 'Whether the lambda is true for at least one element.',
    qastle: '(Any source (lambda (list x) …))',
    snippet: 'Any(lambda ${1:x}: ${2})',
  },
  All: {
    signature: 'All(lambda x: condition)',
    doc: 'Whether the lambda is true for every element.',
    qastle: '(All source (lambda (list x) …))',
    snippet: 'All(lambda ${1:x}: ${2})',
  },
  Last: { signature: 'Last()', doc: 'The last element.', qastle: '(Last source)', snippet: 'Last()' },
  ElementAt: {
    signature: 'ElementAt(index)',
    doc: 'The element at a position (0 is the first).',
    qastle: '(ElementAt source index)',
    snippet: 'ElementAt(${1:0})',
  },
  Contains: {
    signature: 'Contains(value)',
    doc: 'Whether the sequence contains a value.',
    qastle: '(Contains source value)',
    snippet: 'Contains(${1})',
  },
  OrderBy: {
    signature: 'OrderBy(lambda x: key)',
    doc: 'Sorts the elements by the lambda’s value, smallest first.',
    qastle: '(OrderBy source (lambda (list x) …))',
    snippet: 'OrderBy(lambda ${1:x}: ${2})',
  },
  OrderByDescending: {
    signature: 'OrderByDescending(lambda x: key)',
    doc: 'Sorts the elements by the lambda’s value, largest first.',
    qastle: '(OrderByDescending source (lambda (list x) …))',
    snippet: 'OrderByDescending(lambda ${1:x}: ${2})',
  },
  Concat: {
    signature: 'Concat(other)',
    doc: 'This sequence followed by another.',
    qastle: '(Concat source other)',
    snippet: 'Concat(${1})',
  },
  Zip: {
    signature: 'Zip()',
    doc: 'Combines parallel sequences element by element.',
    qastle: '(Zip source)',
    snippet: 'Zip()',
  },
  Choose: {
    signature: 'Choose(n)',
    doc: 'All combinations of n elements.',
    qastle: '(Choose source n)',
    snippet: 'Choose(${1:2})',
  },
  Aggregate: {
    signature: 'Aggregate(seed, lambda acc, x: expression)',
    doc: 'Folds the elements into one value, starting from the seed. **Not supported by the uproot backend.**',
    qastle: '(Aggregate source seed (lambda (list acc x) …))',
    snippet: 'Aggregate(${1:0}, lambda ${2:acc}, ${3:x}: ${4})',
  },
};

/** `MetaData` is a stream operator but not a LINQ node: qastle keeps it as a call. */
export const METADATA_DOC: OperatorDoc = {
  signature: 'MetaData(dict)',
  doc: 'Attaches metadata for the code generator (job scripts, C++ snippets); the data are unchanged.',
  qastle: '(call MetaData source (dict …))',
  snippet: 'MetaData({${1}})',
  stream: true,
};

/** Hover text for the call that starts a `!FuncADL_Uproot` query. */
export const FROM_TREE_DOC =
  "`FromTree('tree')` names the TTree to read. The client only recognises it at the very start of the query; without it the tree is `'None'`.";

/** Fields of an `!UprootRaw` sub-query (§6), with the snippet completion inserts after the key. */
export const UPROOT_RAW_FIELDS: Readonly<Record<string, { readonly doc: string; readonly value: string }>> = {
  treename: {
    doc: 'The tree to read: a name, a list of names, or a mapping `{"input": "output"}`. Required for tree queries.',
    value: '"${1:nominal}"',
  },
  filter_name: {
    doc: 'Which branches to read: names, `*` globs or `/regex/` patterns.',
    value: '[${1}]',
  },
  expressions: { doc: 'Awkward/uproot expressions to write, a string or a list of them.', value: '[${1}]' },
  cut: { doc: 'A row selection expression, such as `met_met>150e3`.', value: '"${1}"' },
  aliases: {
    doc: 'Names for expressions, usable in `expressions` and `cut`: `{"name": "expression"}`.',
    value: '{${1}}',
  },
  filter_typename: { doc: 'Which branches to read, by type name.', value: '[${1}]' },
  fail_on_missing_trees: { doc: 'Fail instead of skipping a file that lacks the tree (default false).', value: 'true' },
  use_standard_awkward_axis: { doc: 'Use awkward’s standard axis convention (default false).', value: 'true' },
  copy_histograms: {
    doc: 'Objects to copy verbatim into the output, by name, glob or `/regex/` (ROOT output only). Put it in its own sub-query.',
    value: '[${1}]',
  },
};

/** Functions usable in `cut` and `expressions`, mapped to the awkward function of the same name (§6). */
export const AWKWARD_FUNCTIONS: readonly string[] = [
  'num',
  'count',
  'count_nonzero',
  'sum',
  'any',
  'all',
  'max',
  'min',
  'mean',
  'flatten',
  'where',
  'firsts',
  'concatenate',
  'prod',
  'argmax',
  'argmin',
  'sort',
  'argsort',
  'std',
  'var',
  'mask',
  'is_none',
  'fill_none',
  'pad_none',
  'drop_none',
  'singletons',
  'cartesian',
  'combinations',
  'isclose',
];
