import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SimulatorInfo } from '../../sim/src/info';

/** Every credential the simulator handed out, by a name that is safe to print. */
export function simulatorSecrets(info: SimulatorInfo): Record<string, string> {
  const secrets: Record<string, string> = { 'ServiceX refresh token': info.servicexRefreshToken };
  if ('userToken' in info.hub) {
    secrets['hub user token'] = info.hub.userToken;
    secrets['hub admin token'] = info.hub.adminToken;
  }
  return secrets;
}

/**
 * Looks for each secret in every file under `dirs` (logs, settings, workspace state, the workspace itself), skipping
 * `skip` folder names. Returns "file: secret name" for each hit, so a failure never prints the secret itself.
 */
export function findSecrets(
  dirs: readonly string[],
  secrets: Record<string, string>,
  skip: readonly string[] = [],
): string[] {
  const hits: string[] = [];
  const visit = (root: string, path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(entry.name)) visit(root, full);
      } else if (entry.isFile() && statSync(full).size < 64 * 2 ** 20) {
        const text = readFileSync(full, 'latin1');
        for (const [name, secret] of Object.entries(secrets)) {
          if (secret && text.includes(secret)) hits.push(`${relative(root, full)}: ${name}`);
        }
      }
    }
  };
  for (const dir of dirs) visit(dir, dir);
  return hits;
}
