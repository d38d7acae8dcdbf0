import { isLoopbackHost } from './urls';

/** One facility the user can connect to, as written in the `coffeaCasa.facilities` setting. */
export interface FacilityProfile {
  readonly name: string;
  readonly hubUrl: string;
  readonly servicexUrl?: string;
  readonly tritonHttpUrl?: string;
  readonly tritonMetricsUrl?: string;
  readonly daskDashboardUrl?: string;
  readonly kubeconfig?: string;
  readonly kubeContext?: string;
  readonly kubeNamespace?: string;
  readonly caFile?: string;
  readonly tlsVerify?: boolean;
  readonly allowHttp?: boolean;
}

/**
 * Facilities known to run Coffea-Casa (servicex-facts.md §8.1). Only the endpoints the facilities document are filled:
 * their Triton HTTP/metrics ports and Dask dashboards are not published, so those come from discovery or the user.
 */
export const PRESET_PROFILES: readonly FacilityProfile[] = [
  { name: 'coffea.casa', hubUrl: 'https://coffea.casa' },
  { name: 'coffea-opendata.casa', hubUrl: 'https://coffea-opendata.casa' },
  {
    name: 'coffea.af.uchicago.edu',
    hubUrl: 'https://coffea.af.uchicago.edu',
    servicexUrl: 'https://servicex.af.uchicago.edu',
  },
];

const URL_FIELDS = ['hubUrl', 'servicexUrl', 'tritonHttpUrl', 'tritonMetricsUrl', 'daskDashboardUrl'] as const;

/** A problem with one profile, worded for the user. */
export interface ProfileProblem {
  readonly profile: string;
  readonly field: string;
  readonly message: string;
}

/**
 * Merges user profiles over the presets (a user profile with a preset's name replaces it) and reports entries that
 * cannot be used. Invalid entries are left out rather than half-used.
 */
export function resolveProfiles(userEntries: readonly unknown[]): {
  profiles: FacilityProfile[];
  problems: ProfileProblem[];
} {
  const problems: ProfileProblem[] = [];
  const byName = new Map<string, FacilityProfile>(PRESET_PROFILES.map((p) => [p.name, p]));
  userEntries.forEach((entry, index) => {
    const parsed = parseProfile(entry, index);
    if (parsed.problems.length > 0) problems.push(...parsed.problems);
    else if (parsed.profile) byName.set(parsed.profile.name, parsed.profile);
  });
  return { profiles: [...byName.values()], problems };
}

function parseProfile(entry: unknown, index: number): { profile?: FacilityProfile; problems: ProfileProblem[] } {
  const label = `coffeaCasa.facilities[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { problems: [{ profile: label, field: '', message: 'Each facility profile must be an object.' }] };
  }
  const raw = entry as Record<string, unknown>;
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const problems: ProfileProblem[] = [];
  const where = name || label;
  if (!name) problems.push({ profile: where, field: 'name', message: 'The profile needs a non-empty "name".' });
  const stringFields = [...URL_FIELDS, 'kubeconfig', 'kubeContext', 'kubeNamespace', 'caFile'] as const;
  const profile: Record<string, unknown> = { name };
  for (const field of stringFields) {
    const value = raw[field];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') problems.push({ profile: where, field, message: `"${field}" must be a string.` });
    else profile[field] = value.trim();
  }
  for (const field of ['tlsVerify', 'allowHttp'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== 'boolean')
      problems.push({ profile: where, field, message: `"${field}" must be true or false.` });
    else profile[field] = value;
  }
  if (typeof profile.hubUrl !== 'string') {
    problems.push({
      profile: where,
      field: 'hubUrl',
      message: 'The profile needs a "hubUrl" (the JupyterHub address).',
    });
  }
  const result = profile as unknown as FacilityProfile;
  problems.push(...checkProfileUrls(result));
  return { profile: result, problems };
}

/** Checks that each URL parses and that plain HTTP is used only for loopback or with the profile's opt-in. */
export function checkProfileUrls(profile: FacilityProfile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const field of URL_FIELDS) {
    const value = profile[field];
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      problems.push({ profile: profile.name, field, message: `"${value}" is not a valid URL.` });
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push({ profile: profile.name, field, message: `"${value}" must start with https://.` });
    } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && profile.allowHttp !== true) {
      problems.push({
        profile: profile.name,
        field,
        message: `"${value}" uses plain http:// to another machine, which would send your token unencrypted. Use https://, or set "allowHttp": true for this facility if you trust the network.`,
      });
    }
  }
  return problems;
}
