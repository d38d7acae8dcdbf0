/** One measured quantity, ours and, when there is one, the reference measured in the same run. */
export interface Row {
  readonly what: string;
  readonly ours: number;
  readonly reference?: number;
  readonly unit: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Prints rows with the ratio reference/ours (above 1 means we are faster or smaller). */
export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const width = Math.max(...rows.map((r) => r.what.length));
  for (const row of rows) {
    const ours = `${row.ours.toFixed(1)} ${row.unit}`;
    if (row.reference === undefined) {
      console.log(`  ${row.what.padEnd(width)}  ${ours.padStart(12)}`);
      continue;
    }
    const reference = `${row.reference.toFixed(1)} ${row.unit}`;
    const ratio = row.reference / Math.max(row.ours, 1e-9);
    console.log(
      `  ${row.what.padEnd(width)}  ${ours.padStart(12)}  vs ${reference.padStart(12)}  ratio ${ratio >= 0.1 ? ratio.toFixed(1) : ratio.toPrecision(2)}×`,
    );
  }
}
