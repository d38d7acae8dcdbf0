// Checks and names for the images a histogram panel exports; plain TypeScript, so that unit tests run it.

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || !signature.every((b, i) => bytes[i] === b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A file name from a plot title: letters, digits, dots, dashes and underscores only. */
export function exportName(title: string, format: 'png' | 'svg'): string {
  const base = title.replace(/[^\w.-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'histogram';
  return `${base.slice(0, 80)}.${format}`;
}
