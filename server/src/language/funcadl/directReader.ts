import type { PyValue } from './ast';
import { reprStr, reprValue } from './literals';
import { numberValue } from './numbers';
import { evaluateStrings } from './strings';
import { KEYWORDS } from './parser';
import { Tok, type Tokens, normalizeIdentifier } from './tokens';

/** Thrown wherever the direct translator (see `direct.ts`) leaves a query to the full pipeline. */
export const GIVE_UP = new Error('outside the direct translator');

export function giveUp(): never {
  throw GIVE_UP;
}

/** What the expression just read is, as far as its parents need to know. */
export const OTHER = 0;
export const LAMBDA = 1;
export const CONSTANT = 2;
export const NAME = 3;
export const ATTRIBUTE = 4;

/**
 * The token reading and the atoms of the direct translator: names, constants, bracketed displays and lambdas, each
 * returned as its qastle text. The operator levels are in `direct.ts`, which supplies `expression`.
 */
export abstract class DirectReader {
  declare protected readonly text: string;
  declare protected readonly kinds: Uint8Array;
  declare protected readonly starts: Int32Array;
  declare protected readonly ends: Int32Array;
  declare protected readonly texts: string[];
  declare protected readonly count: number;
  declare protected pos: number;
  /** The kind of the expression just read, and its details when it is a constant, a name or an attribute. */
  declare protected kind: number;
  declare protected value: PyValue | undefined;
  declare protected id: string;
  declare protected base: string;

  constructor(tokens: Tokens) {
    this.text = tokens.text;
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.texts = tokens.texts;
    this.count = tokens.count;
    this.pos = 0;
    this.kind = OTHER;
    this.value = undefined;
    this.id = '';
    this.base = '';
  }

  protected abstract expression(): string;

  protected tokenKind(i: number): number {
    return i < this.count ? this.kinds[i] : Tok.End;
  }
  protected isOp(op: string, i = this.pos): boolean {
    return this.tokenKind(i) === Tok.Op && this.texts[i] === op;
  }
  protected isKeyword(word: string, i = this.pos): boolean {
    return this.tokenKind(i) === Tok.Name && this.texts[i] === word;
  }
  protected expectOp(op: string): void {
    if (!this.isOp(op)) giveUp();
    this.pos++;
  }
  /** A name that is not a keyword; keywords are 2 to 8 letters long, so most names need no lookup. */
  protected isPlainName(i: number): boolean {
    if (this.tokenKind(i) !== Tok.Name) return false;
    const text = this.texts[i];
    return text.length < 2 || text.length > 8 || !KEYWORDS.has(text);
  }
  /** An expression where Python allows `:=` or a comprehension after it, neither of which is handled here. */
  protected item(): string {
    if (this.isOp('*') || this.isOp('**')) giveUp();
    const text = this.expression();
    if (this.isOp(':=') || this.isKeyword('for') || this.isKeyword('async')) giveUp();
    return text;
  }

  protected atom(): string {
    const kind = this.tokenKind(this.pos);
    const i = this.pos;
    this.pos++;
    if (kind === Tok.Name) {
      const word = this.texts[i];
      if (word === 'True' || word === 'False') return this.constant({ type: 'bool', value: word === 'True' }, word);
      if (word === 'None') return this.constant({ type: 'none' }, word);
      if (!this.isPlainName(i)) giveUp();
      this.kind = NAME;
      this.id = normalizeIdentifier(word);
      return this.id;
    }
    if (kind === Tok.Number) {
      const start = this.starts[i];
      const end = this.ends[i];
      const value = numberValue(this.text.slice(start, end), start);
      return this.constant(value, reprValue(value, start, end));
    }
    if (kind === Tok.String) {
      const plain = this.plainString(i);
      if (plain !== undefined) return this.constant({ type: 'str', value: plain }, reprStr(plain));
      const value = this.strings(i);
      return this.constant(value, reprValue(value));
    }
    if (kind !== Tok.Op) giveUp();
    const op = this.texts[i];
    if (op === '(') return this.parenthesizedAtom();
    if (op === '[') return this.list();
    if (op === '{') return this.dict();
    return op === '...' ? this.constant({ type: 'ellipsis' }, 'Ellipsis') : giveUp();
  }

  private constant(value: PyValue, text: string): string {
    this.kind = CONSTANT;
    this.value = value;
    return text;
  }

