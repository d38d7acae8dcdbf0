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

/** The tokens of one source text, column-wise; names and operators also keep their text for quick comparison. */
export class Tokens {
  readonly kinds: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** The text of name and operator tokens, '' for the others. */
  readonly texts: string[] = [];
  count = 0;

  constructor(readonly text: string) {}

  push(kind: number, start: number, end: number): void {
    this.kinds.push(kind);
    this.starts.push(start);
    this.ends.push(end);
    this.texts.push(
      kind === Tok.Name || (kind === Tok.Op && end - start > 1)
        ? this.text.slice(start, end)
        : kind === Tok.Op
          ? (ONE_CHAR_TEXT[this.text.charCodeAt(start)] ?? this.text[start])
          : '',
    );
    this.count++;
  }

  private levelCache?: number[];

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
    return this.kinds[i] === Tok.Name || this.kinds[i] === Tok.Op
      ? this.texts[i]
      : this.text.slice(this.starts[i], this.ends[i]);
  }
}

/** Interned texts of the one-character operators, so that tokenizing them allocates nothing. */
const ONE_CHAR_TEXT: readonly string[] = (() => {
  const table: string[] = [];
  for (const op of '%&()*+,-./:;<=>@[]^{|}~$?!`') table[op.charCodeAt(0)] = op;
  return table;
})();

/** An identifier as Python stores it: NFKC-normalized when it has characters outside ASCII. */
export function normalizeIdentifier(raw: string): string {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) >= 128) return raw.normalize('NFKC');
  return raw;
}
