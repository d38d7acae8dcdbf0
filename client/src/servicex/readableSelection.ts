// A transform's selection as a person reads it; plain TypeScript, so that unit tests run it.

/** The query of a transform as a person reads it: func_adl for qastle, pretty JSON, or the Python source. */
export async function readableSelection(
  selection: string,
): Promise<{ language: string; content: string; note?: string }> {
  const trimmed = selection.trim();
  if (trimmed.startsWith('(')) {
    const { tryDecodeQastle } = await import('../../../server/src/language/qastle/index.js');
    const decoded = tryDecodeQastle(trimmed);
    if (decoded.ok) return { language: 'python', content: `${decoded.python}\n` };
    return {
      language: 'plaintext',
      content: `${selection}\n`,
      note: 'The qastle could not be decoded; shown as sent.',
    };
  }
  try {
    return { language: 'json', content: `${JSON.stringify(JSON.parse(trimmed), null, 2)}\n` };
  } catch {
    // Not JSON: the python codegen sends base64 of the function's source.
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const source = Buffer.from(trimmed, 'base64').toString('utf8');
    if (!source.includes('\ufffd'))
      return { language: 'python', content: source.endsWith('\n') ? source : `${source}\n` };
  }
  return { language: 'plaintext', content: `${selection}\n` };
}
