/** Token kinds. Tokens are stored column-wise (kind, start, end) so that megabyte inputs stay cheap. */
export const Tok = {
  Name: 1,
  Number: 2,
  String: 3,
  Op: 4,
  Newline: 5,
  /** Indentation at the start of a logical line; Python reports "unexpected indent" when the parser meets it. */
  Indent: 6,
  End: 7,
  /** A character the tokenizer passes on but no grammar rule accepts (`$`, `?`, `!`, a backtick). */
  Stray: 8,
  /** A backslash continuation at the very end of the input. */
  EofInContinuation: 9,
  /** Where the tokenizer stopped on an error (`LexResult.error` or `deferredError`): reading it raises that error. */
  Deferred: 10,
} as const;

/** The columns of a token stream; growing them token by token was a large share of the time spent on a query. */
interface Columns {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  texts: string[];
}

const INITIAL_CAPACITY = 256;
/** Columns larger than this are not kept for reuse, so that one huge input does not pin its strings in memory. */
const POOL_LIMIT = 4096;
/**
 * Columns kept between parses. Parses nest only a little (a lambda in a string, an f-string field), so a few sets
 * are enough for every parse to find one.
 */
const pool: Columns[] = [];
const POOL_SIZE = 4;

function newColumns(capacity: number): Columns {
  return {
    kinds: new Uint8Array(capacity),
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    texts: [],
  };
}

/**
 * The tokens of one source text, column-wise; names and operators also keep their text for quick comparison. The
 * fields are declared and set in the constructor, not initialised as class fields, which V8 defines more slowly.
 */
export class Tokens {
  declare readonly text: string;
  declare kinds: Uint8Array;
  declare starts: Int32Array;
  declare ends: Int32Array;
  /** The text of name and operator tokens, '' for the others. */
  declare texts: string[];
  declare count: number;
  declare private columns: Columns;
  declare private levelCache: number[] | undefined;

  constructor(text: string) {
    this.text = text;
    this.count = 0;
    this.levelCache = undefined;
    const columns = pool.pop() ?? newColumns(INITIAL_CAPACITY);
    this.columns = columns;
    this.kinds = columns.kinds;
    this.starts = columns.starts;
    this.ends = columns.ends;
    this.texts = columns.texts;
  }

  /** Hands the columns back for the next parse; the tokens must not be read afterwards. */
  release(): void {
    if (this.kinds.length <= POOL_LIMIT && pool.length < POOL_SIZE) pool.push(this.columns);
  }

  push(kind: number, start: number, end: number): void {
    this.add(kind, start, end, kind === Tok.Name ? this.text.slice(start, end) : '');
  }

  /** Adds an operator token, whose text the tokenizer already knows. */
  pushOp(start: number, end: number, text: string): void {
    this.add(Tok.Op, start, end, text);
  }

  private add(kind: number, start: number, end: number, text: string): void {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    if (i < this.texts.length) this.texts[i] = text;
    else this.texts.push(text);
    this.count = i + 1;
  }

  private grow(): void {
    const bigger = newColumns(this.kinds.length * 2);
    bigger.kinds.set(this.kinds);
    bigger.starts.set(this.starts);
    bigger.ends.set(this.ends);
    bigger.texts = this.texts;
    this.columns = bigger;
    this.kinds = bigger.kinds;
    this.starts = bigger.starts;
    this.ends = bigger.ends;
  }

  /** The bracket nesting level after token `i`, as CPython records it (a closer has its outer level). */
  level(i: number): number {
    if (!this.levelCache) {
      // Only CPython's second pass asks for levels, so they are worked out on first use.
      const levels: number[] = [];
      let depth = 0;
      for (let t = 0; t < this.count; t++) {
        if (this.kinds[t] === Tok.Op) {
          const op = this.texts[t];
          if (op === '(' || op === '[' || op === '{') depth++;
          else if (op === ')' || op === ']' || op === '}') depth--;
        }
        levels.push(depth);
      }
      this.levelCache = levels;
    }
    return this.levelCache[i] ?? 0;
  }

  textOf(i: number): string {
    // Past the end the columns may hold another parse's tokens; reading there gives the whole text, as it always has.
    if (i >= this.count) return this.text;
    return this.kinds[i] === Tok.Name || this.kinds[i] === Tok.Op
      ? this.texts[i]
      : this.text.slice(this.starts[i], this.ends[i]);
  }
}

/** Interned texts of the one-character operators, so that tokenizing them allocates nothing. */
export const ONE_CHAR_TEXT: readonly string[] = (() => {
  const table: string[] = [];
  for (const op of '%&()*+,-./:;<=>@[]^{|}~$?!`') table[op.charCodeAt(0)] = op;
  return table;
})();

/** An identifier as Python stores it: NFKC-normalized when it has characters outside ASCII. */
export function normalizeIdentifier(raw: string): string {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) >= 128) return raw.normalize('NFKC');
  return raw;
}
