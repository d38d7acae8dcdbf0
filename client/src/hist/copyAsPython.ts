import type { HistData, HistSource, ViewOptions } from '../../../webviews/shared/protocol';

// "Copy as Python": code with hist and mplhep that draws the same plot from the same files, so that a physicist can
// move from the panel to a notebook or a paper figure. Every file name, column and label goes through `py`, so that
// nothing from a file can break out of a string literal.

/** A Python string literal for any text (JSON's escapes are all valid in Python). */
export function py(text: string): string {
  return JSON.stringify(text);
}

function isRegular(edges: readonly number[]): boolean {
  if (edges.length < 3) return true;
  const width = edges[1] - edges[0];
  return edges.every((e, i) => i === 0 || Math.abs(e - edges[i - 1] - width) <= 1e-9 * Math.max(1, Math.abs(width)));
}

function axisCode(edges: readonly number[], label: string): string {
  const n = edges.length - 1;
  return isRegular(edges)
    ? `.Reg(${n}, ${edges[0]}, ${edges[n]}, name="x", label=${py(label)})`
    : `.Variable([${edges.join(', ')}], name="x", label=${py(label)})`;
}

/** The lines that read one sample's values as a flat awkward array. */
function readCode(source: HistSource, files: readonly string[], column: string): string {
  const list = `[${files.map(py).join(', ')}]`;
  if (source.format === 'parquet') {
    // A record field (`Muon.pt`) is selected by its dotted path and comes back inside its record: `["Muon", "pt"]`.
    const field = column.split('.').map(py).join(', ');
    return `ak.concatenate([ak.from_parquet(f, columns=[${py(column)}])[${field}] for f in ${list}])`;
  }
  const tree = source.tree ?? 'events';
  return `ak.concatenate([uproot.open(f)[${py(tree)}][${py(column)}].array() for f in ${list}])`;
}

/** Python for the plot the panel shows. `edges` are the 1-D edges in the panel after any rebinning there. */
export function copyAsPython(
  data: HistData,
  source: HistSource | undefined,
  options: ViewOptions,
  edges?: readonly number[],
): string {
  const lines = ['import awkward as ak', 'import hist', 'import matplotlib.pyplot as plt', 'import mplhep'];
  if (source?.format === 'root') lines.push('import uproot');
  if (source?.format === 'uhi') lines.push('import json', 'import uhi.io.json');
  lines.push('');
  const histtype = options.style === 'filled' ? 'fill' : options.style;
  if (source?.format === 'uhi' || !source?.column) {
    // A histogram stored in a file: read it as it is.
    const file = source?.samples[0]?.files[0] ?? 'histograms.json';
    const name = source?.histogram ?? 'hist';
    if (source?.format === 'uhi') {
      lines.push(
        `with open(${py(file)}) as f:`,
        `    h = hist.Hist(json.load(f, object_hook=uhi.io.json.object_hook)[${py(name)}])`,
      );
    } else {
      lines.push(`h = uproot.open(${py(file)})[${py(name)}].to_hist()`);
    }
    lines.push(`mplhep.histplot(h, histtype=${py(histtype)}, density=${options.normalise ? 'True' : 'False'})`);
  } else if (data.kind === '1d') {
    const shown = edges ?? data.edges;
    lines.push('hists = {}');
    for (const sample of source.samples) {
      lines.push(
        `values = ${readCode(source, sample.files, source.column)}`,
        `hists[${py(sample.name)}] = hist.Hist.new${axisCode(shown, data.xLabel)}.Weight().fill(ak.flatten(values, axis=None))`,
      );
    }
    const stack = options.combine === 'stack' ? 'True' : 'False';
    const density = options.normalise ? 'True' : 'False';
    lines.push(
      '',
      'fig, ax = plt.subplots()',
      `mplhep.histplot(list(hists.values()), label=list(hists.keys()), histtype=${py(histtype)}, stack=${stack}, density=${density}, ax=ax)`,
      'ax.legend()',
    );
  } else {
    lines.push(`# 2-D histograms from columns are drawn with mplhep.hist2dplot(h) once h is filled.`);
  }
  if (options.logY)
    lines.push(data.kind === '1d' ? 'plt.yscale("log")' : '# Log colour: pass norm=matplotlib.colors.LogNorm()');
  if (options.range && data.kind === '1d') lines.push(`plt.xlim(${options.range[0]}, ${options.range[1]})`);
  lines.push(`plt.title(${py(data.title)})`, 'plt.show()', '');
  return lines.join('\n');
}
