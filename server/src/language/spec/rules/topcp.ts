import type { ScalarNode } from '../nodes';
import { dirname, resolvePath } from '../paths';
import { suggestion } from '../schema';
import { isPythonBoolText, type CheckContext } from './context';

const KEYS = ['reco', 'parton', 'particle', 'max_events', 'no_systematics', 'no_filter', 'image'];
const FILE_KEYS = ['reco', 'parton', 'particle'];
/**
 * The client's regex `(\w+)="?(.*?)"?(?:,|$)` (§3.6) in JavaScript: Python's `$` also matches before a final newline,
 * which JavaScript's does not, hence the lookahead.
 */
const PAIR = /(\w+)=("?)(.*?)"?(?:,|(?=\n?$))/g;

interface Pair {
  readonly key: string;
  readonly keyStart: number;
  readonly value: string;
  readonly valueStart: number;
}

/** Checks a `!TopCP` scalar's `key=value` pairs as the client reads them; returns a stand-in for its selection. */
export function checkTopCP(node: ScalarNode, context: CheckContext): string {
  const text = node.text;
  const report = (
    start: number,
    end: number,
    rule: string,
    severity: 'error' | 'warning' | 'information',
    message: string,
  ) => context.reporter.inScalar(node, start, end, `spec/topcp-${rule}`, severity, message);
  const pairs: Pair[] = [];
  let covered = 0;
  for (const match of text.matchAll(PAIR)) {
    reportUnread(text, covered, match.index, report);
    covered = match.index + match[0].length;
    const valueStart = match.index + match[1].length + 1 + match[2].length;
    pairs.push({ key: match[1], keyStart: match.index, value: match[3], valueStart });
  }
  reportUnread(text, covered, text.length, report);

  const values = new Map<string, string>();
  for (const pair of pairs) {
    const keyEnd = pair.keyStart + pair.key.length;
    const valueEnd = pair.valueStart + pair.value.length;
    if (!KEYS.includes(pair.key)) {
      const message = `!TopCP has no option "${pair.key}"; it takes ${KEYS.join(', ')}.${suggestion(pair.key, KEYS)}`;
      report(pair.keyStart, keyEnd, 'unknown-key', 'error', message);
      continue;
    }
    if (values.has(pair.key)) {
      report(
        pair.keyStart,
        keyEnd,
        'syntax',
        'warning',
        `"${pair.key}" is given twice; the client keeps the last one.`,
      );
    }
    values.set(pair.key, pair.value);
    if (pair.key === 'max_events' && !/^\s*[+-]?\d+\s*$/.test(pair.value)) {
      report(
        pair.valueStart,
        valueEnd,
        'value',
        'error',
        `max_events must be a whole number of events (-1 for all), not "${pair.value}".`,
      );
    } else if ((pair.key === 'no_systematics' || pair.key === 'no_filter') && !isPythonBoolText(pair.value)) {
      report(pair.valueStart, valueEnd, 'value', 'error', `${pair.key} must be true or false, not "${pair.value}".`);
    } else if (FILE_KEYS.includes(pair.key)) {
      if (pair.value.trim() === '') {
        report(pair.keyStart, valueEnd, 'value', 'error', `${pair.key}= needs the path of a TopCP YAML configuration.`);
      } else if (!findFile(pair.value.trim(), context)) {
        const message = `${pair.value} was not found next to this spec or in a folder above it. The client reads it relative to the folder you run servicex from, when it submits.`;
        report(pair.valueStart, valueEnd, 'file-not-found', 'information', message);
      }
    }
  }
  if (!FILE_KEYS.some((key) => values.has(key))) {
    report(
      0,
      text.trimEnd().length,
      'no-yaml',
      'error',
      'No yaml provided!: give at least one of reco=, parton= or particle= with the path of a TopCP configuration.',
    );
  }
  return JSON.stringify([...values].sort(([a], [b]) => a.localeCompare(b)));
}

function reportUnread(
  text: string,
  from: number,
  to: number,
  report: (start: number, end: number, rule: string, severity: 'warning', message: string) => void,
): void {
  const gap = text.slice(from, to);
  const first = gap.search(/[^\s,]/);
  if (first < 0) return;
  const last = from + gap.trimEnd().length;
  const message =
    'The client does not read this text: write key=value pairs separated by commas, for example reco=reco.yaml, max_events=1000.';
  report(from + first, last, 'syntax', 'warning', message);
}

function findFile(path: string, context: CheckContext): boolean {
  if (!context.path) return true;
  let folder = dirname(context.path);
  for (let level = 0; level < 16; level++) {
    if (context.options.readFile(resolvePath(folder, path)) !== undefined) return true;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return false;
}