  /** A lone string token in quotes without prefix, escapes or carriage returns, or `undefined`. */
  private plainString(i: number): string | undefined {
    if (this.tokenKind(i + 1) === Tok.String) return undefined;
    const text = this.text;
    const start = this.starts[i];
    const end = this.ends[i];
    const quote = text.charCodeAt(start);
    if ((quote !== 39 && quote !== 34) || end - start < 2) return undefined;
    // `''` is the empty string; any other token starting with two quotes is triple-quoted.
    if (text.charCodeAt(start + 1) === quote) return end - start === 2 ? '' : undefined;
    for (let j = start + 1; j < end - 1; j++) {
      const c = text.charCodeAt(j);
      if (c === 92 || c === 13) return undefined;
    }
    return text.slice(start + 1, end - 1);
  }

  /** Adjacent string tokens from token `i` on, evaluated as the full parser does; f-strings give up. */
  private strings(i: number): PyValue {
    const pieces: { start: number; end: number }[] = [];
    for (this.pos = i; this.tokenKind(this.pos) === Tok.String; this.pos++) {
      pieces.push({ start: this.starts[this.pos], end: this.ends[this.pos] });
    }
    const errorAt = this.pos < this.count ? this.starts[this.pos] : this.text.length;
    const result = evaluateStrings(this.text, pieces, errorAt, giveUp);
    return result.kind === 'constant' ? result.value : giveUp();
  }

  /** `()`, `(x)` (no node of its own) or a tuple, after the `(`. */
  private parenthesizedAtom(): string {
    if (this.isOp(')')) {
      this.pos++;
      this.kind = OTHER;
      return '(list)';
    }
    if (this.isKeyword('yield')) giveUp();
    const first = this.item();
    if (this.isOp(')')) {
      this.pos++;
      return first;
    }
    let text = '(list ' + first;
    this.expectOp(',');
    while (!this.isOp(')')) {
      text += ' ' + this.item();
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(')');
    this.kind = OTHER;
    return text + ')';
  }

  /** A list display after the `[`. */
  private list(): string {
    let text = '(list';
    while (!this.isOp(']')) {
      text += ' ' + this.item();
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(']');
    this.kind = OTHER;
    return text + ')';
  }

  /** A dict display after the `{`; sets, `**` entries and comprehensions give up. */
  private dict(): string {
    let keys = '(list';
    let values = '(list';
    while (!this.isOp('}')) {
      keys += ' ' + this.item();
      if (!this.isOp(':')) giveUp();
      this.pos++;
      if (this.isOp('}') || this.isOp(',')) giveUp();
      values += ' ' + this.item();
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp('}');
    this.kind = OTHER;
    return '(dict ' + keys + ') ' + values + '))';
  }

  /**
   * `lambda params: body`. qastle keeps only the ordinary positional parameters (not those before `/`, after `*`, or
   * `**`); defaults are dropped too, but `insert_linq_nodes` visits them, so they are read and checked all the same.
   */
  protected lambda(): string {
    this.pos++;
    let params = '';
    let positional = 0;
    let defaults = false;
    let star = false;
    let slash = false;
    let kwarg = false;
    while (!this.isOp(':')) {
      if (kwarg) giveUp();
      if (this.isOp('/')) {
        if (slash || star || positional === 0) giveUp();
        slash = true;
        params = '';
        this.pos++;
      } else if (this.isOp('**') || this.isOp('*')) {
        const double = this.isOp('**');
        if (!double && star) giveUp();
        this.pos++;
        if (!double && (this.isOp(',') || this.isOp(':'))) {
          // A bare `*` must be followed by a named parameter.
          if (this.isOp(':') || this.isOp(':', this.pos + 1) || this.isOp('**', this.pos + 1)) giveUp();
        } else {
          this.parameterName();
          if (this.isOp('=')) giveUp();
        }
        star ||= !double;
        kwarg = double;
      } else {
        const name = this.parameterName();
        const hasDefault = this.isOp('=');
        if (hasDefault) this.parameterDefault();
        if (!star) {
          if (hasDefault) defaults = true;
          else if (defaults) giveUp();
          params += ' ' + name;
          positional++;
        }
      }
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(':');
    const body = this.expression();
    this.kind = LAMBDA;
    return '(lambda (list' + params + ') ' + body + ')';
  }

  private parameterName(): string {
    if (!this.isPlainName(this.pos)) giveUp();
    return normalizeIdentifier(this.texts[this.pos++]);
  }

  private parameterDefault(): void {
    this.pos++;
    if (this.isOp(',') || this.isOp(':')) giveUp();
    this.expression();
  }
}

/** Python's unary minus on a constant, as qastle folds it; anything but a number gives up. */
export function negated(value: PyValue): PyValue {
  switch (value.type) {
    case 'int':
      return { type: 'int', value: -value.value };
    case 'bool':
      return { type: 'int', value: value.value ? -1n : 0n };
    case 'float':
      return { type: 'float', value: -value.value };
    case 'complex':
      return { type: 'complex', real: -value.real, imag: -value.imag };
    default:
      return giveUp();
  }
}
