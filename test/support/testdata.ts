import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared test data (ROOT files from scikit-hep-testdata, UHI JSON and its schema): `COFFEA_CASA_TESTDATA`, else
 * `shared/testdata` beside the repository, else the team machines' `/work/shared/testdata`. The files are read in
 * place and never copied into the repository.
 */
export function testdataDir(): string {
  const root = resolve(__dirname, '..', '..', '..');
  const candidates = [
    process.env.COFFEA_CASA_TESTDATA,
    join(root, '..', 'shared', 'testdata'),
    '/work/shared/testdata',
  ];
  const found = candidates.find((dir): dir is string => Boolean(dir) && existsSync(join(dir as string, 'root')));
  if (!found) {
    throw new Error(
      `The shared test data is not found (looked in ${candidates.filter(Boolean).join(', ')}); set COFFEA_CASA_TESTDATA.`,
    );
  }
  return found;
}
