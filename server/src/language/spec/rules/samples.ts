import type { Loc } from '../nodes';
import { lineAndColumn } from '../report';
import { DEFAULT_TITLE_LIMIT } from '../schema';
import type { CheckContext } from './context';
import type { SampleInfo } from './sample';

/** Rules across samples: the client's duplicate check, unique names and the title length limit. */
export function checkSamples(samples: readonly SampleInfo[], context: CheckContext): void {
  for (const sample of samples) checkTitleLength(sample, context);
  checkDuplicates(samples, context);
  context.samples?.push(...samples);
}

/** What the duplicate rules need of a sample; the incremental checker rebuilds this from cached samples. */
export type SampleIdentity = Pick<SampleInfo, 'at' | 'hash'> & { readonly name?: { readonly text: string } };

/** Two samples with one name, and the client's duplicate check (§3.2). */
export function checkDuplicates(samples: readonly SampleIdentity[], context: Pick<CheckContext, 'reporter'>): void {
  const { reporter } = context;
  const byName = new Map<string, SampleIdentity>();
  const byHash = new Map<string, SampleIdentity>();
  for (const sample of samples) {
    const name = sample.name?.text;
    if (name !== undefined) {
      const first = byName.get(name);
      if (first) {
        const message = `Another sample is already named "${name}" (${where(first.at)}): results are keyed by sample name, so one would replace the other.`;
        reporter.at(sample.at, 'spec/duplicate-name', 'warning', message);
      } else byName.set(name, sample);
    }
    if (sample.hash === undefined) continue;
    const first = byHash.get(sample.hash);
    if (first) {
      const message = `Duplicate samples detected: ${name ?? 'this sample'} has the same dataset, NFiles, query and Codegen as ${first.name ? `"${first.name.text}"` : 'the sample'} (${where(first.at)}), and the client refuses the spec. Change one of them; the Name does not count.`;
      reporter.at(sample.at, 'spec/duplicate-sample', 'error', message);
    } else byHash.set(sample.hash, sample);
  }
}

function checkTitleLength(sample: SampleInfo, context: CheckContext): void {
  const { reporter } = context;
  const limit = context.options.maxTitleLength;
  const name = sample.name?.text;
  if (name === undefined) return;
  // Python's len counts code points, so an emoji is one character, not two UTF-16 units.
  const length = [...name].length;
  if (limit !== undefined && length > limit) {
    const message = `Sample name ${shorten(name)} is ${length} characters; this ServiceX accepts at most ${limit}, and the client refuses it ("length too long").`;
    reporter.at(sample.at, 'spec/name-too-long', 'error', message);
  } else if (limit === undefined && length > DEFAULT_TITLE_LIMIT) {
    const message = `Sample name is ${length} characters: unless the server advertises long titles, the client truncates it to ${DEFAULT_TITLE_LIMIT}.`;
    reporter.at(sample.at, 'spec/name-too-long', 'warning', message);
  }
}

function where(loc: Loc): string {
  const line = lineAndColumn(loc.file.text, loc.start).line + 1;
  return loc.file.via ? `${loc.file.label} line ${line}` : `line ${line}`;
}

const shorten = (name: string) => (name.length > 40 ? `"${name.slice(0, 40)}…"` : `"${name}"`);
