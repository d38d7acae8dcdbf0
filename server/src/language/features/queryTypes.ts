import type { XaodTypeDatabase } from '../xaod/typeDatabase';
import { OPERATOR_DOCS } from './queryDocs';
import type { Binding, QueryScopes } from './queryTokens';

/** What a func_adl expression is, as far as completion and hover need to know. */
export type QueryType =
  | { readonly kind: 'stream'; readonly element: QueryType }
  | { readonly kind: 'collection'; readonly element: QueryType }
  | { readonly kind: 'event' }
  | { readonly kind: 'object'; readonly cls: string }
  | { readonly kind: 'record'; readonly fields: readonly string[] }
  /** An uproot branch: a column of values per event, on which the LINQ operators work. */
  | { readonly kind: 'column' }
  | { readonly kind: 'module' }
  | { readonly kind: 'unknown' };

const UNKNOWN: QueryType = { kind: 'unknown' };
const EVENT_STREAM: QueryType = { kind: 'stream', element: { kind: 'event' } };
/** Operators whose lambda receives one element of the sequence they are called on. */
const ELEMENT_LAMBDAS = new Set(['Select', 'SelectMany', 'Where', 'All', 'Any', 'OrderBy', 'OrderByDescending']);
const SAME_SEQUENCE = new Set(['Where', 'OrderBy', 'OrderByDescending', 'Concat', 'MetaData']);
const ONE_ELEMENT = new Set(['First', 'Last', 'ElementAt']);
/** Recursion through lambdas is bounded so a pathological query cannot make a keystroke slow. */
const MAX_DEPTH = 24;

/** The element type of a sequence; unknown for anything else. */
export function elementOf(type: QueryType): QueryType {
  return type.kind === 'stream' || type.kind === 'collection' ? type.element : UNKNOWN;
}

/**
 * Follows types through a query's method chains: `e.Jets().Select(lambda j: j.` makes `j` a `Jet_v1` because the
 * lambda's operator is called on the `Jets` collection of the event that the top-level operator's lambda receives.
 */
export class QueryTypes {
  private readonly lambdaTypes = new Map<number, QueryType>();
  private depth = 0;

  constructor(
    private readonly scopes: QueryScopes,
    private readonly xaod: () => XaodTypeDatabase | undefined,
  ) {}

  /** The index of the first token of the postfix chain (`a.b(…)[…].c`) that ends at token `last`. */
  chainStart(last: number): number {
    const { tokens, match } = this.scopes;
    let i = last;
    while (i >= 0) {
      const token = tokens[i];
      if (token.kind === 'op' && (token.text === ')' || token.text === ']')) {
        if (match[i] < 0) return i;
        i = match[i] - 1;
        if (i < 0 || (tokens[i].kind !== 'name' && tokens[i].text !== ')' && tokens[i].text !== ']')) return i + 1;
        continue;
      }
      if (token.kind !== 'name') return i;
      if (i > 0 && tokens[i - 1].text === '.' && i > 1) i -= 2;
      else return i;
    }
    return 0;
  }

  /** The type of the chain that ends at token `last`. */
  typeBefore(last: number): QueryType {
    if (last < 0) return UNKNOWN;
    return this.chainType(this.chainStart(last), last);
  }

  /** The type of a lambda parameter. */
  paramType(binding: Binding): QueryType {
    const { lambda } = binding;
    const key = lambda.at * 8 + Math.min(binding.param, 7);
    const known = this.lambdaTypes.get(key);
    if (known) return known;
    if (this.depth > MAX_DEPTH) return UNKNOWN;
    this.depth++;
    try {
      const type = this.computeParamType(binding);
      this.lambdaTypes.set(key, type);
      return type;
    } finally {
      this.depth--;
    }
  }

  private computeParamType({ lambda, param }: Binding): QueryType {
    const { tokens } = this.scopes;
    const open = lambda.frame;
    if (open < 1 || tokens[open].text !== '(' || tokens[open - 1].kind !== 'name') return UNKNOWN;
    const operator = tokens[open - 1];
    const name = operator.text;
    if (!ELEMENT_LAMBDAS.has(name) && name !== 'Aggregate') return UNKNOWN;
    if (name === 'Aggregate' && param !== 1) return UNKNOWN;
    let source: QueryType;
    if (tokens[open - 2]?.text === '.') source = this.typeBefore(open - 3);
    else if (open - 1 === 0) source = EVENT_STREAM;
    else {
      // The function form `Select(source, lambda x: …)`: the source is the first argument.
      const comma = this.argumentEnd(open + 1);
      source = comma > open + 1 && comma < lambda.at ? this.typeBefore(comma - 1) : UNKNOWN;
    }
    return elementOf(source);
  }

