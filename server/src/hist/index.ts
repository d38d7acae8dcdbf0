// The histogram engine's public surface, for the CLI, a worker thread and the extension. Plain TypeScript: no vscode.
export type { AxisSpec } from './binning';
export { linspace } from './binning';
export { HistError, type HistErrorKind, type HistResult } from './errors';
export type { Histogram, Histogram1D, Histogram2D } from './histogram';
export {
  DEFAULT_BINS,
  histogramFile,
  listFile,
  readStoredHistogram,
  type AxisOptions,
  type FileFormat,
  type FileListing,
  type HistogramControl,
  type HistogramOptions,
  type HistogramProgress,
} from './engine';
export type { ParquetColumnInfo, ParquetInfo } from './parquet';
export type { RootBranchInfo, RootFieldInfo, RootItem } from './root';
export { parseUhi, validateUhi, writeUhi, type UhiDocument, type UhiHistogram } from './uhi';
export { fromUhi, toUhi } from './uhiConvert';
