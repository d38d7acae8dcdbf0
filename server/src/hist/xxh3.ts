import { createXXHash3, type IHasher } from 'hash-wasm';

// XXH3-64 with seed 0 and the default secret: the checksum RNTuple writes after each page and envelope (RNTuple
// specification 1.0, "Page checksums"). jsroot 7.11 never checks these, so a page garbled inside its compressed
// bytes would otherwise decode into plausible wrong numbers. The hash is hash-wasm's (WebAssembly), loaded once; the
// readers call `loadXxh3` before they read, so that checking a page stays synchronous.

let loading: Promise<IHasher> | undefined;
let hasher: IHasher | undefined;

/** Makes `xxh3` ready; called by every reader before it checks anything. */
export async function loadXxh3(): Promise<void> {
  loading ??= createXXHash3();
  hasher = await loading;
}

/** XXH3-64 of `bytes` as an unsigned 64-bit integer, as RNTuple stores it (little-endian) after the bytes. */
export function xxh3(bytes: Uint8Array): bigint {
  if (!hasher) throw new Error('loadXxh3() must be awaited before xxh3() is called');
  hasher.init();
  hasher.update(bytes);
  // hash-wasm gives the canonical (big-endian) bytes of the 64-bit value.
  const digest = hasher.digest('binary');
  return new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0, false);
}
