/** The source token that `keepSourceTokens` leaves on a scalar; only the fields the mappings read. */
export interface ScalarToken {
  readonly type: string;
  readonly offset: number;
  readonly indent: number;
  readonly source: string;
  readonly props?: readonly { readonly type: string; readonly source: string }[];
}

/** Accumulates a value together with the source range of each of its UTF-16 units. */
export class OffsetBuilder {
  value = '';
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  push(text: string, start: number, end: number): void {
    this.value += text;
    for (let i = 0; i < text.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  /** Copies source characters one to one, so each value unit maps to its own source unit. */
  copy(source: string, from: number, to: number, base: number): void {
    this.value += source.slice(from, to);
    for (let i = from; i < to; i++) {
      this.starts.push(base + i);
      this.ends.push(base + i + 1);
    }
  }
}
