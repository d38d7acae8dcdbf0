import { createHash } from 'node:crypto';
import { analyzeUprootQuery, type QueryAnalysis } from '../funcadl';
import { checkSpec, type SpecCheckOptions } from './index';
import { sampleLayout, type SampleLayout } from './layout';
import type { Loc, SourceFile, Span } from './nodes';
import { parseSpec } from './parse';
import { Reporter, type SpecProblem } from './report';
import type { CheckOptions } from './rules/context';
import type { SampleInfo } from './rules/sample';
import { checkDuplicates, type SampleIdentity } from './rules/samples';
import { checkSpecTree } from './rules/topLevel';
import { xaodProblems } from '../xaod/check';
import type { XaodTypeDatabase } from '../xaod/typeDatabase';

/** A problem outside the item (in the text before or after the list), with offsets relative to that part. */
interface OutsideProblem {
  readonly problem: SpecProblem;
  readonly inTail: boolean;
}

/** One Sample item as last checked, with offsets relative to the item's start. */
interface ItemResult {
  readonly problems: SpecProblem[];
  /** Problems the item's check found around the list: the same for every item, unless the item reaches an anchor. */
  readonly outside: OutsideProblem[];
  readonly identity?: { readonly name?: string; readonly at: Span; readonly hash?: string };
}

const QUERY_CACHE_LIMIT = 20_000;

/**
 * Checks one open spec again and again as it is edited, re-checking only the Sample items whose text changed. A
 * changed item is checked inside a small document made of the text around the list (General, Definition and their
 * anchors) and that one item; the cross-sample rules then run over every item's cached identity. The result equals
 * `checkSpec` on the whole text. Files outside the simple shape (see `sampleLayout`), and texts with a YAML syntax
 * error, are checked whole.
 */
export class SpecSession {
  /** How much work the session did: whole-file checks and single items checked (for tests and benchmarks). */
  readonly stats = { whole: 0, items: 0 };
  private contextKey: string | undefined;
  private items = new Map<string, ItemResult>();
  private readonly queries = new Map<string, QueryAnalysis>();
  /**
   * The func_adl engine followed by the xAOD call checks, memoised: while typing, one query changes and the rest are
   * looked up. Whole-file checks get the same function, so both paths report the same problems.
   */
  private readonly analyze = (text: string): QueryAnalysis => {
    let result = this.queries.get(text);
    if (!result) {
      if (this.queries.size >= QUERY_CACHE_LIMIT) this.queries.clear();
      result = analyzeUprootQuery(text);
      const xaod = xaodProblems(text, this.xaod);
      if (xaod.length) {
        result = { ...result, problems: [...result.problems, ...xaod].sort((a, b) => a.start - b.start) };
      }
      this.queries.set(text, result);
    }
    return result;
  };

  /** `xaod` gives the type database for the xAOD call checks, or undefined to skip them. */
  constructor(private readonly xaod: () => XaodTypeDatabase | undefined = () => undefined) {}

  check(text: string, path: string | undefined, options: SpecCheckOptions): SpecProblem[] {
    const resolved = { analyzeUprootQuery: this.analyze, ...options };
    const layout = sampleLayout(text);
    if (!layout) return this.whole(text, path, resolved);
    // Item results depend on the text around the list and on the facility; when either changes, all are redone.
    const around = text.slice(layout.head.start, layout.head.end) + '\u0000' + text.slice(layout.tail.start);
    const key = `${around}\u0000${JSON.stringify([options.codegens ?? null, options.maxTitleLength ?? null, path ?? null])}`;
    if (key !== this.contextKey) {
      this.contextKey = key;
      this.items = new Map();
    }
    const fresh = new Map<string, ItemResult>();
    const problems: SpecProblem[] = [];
    const outside = new Map<string, SpecProblem>();
    const identities: SampleIdentity[] = [];
    const file: SourceFile = { path, text, label: 'this file' };
    for (const item of layout.items) {
      const itemText = text.slice(item.start, item.end);
      const result =
        fresh.get(itemText) ?? this.items.get(itemText) ?? this.checkItem(text, layout, item, path, resolved);
      if (!result) return this.whole(text, path, resolved);
      fresh.set(itemText, result);
      for (const p of result.problems) problems.push({ ...p, start: p.start + item.start, end: p.end + item.start });
      for (const { problem, inTail } of result.outside) {
        const shift = inTail ? layout.tail.start : 0;
        const placed = { ...problem, start: problem.start + shift, end: problem.end + shift };
        outside.set(`${placed.start}:${placed.end}:${placed.code}:${placed.message}`, placed);
      }
      if (result.identity) {
        const { name, at, hash } = result.identity;
        const loc: Loc = { file, start: at.start + item.start, end: at.end + item.start };
        identities.push({ at: loc, hash, ...(name !== undefined ? { name: { text: name } } : {}) });
      }
    }
    this.items = fresh;
    const reporter = new Reporter();
    checkDuplicates(identities, { reporter });
    problems.push(...outside.values(), ...reporter.problems);
    return problems.sort((a, b) => a.start - b.start || a.end - b.end);
  }

  private whole(text: string, path: string | undefined, options: SpecCheckOptions): SpecProblem[] {
    this.contextKey = undefined;
    this.items = new Map();
    this.stats.whole++;
    return checkSpec(text, path, options);
  }

  /** Checks one item inside the text around the list; undefined when that would not give the exact result. */
  private checkItem(
    text: string,
    layout: SampleLayout,
    item: Span,
    path: string | undefined,
    options: CheckOptions,
  ): ItemResult | undefined {
    this.stats.items++;
    const head = text.slice(layout.head.start, layout.head.end);
    const mini = head + text.slice(item.start, item.end) + text.slice(layout.tail.start);
    const itemStart = head.length;
    const itemEnd = itemStart + (item.end - item.start);
    const reporter = new Reporter();
    const samples: SampleInfo[] = [];
    const root = parseSpec(mini, path, options, reporter);
    if (root) checkSpecTree(root, { reporter, options, path, selections: new Map(), samples });
    // A syntax error can shift how everything after it parses, and a full reporter drops problems: check whole.
    if (reporter.full || reporter.problems.some((p) => p.code === 'spec/yaml-syntax')) return undefined;
    const inside = (span: Span) => span.start >= itemStart && span.end <= itemEnd;
    const problems: SpecProblem[] = [];
    const outside: OutsideProblem[] = [];
    for (const p of reporter.problems) {
      if (inside(p)) problems.push({ ...p, start: p.start - itemStart, end: p.end - itemStart });
      else if (p.start >= itemEnd)
        outside.push({ problem: { ...p, start: p.start - itemEnd, end: p.end - itemEnd }, inTail: true });
      else outside.push({ problem: p, inTail: false });
    }
    const sample = samples[0];
    if (!sample || !inside(sample.at)) return { problems, outside };
    const identity = {
      ...(sample.name ? { name: sample.name.text } : {}),
      at: { start: sample.at.start - itemStart, end: sample.at.end - itemStart },
      // The client's key holds the whole qastle text; a digest compares the same and keeps big specs small in memory.
      ...(sample.hash !== undefined ? { hash: createHash('sha1').update(sample.hash).digest('base64') } : {}),
    };
    return { problems, outside, identity };
  }
}
