import type {
  Arguments,
  AttributeExpr,
  CallExpr,
  Comprehension,
  Expr,
  Keyword,
  LambdaExpr,
  Span,
} from '../funcadl/ast';
import { glue, parseModule, PyError } from '../funcadl';
import type { TextProblem } from '../problems';
import { suggestion } from '../spec/schema';
import { childExpressions, targetNames } from './children';
import type { XaodClass, XaodTypeDatabase } from './typeDatabase';

/**
 * What a value in a query is, as far as the check can be sure. Records keep the type of each field, because xAOD
 * queries usually gather collections into a dictionary first (`{'jets': e.Jets()}`) and use them in a later Select.
 */
type ValueType =
  | { readonly kind: 'stream'; readonly element: ValueType }
  | { readonly kind: 'sequence'; readonly element: ValueType }
  | { readonly kind: 'event' }
  | { readonly kind: 'object'; readonly cls: XaodClass }
  | { readonly kind: 'record'; readonly fields: ReadonlyMap<string, ValueType> }
  | { readonly kind: 'unknown' };

const UNKNOWN: ValueType = { kind: 'unknown' };
const EVENT_STREAM: ValueType = { kind: 'stream', element: { kind: 'event' } };
/** Operators whose lambda receives one element of the sequence they are called on. */
const ELEMENT_LAMBDAS = new Set(['Select', 'SelectMany', 'Where', 'All', 'Any', 'OrderBy', 'OrderByDescending']);
const SAME_SEQUENCE = new Set(['Where', 'OrderBy', 'OrderByDescending', 'Concat', 'MetaData']);
const ONE_ELEMENT = new Set(['First', 'Last', 'ElementAt']);
/** Names that are sequence operators or uproot helpers, never xAOD collections, though they start with a capital. */
const NOT_COLLECTIONS = new Set([
  ...ELEMENT_LAMBDAS,
  ...ONE_ELEMENT,
  ...['MetaData', 'QMetaData', 'Aggregate', 'Contains', 'Count', 'Max', 'Min', 'Sum', 'Concat', 'Zip', 'Choose'],
  ...['ToFourMomentum', 'ToFourMomenta', 'FromTree'],
]);
/** The parser refuses to nest deeper than this; the walk stops at the same depth, leaving anything below unchecked. */
const MAX_DEPTH = 500;
const CAPITALISED_CALL = /\.\s*([A-Z]\w*)\s*\(/g;

/**
 * Reports xAOD-style calls in func_adl query text that the type database says cannot work: an event collection that
 * does not exist, a method a class does not have, and a method written without its call. Only values whose type is
 * certain are checked; offsets are into `text`.
 */
export function checkXaodCalls(text: string, db: XaodTypeDatabase): TextProblem[] {
  if (!callsCapitalisedMethod(text)) return [];
  // The check reads what the client sends: the glued first line, as the func_adl engine does.
  const g = glue(text);
  let body;
  try {
    body = parseModule(g.source).body;
  } catch (error) {
    if (error instanceof PyError) return [];
    throw error;
  }
  const checker = new XaodChecker(db, g.source);
  for (const statement of body) for (const child of statement.children) checker.type(child);
  const toText = (offset: number) => Math.min(g.restEnd, g.restStart + Math.max(0, offset - g.prefixLength));
  return checker.problems
    .map((p) => ({ ...p, start: toText(p.start), end: toText(p.end) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * The xAOD problems of a query text. The type database is asked for only when the text calls a capitalised method,
 * so uproot queries never make it load; `xaod` gives undefined when it cannot be read, and the check is then skipped.
 */
export function xaodProblems(text: string, xaod: () => XaodTypeDatabase | undefined): TextProblem[] {
  if (!callsCapitalisedMethod(text)) return [];
  const db = xaod();
  return db ? checkXaodCalls(text, db) : [];
}

/** Whether the text calls a capitalised method other than a sequence operator: without one no xAOD value exists. */
export function callsCapitalisedMethod(text: string): boolean {
  CAPITALISED_CALL.lastIndex = 0;
  for (let match = CAPITALISED_CALL.exec(text); match; match = CAPITALISED_CALL.exec(text)) {
    if (!NOT_COLLECTIONS.has(match[1])) return true;
  }
  return false;
}

/** One pass over the query's tree that works out each expression's type once and reports as it goes. */
class XaodChecker {
  readonly problems: TextProblem[] = [];
  /** For each lambda or comprehension variable in scope, the types bound to it, innermost last. */
  private readonly scope = new Map<string, ValueType[]>();
  private depth = 0;

  constructor(
    private readonly db: XaodTypeDatabase,
    private readonly source: string,
  ) {}

  /** The type of an expression, checking everything inside it. */
  type(expr: Expr | null): ValueType {
    if (!expr || this.depth >= MAX_DEPTH) return UNKNOWN;
    this.depth++;
    try {
      return this.visit(expr);
    } finally {
      this.depth--;
    }
  }

  private visit(expr: Expr): ValueType {
    switch (expr.kind) {
      case 'Name':
        return this.scope.get(expr.id)?.at(-1) ?? UNKNOWN;
      case 'Call':
        return this.call(expr);
      case 'Attribute':
        return this.attribute(this.type(expr.value), expr.attr, expr);
      case 'Subscript':
        return this.subscript(expr.value, expr.slice);
      case 'Dict':
        return this.record(expr.keys, expr.values);
      case 'Lambda':
        this.lambda(expr, []);
        return UNKNOWN;
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp':
        this.comprehension(expr.generators, [expr.elt]);
        return UNKNOWN;
      case 'DictComp':
        this.comprehension(expr.generators, [expr.key, expr.value]);
        return UNKNOWN;
      default:
        for (const child of childExpressions(expr)) this.type(child);
        return UNKNOWN;
    }
  }

  private call(call: CallExpr): ValueType {
    let func = call.func;
    // Templated accessors are written `j.getAttribute[cpp_float]('x')`; the brackets do not change the method.
    if (func.kind === 'Subscript' && func.value.kind === 'Attribute') {
      this.type(func.slice);
      func = func.value;
    }
    if (func.kind === 'Name') {
      // The client's glue starts every query with `EventDataset(…)`, the stream of events.
      if (func.id === 'EventDataset') return this.visitArguments(call.args, call.keywords, EVENT_STREAM);
      if (NOT_COLLECTIONS.has(func.id) && call.args.length > 0) {
        return this.operator(func.id, this.type(call.args[0]), call.args.slice(1), call.keywords);
      }
    }
    if (func.kind !== 'Attribute') {
      this.type(func);
      return this.visitArguments(call.args, call.keywords, UNKNOWN);
    }
    const receiver = this.type(func.value);
    const name = func.attr;
    if (NOT_COLLECTIONS.has(name) && (receiver.kind === 'stream' || receiver.kind === 'sequence')) {
      return this.operator(name, receiver, call.args, call.keywords);
    }
    let result: ValueType = UNKNOWN;
    if (receiver.kind === 'event' && /^[A-Z]/.test(name) && !NOT_COLLECTIONS.has(name)) {
      const collection = this.db.collection(name);
      if (collection) {
        const item = this.objectOf(collection.itemType);
        result = collection.single ? item : { kind: 'sequence', element: item };
      } else {
        const names = this.db.collections().map((c) => c.name);
        const hint = suggestion(name, names) || ` For an uproot branch, leave out the call: ${this.text(func)}.`;
        const message = `The xAOD event has no collection "${name}", so this call cannot be translated.${hint}`;
        this.report(func.attrSpan, 'funcadl/xaod-unknown-collection', 'error', message);
      }
    } else if (receiver.kind === 'object') {
      const method = this.db.method(receiver.cls.pythonName, name);
      if (method) result = this.cppType(method.returnType);
      else {
        const names = this.db.methodsOf(receiver.cls.pythonName).map((m) => m.name);
        const message = `${receiver.cls.pythonName} has no method "${name}".${suggestion(name, names)}`;
        this.report(func.attrSpan, 'funcadl/xaod-unknown-method', 'error', message);
      }
    }
    return this.visitArguments(call.args, call.keywords, result);
  }

  /** Applies a sequence operator: binds its lambda's parameter to the element type and works out what it returns. */
  private operator(name: string, source: ValueType, args: readonly Expr[], keywords: readonly Keyword[]): ValueType {
    const element = source.kind === 'stream' || source.kind === 'sequence' ? source.element : UNKNOWN;
    let body: ValueType = UNKNOWN;
    args.forEach((arg, index) => {
      if (arg.kind !== 'Lambda') this.type(arg);
      else if (ELEMENT_LAMBDAS.has(name) && index === 0) body = this.lambda(arg, [element]);
      else this.lambda(arg, name === 'Aggregate' ? [UNKNOWN, element] : []);
    });
    this.visitArguments([], keywords, UNKNOWN);
    if (source.kind !== 'stream' && source.kind !== 'sequence') return UNKNOWN;
    if (SAME_SEQUENCE.has(name)) return source;
    if (ONE_ELEMENT.has(name)) return element;
    if (name !== 'Select' && name !== 'SelectMany') return UNKNOWN;
    const produced = name === 'Select' ? body : body.kind === 'sequence' ? body.element : UNKNOWN;
    return { kind: source.kind, element: produced };
  }

  private attribute(receiver: ValueType, name: string, expr: AttributeExpr) {
    if (receiver.kind === 'record') return receiver.fields.get(name) ?? UNKNOWN;
    if (receiver.kind === 'object' && this.db.method(receiver.cls.pythonName, name)) {
      const message = `${name} is a method of ${receiver.cls.pythonName}, and xAOD values are read by calling it: write ${this.text(expr)}().`;
      this.report(expr.attrSpan, 'funcadl/xaod-missing-call', 'warning', message);
    }
    return UNKNOWN;
  }

  private subscript(value: Expr, slice: Expr): ValueType {
    // A method named with template brackets but never called is left alone rather than reported as a missing call.
    const receiver = value.kind === 'Attribute' ? this.type(value.value) : this.type(value);
    this.type(slice);
    if (receiver.kind === 'sequence' && value.kind !== 'Attribute') return receiver.element;
    if (receiver.kind === 'record' && value.kind !== 'Attribute' && slice.kind === 'Constant') {
      return slice.value.type === 'str' ? (receiver.fields.get(slice.value.value) ?? UNKNOWN) : UNKNOWN;
    }
    return UNKNOWN;
  }

  private record(keys: readonly (Expr | null)[], values: readonly Expr[]): ValueType {
    const fields = new Map<string, ValueType>();
    keys.forEach((key, index) => {
      const value = this.type(values[index]);
      if (key?.kind === 'Constant' && key.value.type === 'str') fields.set(key.value.value, value);
      else this.type(key);
    });
    return { kind: 'record', fields };
  }

  /** Checks a lambda's body with its parameters bound to `types` (missing ones unknown) and returns the body's type. */
  private lambda(lambda: LambdaExpr, types: readonly ValueType[]): ValueType {
    const args: Arguments = lambda.args;
    for (const value of [...args.defaults, ...args.kwDefaults]) this.type(value);
    const positional = [...args.posonlyargs, ...args.args].map((a) => a.name);
    const others = [...args.kwonlyargs, args.vararg, args.kwarg].flatMap((a) => (a ? [a.name] : []));
    const names = [...positional, ...others];
    names.forEach((name, index) => this.bind(name, types[index] ?? UNKNOWN));
    try {
      return this.type(lambda.body);
    } finally {
      for (const name of names) this.unbind(name);
    }
  }

  /** Comprehensions are func_adl sugar for Select and Where: each target is bound to an element of its iterable. */
  private comprehension(generators: readonly Comprehension[], results: readonly Expr[]): void {
    const bound: string[] = [];
    for (const generator of generators) {
      const iterable = this.type(generator.iter);
      const element = iterable.kind === 'sequence' || iterable.kind === 'stream' ? iterable.element : UNKNOWN;
      const names = targetNames(generator.target);
      for (const name of names) this.bind(name, generator.target.kind === 'Name' ? element : UNKNOWN);
      bound.push(...names);
      for (const condition of generator.ifs) this.type(condition);
    }
    for (const result of results) this.type(result);
    for (const name of bound) this.unbind(name);
  }

  private visitArguments(args: readonly Expr[], keywords: readonly Keyword[], result: ValueType): ValueType {
    for (const arg of args) this.type(arg);
    for (const keyword of keywords) this.type(keyword.value);
    return result;
  }

  /** An object of a class, when the database knows the class and gives it methods; unknown otherwise. */
  private objectOf(type: string): ValueType {
    const cls = this.db.classOf(type);
    return cls && this.db.methodsOf(cls.pythonName).length > 0 ? { kind: 'object', cls } : UNKNOWN;
  }

  /** What a method's C++ return type is: a class, a sequence of a container's elements, or unknown (numbers). */
  private cppType(cpp: string): ValueType {
    const cls = this.db.classOf(cpp);
    if (!cls) return UNKNOWN;
    if (cls.elementType) return { kind: 'sequence', element: this.objectOf(cls.elementType) };
    return this.objectOf(cls.pythonName);
  }

  private bind(name: string, type: ValueType): void {
    const stack = this.scope.get(name);
    if (stack) stack.push(type);
    else this.scope.set(name, [type]);
  }

  private unbind(name: string): void {
    this.scope.get(name)?.pop();
  }

  private text(expr: Expr): string {
    const source = this.source.slice(expr.start, expr.end);
    return source.length <= 40 ? source : `….${source.slice(source.lastIndexOf('.') + 1)}`;
  }

  private report(span: Span, code: string, severity: 'error' | 'warning', message: string) {
    this.problems.push({ start: span.start, end: span.end, code, message, severity });
  }
}
