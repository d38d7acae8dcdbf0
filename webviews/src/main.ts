import { mergeBins, rebinToEdges } from '../shared/hist/model';
import { plot1D, plot2D, type Plot, type Theme } from '../shared/hist/plot';
import {
  DEFAULT_OPTIONS,
  isExtensionMessage,
  isViewOptions,
  MAX_MERGE,
  type HistData,
  type HistSource,
  type ListingItem,
  type ViewOptions,
  type WebviewToExtension,
} from '../shared/protocol';
import { button, checkbox, dropdown, registerControls, textField } from './toolkit';

// The histogram panel: it announces itself, draws the bins the extension sends with the theme's colours, and keeps
// what the user chose (and the bins) in the webview state, so that a reload or a restart shows the same plot.

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface State {
  data?: HistData;
  options: ViewOptions;
  /** Kept only so that the extension can read it back when VS Code restores the panel. */
  source?: HistSource;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as Partial<State> | undefined;
let state: State = {
  data: saved?.data,
  source: saved?.source,
  options: saved?.options && isViewOptions(saved.options) ? saved.options : DEFAULT_OPTIONS,
};
let plot: Plot | undefined;
let cursor = 0;

const plotArea = document.getElementById('plot') as HTMLElement;
const readout = document.getElementById('readout') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const controls = document.getElementById('controls') as HTMLElement;
const listing = document.getElementById('listing');

registerControls();

function setOptions(change: Partial<ViewOptions>): void {
  state = { ...state, options: { ...state.options, ...change } };
  save();
  render();
}

function save(): void {
  vscode.setState(state);
}

function say(message: string, error = false): void {
  status.textContent = message;
  status.classList.toggle('error', error);
}

/** Colours and font from VS Code's CSS variables, read at each draw so that a theme change shows at once. */
function theme(): Theme {
  const css = getComputedStyle(document.body);
  const variable = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const foreground = variable('--vscode-editor-foreground', '#333333');
  return {
    foreground,
    background: variable('--vscode-editor-background', '#ffffff'),
    grid: variable('--vscode-editorWidget-border', variable('--vscode-panel-border', '#80808066')),
    font: variable('--vscode-font-family', 'sans-serif'),
    fontSize: Number.parseFloat(variable('--vscode-font-size', '13')) || 13,
    palette: ['blue', 'orange', 'green', 'red', 'purple', 'yellow'].map((c) =>
      variable(`--vscode-charts-${c}`, foreground),
    ),
  };
}

/** Draws the plot; controls are built only when new bins arrive, so that focus stays where the user is. */
function render(): void {
  const data = state.data;
  if (!data) {
    plotArea.textContent = '';
    return;
  }
  const size = {
    width: Math.max(320, plotArea.clientWidth || 800),
    height: Math.max(240, plotArea.clientHeight || 500),
  };
  plot = data.kind === '1d' ? plot1D(data, state.options, theme(), size) : plot2D(data, state.options, theme(), size);
  // The SVG is built by plot.ts from numbers and escaped text only.
  plotArea.innerHTML = plot.svg;
  cursor = Math.min(cursor, Math.max(0, plot.cells - 1));
}

function buildControls(): void {
  const data = state.data;
  const options = state.options;
  controls.replaceChildren();
  if (!data) return;
  const styleChoices = [
    { value: 'step', label: 'Step' },
    { value: 'filled', label: 'Filled' },
    { value: 'errorbar', label: 'Error bars' },
  ];
  if (data.kind === '1d') {
    controls.append(
      dropdown('Style', styleChoices, options.style, (value) => setOptions({ style: value as ViewOptions['style'] })),
      dropdown(
        'Samples',
        [
          { value: 'overlay', label: 'Overlay' },
          { value: 'stack', label: 'Stack' },
        ],
        options.combine,
        (value) => setOptions({ combine: value as ViewOptions['combine'] }),
      ),
      dropdown(
        'Ratio to',
        [{ value: '', label: 'None' }, ...data.series.map((s, i) => ({ value: String(i), label: s.name }))],
        options.ratioTo === undefined ? '' : String(options.ratioTo),
        (value) => setOptions({ ratioTo: value === '' ? undefined : Number(value) }),
      ),
    );
  }
  controls.append(checkbox(data.kind === '1d' ? 'Log y' : 'Log colour', options.logY, (logY) => setOptions({ logY })));
  if (data.kind === '1d') {
    controls.append(
      checkbox('Normalise', options.normalise, (normalise) => setOptions({ normalise })),
      textField('Merge bins', String(options.merge), '1', (value) => {
        const merge = Number(value);
        if (!Number.isInteger(merge) || merge < 1 || merge > MAX_MERGE)
          say(`Merge takes a whole number from 1 to ${MAX_MERGE}.`, true);
        else setOptions({ merge });
      }),
      textField('Range', options.range ? options.range.join(':') : '', 'lo:hi', (value) => {
        if (value.trim() === '') return setOptions({ range: undefined });
        const parts = value.split(':').map(Number);
        if (parts.length !== 2 || !parts.every(Number.isFinite) || parts[0] >= parts[1])
          say('Range is lo:hi with lo < hi.', true);
        else setOptions({ range: [parts[0], parts[1]] });
      }),
      textField('New edges', '', 'e0,e1,…', (value) => {
        if (state.data?.kind !== '1d' || value.trim() === '') return;
        const edges = value.split(',').map((e) => Number(e.trim()));
        if (!edges.every(Number.isFinite)) return say('Edges are numbers separated by commas.', true);
        const rebinned = rebinToEdges(mergeBins(state.data, state.options.merge), edges);
        if (typeof rebinned === 'string') return say(rebinned, true);
        state = { ...state, data: rebinned, options: { ...state.options, merge: 1, range: undefined } };
        save();
        say(`Rebinned to ${edges.length - 1} bins.`);
        buildControls();
        render();
      }),
    );
  }
  controls.append(
    button('Export PNG', () => void exportPng()),
    button('Export SVG', () => exportSvg(), true),
    button('Copy as Python', () => copyPython(), true),
    ...(state.source?.column ? [button('Add Sample…', () => vscode.postMessage({ type: 'addSample' }), true)] : []),
    ...columnChoices(),
  );
}

/** "Weight by" and "Versus (2-D)" from the file's other columns, when the plot is of a column of a listed file. */
function columnChoices(): HTMLElement[] {
  const source = state.source;
  if (!source?.column || listed.length === 0) return [];
  const choices = [
    { value: '', label: 'None' },
    ...listed.filter((i) => i.pickable).map((i) => ({ value: i.id, label: i.label })),
  ];
  const current = (name: string | undefined) => listed.find((i) => i.pickable && i.label === name)?.id ?? '';
  let weight = current(source.weight);
  let y = current(source.y);
  const send = () => vscode.postMessage({ type: 'redraw', ...(weight ? { weight } : {}), ...(y ? { y } : {}) });
  return [
    dropdown('Weight by', choices, weight, (value) => {
      weight = value;
      say('Binning again…');
      send();
    }),
    dropdown('Versus (2-D)', choices, y, (value) => {
      y = value;
      say('Binning again…');
      send();
    }),
  ];
}

function copyPython(): void {
  const data = state.data;
  const edges = data?.kind === '1d' ? mergeBins(data, state.options.merge).edges : undefined;
  vscode.postMessage({ type: 'copyPython', options: state.options, ...(edges ? { edges: [...edges] } : {}) });
}

function exportSvg(): void {
  if (plot) vscode.postMessage({ type: 'export', format: 'svg', data: plot.svg });
}

/** Rasterises the same SVG at its own size, so that the PNG is exactly what is shown. */
async function exportPng(): Promise<void> {
  if (!plot) return;
  const svg = plot.svg;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the plot could not be rasterised'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth || image.width;
    canvas.height = image.naturalHeight || image.height;
    canvas.getContext('2d')?.drawImage(image, 0, 0);
    const data = canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    vscode.postMessage({ type: 'export', format: 'png', data });
  } catch (error) {
    say(`Export failed: ${error instanceof Error ? error.message : String(error)}`, true);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The rows of the file's contents, kept for the column choices. */
let listed: readonly ListingItem[] = [];

/** The file's contents beside the plot: groups as headings, drawable items as buttons (reachable with Tab). */
function showListing(items: readonly ListingItem[]): void {
  listed = items;
  buildControls();
  if (!listing) return;
  listing.hidden = items.length === 0;
  listing.replaceChildren(
    ...items.map((item) => {
      const row = document.createElement(item.pickable ? 'button' : 'div');
      row.className = item.pickable ? 'item pickable' : 'item group';
      row.style.paddingLeft = `${4 + item.depth * 12}px`;
      row.textContent = item.label;
      if (item.description) {
        const detail = document.createElement('span');
        detail.className = 'detail';
        detail.textContent = ` ${item.description}`;
        row.append(detail);
      }
      if (item.pickable) {
        row.addEventListener('click', () => {
          say(`Reading ${item.label}…`);
          vscode.postMessage({ type: 'pick', id: item.id });
        });
      }
      return row;
    }),
  );
}

function showReadout(text: string | undefined): void {
  readout.textContent = text ?? '';
  readout.hidden = text === undefined;
}

plotArea.addEventListener('mousemove', (event) => {
  const svg = plotArea.querySelector('svg');
  if (!svg || !plot) return;
  const box = svg.getBoundingClientRect();
  const scaleX = svg.viewBox.baseVal.width / box.width;
  const scaleY = svg.viewBox.baseVal.height / box.height;
  showReadout(plot.hit((event.clientX - box.left) * scaleX, (event.clientY - box.top) * scaleY)?.text);
});
plotArea.addEventListener('mouseleave', () => showReadout(undefined));
// Keyboard: the plot takes focus, and the arrow keys step the read-out through the bins.
plotArea.addEventListener('keydown', (event) => {
  if (!plot || plot.cells === 0) return;
  if (event.key === 'ArrowRight') cursor = Math.min(plot.cells - 1, cursor + 1);
  else if (event.key === 'ArrowLeft') cursor = Math.max(0, cursor - 1);
  else if (event.key === 'Home') cursor = 0;
  else if (event.key === 'End') cursor = plot.cells - 1;
  else return;
  event.preventDefault();
  showReadout(plot.describe(cursor).text);
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isExtensionMessage(message)) return;
  if (message.type === 'init') {
    document.title = message.title;
  } else if (message.type === 'status') {
    say(message.message, message.error === true);
  } else if (message.type === 'listing') {
    showListing(message.items);
  } else {
    state = { data: message.data, options: message.options ?? state.options, source: message.source };
    save();
    say('');
    buildControls();
    render();
  }
});

// VS Code swaps the theme's CSS variables and body classes in place; redraw so that the SVG picks up the new colours.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
new ResizeObserver(() => render()).observe(plotArea);

buildControls();
render();
vscode.postMessage({ type: 'ready' });
