import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import type { Loc, MapEntry, ScalarNode, SourceFile, SpecNode } from './nodes';
import { canonical, keyName } from './nodes';
import { basename, dirname, relativeTo, resolvePath } from './paths';
import type { Reporter } from './report';

/** Where included files come from: the editor's open documents or the disk, as the caller decides. */
export interface FileHost {
  readFile(path: string): string | undefined;
}

/** Deeper than any real spec; past it the checker stops descending so a pathological file cannot exhaust the stack. */
const MAX_DEPTH = 100;
/** Includes nested deeper than this are almost certainly a cycle through differently spelled paths. */
const MAX_INCLUDE_DEPTH = 32;

interface Context {
  readonly file: SourceFile;
  readonly anchors: Map<string, SpecNode>;
  readonly includeStack: readonly string[];
  readonly host: FileHost;
  readonly reporter: Reporter;
  readonly tooDeep: { reported: boolean };
}

/**
 * Parses a spec as the Python client's loader composes it (servicex-facts.md §3.1): aliases resolved against anchors
 * defined earlier, `!include` spliced in with its anchors usable afterwards, `!exclude`d entries and items dropped,
 * `<<` merge keys applied. Returns undefined for an empty file.
 */
export function parseSpec(text: string, path: string | undefined, host: FileHost, reporter: Reporter) {
  const file: SourceFile = { path, text, label: path ? basename(path) : 'this file' };
  const context: Context = {
    file,
    anchors: new Map(),
    includeStack: path ? [path] : [],
    host,
    reporter,
    tooDeep: { reported: false },
  };
  return composeFile(context, undefined, 0);
}

function composeFile(context: Context, site: Loc | undefined, depth: number): SpecNode | undefined {
  const { file, reporter } = context;
  const documents = parseAllDocuments(file.text, { keepSourceTokens: true, prettyErrors: false });
  const list: Document[] = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    for (const error of document.errors) {
      const code = error.code === 'DUPLICATE_KEY' ? 'spec/duplicate-key' : 'spec/yaml-syntax';
      const message = error.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(error.message) : firstLine(error.message);
      // The parser marks one character of a repeated key; the whole key reads better.
      const end = error.code === 'DUPLICATE_KEY' ? wordEnd(file.text, error.pos[0]) : error.pos[1];
      reporter.at(at(file, error.pos[0], end), code, 'error', message);
    }
    for (const warning of document.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED') continue;
      reporter.at(at(file, warning.pos[0], warning.pos[1]), 'spec/yaml-syntax', 'warning', firstLine(warning.message));
    }
  }
  if (list.length > 1) {
    const second = list[1].range?.[0] ?? 0;
    const message = `The ServiceX client reads a single YAML document; remove the "---" and everything after it or move it to another file.`;
    reporter.at(at(file, second, Math.min(second + 3, file.text.length)), 'spec/multiple-documents', 'error', message);
  }
  const contents = list[0]?.contents;
  if (!contents) return site ? nullNode(site) : undefined;
  return convert(contents, context, depth);
}

function convert(node: Node, context: Context, depth: number): SpecNode {
  const loc = at(context.file, node.range?.[0] ?? 0, node.range?.[1] ?? 0);
  if (depth > MAX_DEPTH) {
    if (!context.tooDeep.reported) {
      context.tooDeep.reported = true;
      const message = `Nesting deeper than ${MAX_DEPTH} levels is not checked; a ServiceX spec never needs that many.`;
      context.reporter.at(loc, 'spec/too-deep', 'warning', message);
    }
    return { kind: 'invalid', loc };
  }
  if (isAlias(node)) return resolveAlias(node.source, loc, context);
  const tag = node.tag;
  const tagLoc = tag ? findTag(context.file, tag, loc.start) : undefined;
  let result: SpecNode;
  if (isScalar(node)) {
    if (tag === '!include') return include(node, loc, tagLoc, context, depth);
    const text = typeof node.source === 'string' ? node.source : String(node.value);
    result = { kind: 'scalar', value: node.value, text, yaml: node, loc, tag, tagLoc };
  } else if (isMap(node)) {
    const explicit: MapEntry[] = [];
    const merged: MapEntry[] = [];
    for (const pair of node.items) {
      const key = pair.key ? convert(pair.key as Node, context, depth + 1) : nullNode(loc);
      const value = pair.value ? convert(pair.value as Node, context, depth + 1) : nullNode(endOf(key.loc));
      if (key.tag === '!exclude' || value.tag === '!exclude') continue;
      if (key.kind === 'scalar' && key.text === '<<' && key.tag === undefined) merge(value, merged, context);
      else explicit.push({ key, value });
    }
    // Keys written in the mapping win over merged ones, and earlier merged mappings win over later ones.
    const names = new Set(explicit.map((e) => keyName(e.key)));
    const entries = [...explicit];
    for (const e of merged) {
      const name = keyName(e.key);
      if (name !== undefined && names.has(name)) continue;
      if (name !== undefined) names.add(name);
      entries.push(e);
    }
    result = { kind: 'map', entries, loc, tag, tagLoc };
  } else if (isSeq(node)) {
    const items: SpecNode[] = [];
    for (const item of node.items) {
      const converted = item ? convert(item as Node, context, depth + 1) : nullNode(loc);
      if (converted.tag !== '!exclude') items.push(converted);
    }
    result = { kind: 'seq', items, loc, tag, tagLoc };
  } else result = { kind: 'invalid', loc };
  if (node.anchor) context.anchors.set(node.anchor, result);
  return result;
}