  private chainType(start: number, last: number): QueryType {
    const { tokens, match, bindings } = this.scopes;
    const base = tokens[start];
    let type: QueryType = UNKNOWN;
    let i = start + 1;
    if (base.kind === 'name') {
      const binding = bindings.get(start);
      const call = tokens[i]?.text === '(' && match[i] >= 0 ? match[i] : -1;
      if (binding) type = this.paramType(binding);
      else if ((base.text === 'FromTree' || base.text === 'EventDataset') && call >= 0) {
        type = EVENT_STREAM;
        i = call + 1;
      } else if (start === 0 && call >= 0 && (base.text in OPERATOR_DOCS || base.text === 'MetaData')) {
        // A query may start with the operator itself; the client puts the event stream in front of it.
        type = this.applyOperator(EVENT_STREAM, base.text, i);
        i = call + 1;
      } else if (base.text === 'np') type = { kind: 'module' };
    }
    while (i <= last && type.kind !== 'unknown') {
      const token = tokens[i];
      if (token.text === '[' && match[i] >= 0) {
        type = type.kind === 'event' || type.kind === 'record' ? { kind: 'column' } : elementOf(type);
        i = match[i] + 1;
      } else if (token.text === '.' && tokens[i + 1]?.kind === 'name') {
        const name = tokens[i + 1].text;
        i += 2;
        // Templated accessors are written `j.getAttribute[cpp_float]('x')`; the brackets do not change the method.
        if (tokens[i]?.text === '[' && match[i] >= 0 && tokens[match[i] + 1]?.text === '(') i = match[i] + 1;
        const call = tokens[i]?.text === '(' && match[i] >= 0 ? i : -1;
        type = this.member(type, name, call);
        if (call >= 0) i = match[call] + 1;
      } else return UNKNOWN;
    }
    return type;
  }

  /** The type of `receiver.name` or `receiver.name(…)`; `call` is the index of the `(`, or -1. */
  member(receiver: QueryType, name: string, call: number): QueryType {
    if (receiver.kind === 'object') {
      const method = this.xaod()?.method(receiver.cls, name);
      return method ? this.cppType(method.returnType) : UNKNOWN;
    }
    if (receiver.kind === 'event') {
      const collection = this.xaod()?.collection(name);
      if (collection && call >= 0) {
        const item: QueryType = { kind: 'object', cls: collection.itemType };
        return collection.single ? item : { kind: 'collection', element: item };
      }
      return call >= 0 ? UNKNOWN : { kind: 'column' };
    }
    if (receiver.kind === 'record') return { kind: 'column' };
    if (call >= 0 && (name in OPERATOR_DOCS || name === 'MetaData')) return this.applyOperator(receiver, name, call);
    return UNKNOWN;
  }

  private applyOperator(source: QueryType, name: string, open: number): QueryType {
    if (SAME_SEQUENCE.has(name)) return source;
    if (ONE_ELEMENT.has(name)) return elementOf(source);
    if (name !== 'Select' && name !== 'SelectMany') return UNKNOWN;
    const body = this.lambdaBodyType(open);
    const element = name === 'Select' ? body : elementOf(body);
    if (source.kind === 'stream') return { kind: 'stream', element };
    return { kind: 'collection', element };
  }

  private lambdaBodyType(open: number): QueryType {
    const { tokens, match, lambdas } = this.scopes;
    const lambda = lambdas.find((l) => l.at === open + 1);
    if (!lambda || match[open] < 0) return UNKNOWN;
    const first = lambda.colon + 1;
    const last = lambda.bodyEnd - 1;
    if (first > last) return UNKNOWN;
    if (tokens[first].text === '{' && match[first] === last)
      return { kind: 'record', fields: this.dictKeys(first, last) };
    return this.chainStart(last) === first ? this.chainType(first, last) : UNKNOWN;
  }

  private dictKeys(open: number, close: number): string[] {
    const { tokens, match } = this.scopes;
    const keys: string[] = [];
    for (let i = open + 1; i < close; i++) {
      const token = tokens[i];
      if (token.kind === 'string' && tokens[i + 1]?.text === ':' && /^['"]/.test(token.text)) {
        keys.push(token.text.slice(1, -1));
      }
      if (match[i] > i) i = match[i];
    }
    return keys;
  }

  private argumentEnd(from: number): number {
    const { tokens, match } = this.scopes;
    for (let i = from; i < tokens.length; i++) {
      if (tokens[i].text === ',' || tokens[i].text === ')') return i;
      if (match[i] > i) i = match[i];
    }
    return tokens.length;
  }

  /** The query type of a C++ return type from the type database. */
  private cppType(cpp: string): QueryType {
    const cls = this.xaod()?.classOf(cpp);
    if (!cls) return UNKNOWN;
    if (cls.elementType) return { kind: 'collection', element: { kind: 'object', cls: cls.elementType } };
    return { kind: 'object', cls: cls.pythonName };
  }
}
