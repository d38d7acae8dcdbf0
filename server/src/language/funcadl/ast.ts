/**
 * The syntax tree of the Python subset that func_adl queries are written in. It mirrors the shape of Python's own
 * `ast` module closely enough that qastle's translation rules can be replayed node by node, and every node carries
 * UTF-16 offsets into the text that was parsed.
 */

/** A half-open range of UTF-16 offsets into the parsed text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The value of a Python constant, keeping the distinctions that `repr` needs (int against float, str against bytes). */
export type PyValue =
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'complex'; readonly real: number; readonly imag: number }
  | { readonly type: 'str'; readonly value: string }
  | { readonly type: 'bytes'; readonly value: readonly number[] }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'none' }
  | { readonly type: 'ellipsis' };

export type UnaryOperator = 'not' | '-' | '+' | '~';
export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '<<' | '>>' | '&' | '|' | '^';
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

/** Fields shared by every expression node; `depth` estimates the Python stack frames qastle needs to visit it. */
interface ExprBase extends Span {
  depth: number;
}

export interface NameExpr extends ExprBase {
  readonly kind: 'Name';
  readonly id: string;
}
export interface ConstantExpr extends ExprBase {
  readonly kind: 'Constant';
  readonly value: PyValue;
}
export interface SequenceExpr extends ExprBase {
  readonly kind: 'List' | 'Tuple' | 'Set';
  readonly elts: Expr[];
}
export interface DictExpr extends ExprBase {
  readonly kind: 'Dict';
  /** A `null` key stands for a `**mapping` entry, as in Python's ast. */
  readonly keys: (Expr | null)[];
  readonly values: Expr[];
}
export interface AttributeExpr extends ExprBase {
  readonly kind: 'Attribute';
  readonly value: Expr;
  readonly attr: string;
  readonly attrSpan: Span;
}
export interface SubscriptExpr extends ExprBase {
  readonly kind: 'Subscript';
  readonly value: Expr;
  readonly slice: Expr;
}
export interface SliceExpr extends ExprBase {
  readonly kind: 'Slice';
  readonly lower: Expr | null;
  readonly upper: Expr | null;
  readonly step: Expr | null;
}
export interface Keyword extends Span {
  /** `null` for a `**mapping` argument. */
  readonly arg: string | null;
  readonly value: Expr;
}
export interface CallExpr extends ExprBase {
  readonly kind: 'Call';
  readonly func: Expr;
  readonly args: Expr[];
  readonly keywords: Keyword[];
  /** The span of the parentheses and what is between them. */
  readonly argsSpan: Span;
}
export interface IfExpr extends ExprBase {
  readonly kind: 'IfExp';
  readonly test: Expr;
  readonly body: Expr;
  readonly orelse: Expr;
}
export interface UnaryExpr extends ExprBase {
  readonly kind: 'UnaryOp';
  readonly op: UnaryOperator;
  readonly operand: Expr;
}
export interface BinaryExpr extends ExprBase {
  readonly kind: 'BinOp';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
}
export interface BoolExpr extends ExprBase {
  readonly kind: 'BoolOp';
  readonly op: 'and' | 'or';
  readonly values: Expr[];
}
export interface CompareExpr extends ExprBase {
  readonly kind: 'Compare';
  readonly left: Expr;
  readonly ops: CompareOperator[];
  readonly opSpans: Span[];
  readonly comparators: Expr[];
}
export interface Arg extends Span {
  readonly name: string;
}
export interface Arguments extends Span {
  readonly posonlyargs: Arg[];
  readonly args: Arg[];
  readonly vararg: Arg | null;
  readonly kwonlyargs: Arg[];
  readonly kwDefaults: (Expr | null)[];
  readonly kwarg: Arg | null;
  readonly defaults: Expr[];
}
export interface LambdaExpr extends ExprBase {
  readonly kind: 'Lambda';
  readonly args: Arguments;
  readonly body: Expr;
}
export interface Comprehension extends Span {
  readonly target: Expr;
  readonly iter: Expr;
  readonly ifs: Expr[];
  readonly isAsync: boolean;
}
export interface ComprehensionExpr extends ExprBase {
  readonly kind: 'ListComp' | 'SetComp' | 'GeneratorExp';
  readonly elt: Expr;
  readonly generators: Comprehension[];
}
export interface DictCompExpr extends ExprBase {
  readonly kind: 'DictComp';
  readonly key: Expr;
  readonly value: Expr;
  readonly generators: Comprehension[];
}
export interface WrapperExpr extends ExprBase {
  readonly kind: 'Starred' | 'Await' | 'YieldFrom';
  readonly value: Expr;
}
export interface YieldExpr extends ExprBase {
  readonly kind: 'Yield';
  readonly value: Expr | null;
}
export interface NamedExpr extends ExprBase {
  readonly kind: 'NamedExpr';
  readonly target: Expr;
  readonly value: Expr;
}
export interface JoinedStrExpr extends ExprBase {
  readonly kind: 'JoinedStr';
  /** The expressions inside the f-string's replacement fields, in order. */
  readonly values: Expr[];
}
/** A LINQ operator node that `qastle.insert_linq_nodes` puts in place of a call (`Select`, `Where`, …). */
export interface LinqExpr extends ExprBase {
  readonly kind: 'Linq';
  readonly op: string;
  readonly fields: Expr[];
  /** The call it replaced, when it came from func_adl source rather than from qastle text. */
  readonly call?: CallExpr;
}

export type Expr =
  | NameExpr
  | ConstantExpr
  | SequenceExpr
  | DictExpr
  | AttributeExpr
  | SubscriptExpr
  | SliceExpr
  | CallExpr
  | IfExpr
  | UnaryExpr
  | BinaryExpr
  | BoolExpr
  | CompareExpr
  | LambdaExpr
  | ComprehensionExpr
  | DictCompExpr
  | WrapperExpr
  | YieldExpr
  | NamedExpr
  | JoinedStrExpr
  | LinqExpr;

/**
 * A statement. Queries are single expressions, but Python accepts more (a `;`, an assignment) and qastle then fails
 * with messages that depend on the statement's class, so statements keep their Python class name and any value.
 */
export interface Stmt extends Span {
  /** Python's class name: `Expr`, `Assign`, `AugAssign`, `AnnAssign`, `Return`, `Pass`, `Import`, … */
  readonly kind: string;
  /** The expressions inside, in Python's field order, for the passes that visit every node. */
  readonly children: Expr[];
  /** What `statement.value` gives in Python; `undefined` when the class has no such attribute. */
  readonly value?: Expr | null;
  /** The statement's own estimate of Python stack depth (see `ExprBase.depth`). */
  readonly depth: number;
}

export interface Module extends Span {
  readonly body: Stmt[];
}
