import { analyzeUprootQuery } from '../funcadl';
import { parseSpec } from './parse';
import { Reporter, type SpecProblem } from './report';
import type { CheckOptions } from './rules/context';
import { checkSpecTree } from './rules/topLevel';

export { looksLikeServiceXSpec } from './detect';
export type { ProblemTag, SpecProblem } from './report';

/** What `checkSpec` needs besides the text; only `readFile` is required. */
export type SpecCheckOptions = Partial<CheckOptions> & Pick<CheckOptions, 'readFile'>;

/**
 * Checks a ServiceX spec as the Python client would load it, and reports what it accepts silently too. `path` is the
 * spec's absolute path (for `!include`), undefined for an unsaved document. Problems are sorted by position.
 */
export function checkSpec(text: string, path: string | undefined, options: SpecCheckOptions): SpecProblem[] {
  const reporter = new Reporter();
  const resolved: CheckOptions = { analyzeUprootQuery, ...options };
  const root = parseSpec(text, path, resolved, reporter);
  if (root) checkSpecTree(root, { reporter, options: resolved, path, selections: new Map() });
  return reporter.problems.sort((a, b) => a.start - b.start || a.end - b.end);
}
