import type { FacilityCodegensParams } from '../../../server/src/protocol';
import type { ServiceXInfo } from '../facility/servicex';

const LONG_TITLES = /^long_sample_titles_(\d+)$/;

/**
 * What the language server should check codegens and titles against: the union over the connected ServiceX
 * endpoints, or null when none answered (the server then falls back to the client's built-in codegens).
 */
export function facilityCodegens(endpoints: readonly ServiceXInfo[]): FacilityCodegensParams {
  if (endpoints.length === 0) return { codegens: null, maxTitleLength: null };
  const codegens = [...new Set(endpoints.flatMap((e) => Object.keys(e.codegens)))].sort();
  // With several endpoints, the tightest limit is the one every submission must respect.
  const limits = endpoints.map((e) => {
    const limit = e.capabilities.map((c) => LONG_TITLES.exec(c)?.[1]).find(Boolean);
    return limit ? Number(limit) : 128;
  });
  return { codegens, maxTitleLength: Math.min(...limits) };
}