function resolveAlias(name: string, loc: Loc, context: Context): SpecNode {
  const target = context.anchors.get(name);
  if (!target) {
    const message = `The alias *${name} has no anchor &${name} before it; anchors must be defined earlier in the file (conventionally under Definition) or in a file included earlier.`;
    context.reporter.at(loc, 'spec/undefined-alias', 'error', message);
    return { kind: 'invalid', loc };
  }
  return { ...target, site: loc, origin: canonical(target) };
}

function merge(value: SpecNode, into: MapEntry[], context: Context): void {
  const sources = value.kind === 'seq' ? value.items : [value];
  for (const source of sources) {
    if (source.kind === 'map') for (const e of source.entries) into.push(e);
    else if (source.kind !== 'invalid') {
      const message = 'A << merge key takes an alias of a mapping, or a list of them.';
      context.reporter.at(source.site ?? source.loc, 'spec/type', 'error', message);
    }
  }
}

function include(node: Scalar, loc: Loc, tagLoc: Loc | undefined, context: Context, depth: number): SpecNode {
  const { reporter, file } = context;
  const site = tagLoc ? { ...loc, start: tagLoc.start } : loc;
  const target = typeof node.source === 'string' ? node.source.trim() : '';
  if (!target) {
    reporter.at(site, 'spec/include-not-found', 'error', '!include needs a file path, relative to this file.');
    return { kind: 'invalid', loc };
  }
  if (!file.path) {
    const message = `Save this spec first: !include paths are relative to the folder of the file that includes them.`;
    reporter.at(site, 'spec/include-not-found', 'error', message);
    return { kind: 'invalid', loc };
  }
  const folder = dirname(file.path);
  const path = resolvePath(folder, target);
  if (context.includeStack.includes(path) || context.includeStack.length > MAX_INCLUDE_DEPTH) {
    const chain = [...context.includeStack, path].map((p) => basename(p)).join(' → ');
    const message = `Include cycle: ${chain}. The Python client would recurse until it fails; remove one of the !include lines.`;
    reporter.at(site, 'spec/include-cycle', 'error', message);
    return { kind: 'invalid', loc };
  }
  const text = context.host.readFile(path);
  if (text === undefined) {
    const message = `Cannot read ${relativeTo(folder, path)} (${path}): !include paths are relative to the folder of the including file.`;
    reporter.at(site, 'spec/include-not-found', 'error', message);
    return { kind: 'invalid', loc };
  }
  const included: SourceFile = {
    path,
    text,
    label: relativeTo(dirname(context.includeStack[0] ?? path), path),
    via: file.via ?? { start: site.start, end: site.end },
  };
  // The included file is composed on its own, as the client's forked loader does, and its anchors become usable
  // afterwards in the including file.
  const inner: Context = {
    ...context,
    file: included,
    anchors: new Map(),
    includeStack: [...context.includeStack, path],
  };
  const root = composeFile(inner, loc, depth + 1);
  for (const [name, anchored] of inner.anchors) context.anchors.set(name, anchored);
  return root ?? nullNode(loc);
}

function nullNode(loc: Loc): ScalarNode {
  const yaml = new Scalar(null);
  yaml.range = [loc.start, loc.start, loc.start];
  return { kind: 'scalar', value: null, text: '', yaml, loc: { ...loc, end: loc.start } };
}

function findTag(file: SourceFile, tag: string, before: number): Loc | undefined {
  if (!tag.startsWith('!')) return undefined;
  const start = file.text.lastIndexOf(tag, before);
  return start >= 0 ? at(file, start, start + tag.length) : undefined;
}

const at = (file: SourceFile, start: number, end: number): Loc => {
  // Parser errors at the end of the text can point one past it.
  const length = file.text.length;
  return { file, start: Math.min(start, length), end: Math.min(Math.max(start, end), length) };
};
const endOf = (loc: Loc): Loc => ({ ...loc, start: loc.end });
const wordEnd = (text: string, start: number) =>
  start + (/^[^\s:]*/.exec(text.slice(start, start + 200))?.[0].length ?? 0);
const firstLine = (message: string) => message.split('\n')[0];

function duplicateKeyMessage(message: string): string {
  return `${firstLine(message)}: the Python loader refuses repeated keys; keep one.`;
}
