import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of Lookback's package.json, above this file in src/ and in every build of it alike. */
function findPackageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      return dir;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no package.json above ${__dirname}`);
    }
  }
}

export const PACKAGE_ROOT = findPackageRoot();

/** The command line (bin/lookback.js), for running a part of Lookback as a process of its own. */
export const CLI_PATH = join(PACKAGE_ROOT, 'bin', 'lookback.js');
