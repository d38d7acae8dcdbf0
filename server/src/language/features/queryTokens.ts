// A forgiving tokenizer and scope pass for func_adl text. The func_adl engine's parser is exact but stops at the first
// error, while completion and highlighting run on text that is being typed, so these never fail: an unfinished string
// or bracket simply runs to the end.

/** What a token is. Brackets are `op` tokens; `match` pairs them. */
export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'comment';

/** One token, with offsets into the query text. */
export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** A string that is still open at the end of its line (or of the text). */
  readonly open?: boolean;
}

/** A lambda and the parameters it binds. */
export interface LambdaInfo {
  /** Token index of the `lambda` keyword. */
  readonly at: number;
  readonly params: readonly string[];
  /** Token index of the colon that starts the body. */
  readonly colon: number;
  /** Token index of the bracket that encloses the lambda, -1 at the top. */
  readonly frame: number;
  /** Token index one past the body. */
  bodyEnd: number;
}

/** A lambda parameter a name refers to. */
export interface Binding {
  readonly lambda: LambdaInfo;
  readonly param: number;
}

/** Tokens with bracket pairs and what each name refers to. */
export interface QueryScopes {
  readonly tokens: readonly Token[];
  /** For each bracket token, the index of its partner, or -1 when it has none. */
  readonly match: Int32Array;
  /** For each name token that is a lambda parameter (where declared and where used), its binding. */
  readonly bindings: ReadonlyMap<number, Binding>;
  readonly lambdas: readonly LambdaInfo[];
}

/** Python keywords and constants that can appear in a query. */
export const KEYWORDS = new Set([
  'lambda',
  'if',
  'else',
  'and',
  'or',
  'not',
  'in',
  'is',
  'for',
  'True',
  'False',
  'None',
]);

const NAME = /[A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*/y;
const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/y;
const OPERATOR = /\*\*|\/\/|==|!=|<=|>=|<<|>>|->|:=|[^\s\w]/y;
const STRING_PREFIX = /^(?:[rRuUfFbB]|[rR][bBfF]|[bBfF][rR])$/;

/** Splits func_adl text into tokens; never throws. */
export function tokenizeQuery(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const push = (kind: TokenKind, start: number, end: number, open?: boolean) => {
    tokens.push(
      open
        ? { kind, start, end, text: text.slice(start, end), open }
        : { kind, start, end, text: text.slice(start, end) },
    );
    pos = end;
  };
  while (pos < text.length) {
    const ch = text[pos];
    if (/\s/.test(ch) || ch === '\\') {
      pos++;
      continue;
    }
    if (ch === '#') {
      const newline = text.indexOf('\n', pos);
      push('comment', pos, newline < 0 ? text.length : newline);
      continue;
    }
    NAME.lastIndex = pos;
    const name = NAME.exec(text);
    if (name) {
      const quote = text[pos + name[0].length];
      if ((quote === '"' || quote === "'") && STRING_PREFIX.test(name[0])) {
        const end = stringEnd(text, pos + name[0].length);
        push('string', pos, end.end, end.open);
      } else push('name', pos, pos + name[0].length);
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = stringEnd(text, pos);
      push('string', pos, end.end, end.open);
      continue;
    }
    NUMBER.lastIndex = pos;
    const number = /[\d.]/.test(ch) ? NUMBER.exec(text) : null;
    if (number && number[0] !== '.') {
      push('number', pos, pos + number[0].length);
      continue;
    }
    OPERATOR.lastIndex = pos;
    push('op', pos, pos + (OPERATOR.exec(text)?.[0].length ?? 1));
  }
  return tokens;
}

function stringEnd(text: string, quoteAt: number): { end: number; open: boolean } {
  const quote = text[quoteAt];
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const closer = triple ? quote.repeat(3) : quote;
  for (let i = quoteAt + closer.length; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '\n' && !triple) return { end: i, open: true };
    else if (text.startsWith(closer, i)) return { end: i + closer.length, open: false };
  }
  return { end: text.length, open: true };
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const PARAMETER_PUNCTUATION = new Set([',', '*', '**', '=', '/']);
const CLOSERS = new Set([')', ']', '}']);

/** Pairs brackets and resolves which names are lambda parameters, in one forward pass. */
export function analyzeScopes(tokens: readonly Token[]): QueryScopes {
  const match = new Int32Array(tokens.length).fill(-1);
  const bindings = new Map<number, Binding>();
  const lambdas: LambdaInfo[] = [];
  // Each frame is an open bracket with the lambdas whose bodies are still running inside it.
  const frames: { open: number; active: LambdaInfo[] }[] = [{ open: -1, active: [] }];
  const close = (frame: { active: LambdaInfo[] }, at: number) => {
    for (const lambda of frame.active) lambda.bodyEnd = at;
    frame.active = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const top = frames[frames.length - 1];
    if (token.kind === 'name' && token.text === 'lambda') {
      const params: string[] = [];
      let j = i + 1;
      // A parameter list being typed may have no colon yet; it ends at the first token that cannot be part of it.
      for (; j < tokens.length && tokens[j].text !== ':'; j++) {
        const t = tokens[j];
        const afterEquals = tokens[j - 1].text === '=';
        if (t.kind === 'name' && !afterEquals) params.push(t.text);
        else if (!(t.kind === 'op' && PARAMETER_PUNCTUATION.has(t.text)) && !afterEquals) break;
      }
      const lambda: LambdaInfo = { at: i, params, colon: j, frame: top.open, bodyEnd: tokens.length };
      lambdas.push(lambda);
      for (let k = i + 1; k < j; k++) {
        const index = params.indexOf(tokens[k].text);
        if (tokens[k].kind === 'name' && index >= 0) bindings.set(k, { lambda, param: index });
      }
      top.active.push(lambda);
      i = tokens[j]?.text === ':' ? j : j - 1;
      continue;
    }
    if (token.kind === 'op') {
      if (token.text in OPENERS) frames.push({ open: i, active: [] });
      else if (CLOSERS.has(token.text) && frames.length > 1) {
        const frame = frames.pop() as { open: number; active: LambdaInfo[] };
        close(frame, i);
        if (OPENERS[tokens[frame.open].text] === token.text) {
          match[i] = frame.open;
          match[frame.open] = i;
        }
      } else if (token.text === ',') close(top, i);
      continue;
    }
    if (token.kind === 'name' && tokens[i - 1]?.text !== '.') {
      const binding = lookup(frames, token.text);
      if (binding) bindings.set(i, binding);
    }
  }
  return { tokens, match, bindings, lambdas };
}

function lookup(frames: readonly { active: readonly LambdaInfo[] }[], name: string): Binding | undefined {
  for (let f = frames.length - 1; f >= 0; f--) {
    const active = frames[f].active;
    for (let l = active.length - 1; l >= 0; l--) {
      const param = active[l].params.indexOf(name);
      if (param >= 0) return { lambda: active[l], param };
    }
  }
  return undefined;
}

/** The index of the last token that starts before `offset`, or -1. */
export function tokenBefore(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid].start < offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
