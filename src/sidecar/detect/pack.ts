import { join } from 'node:path';

/**
 * The rule pack Lookback ships, loaded by default: `rules/` at the top of the package (three
 * levels above this module both in `src/sidecar/detect` and in `dist-sidecar/sidecar/detect`).
 */
export const PACK_DIR = join(__dirname, '..', '..', '..', 'rules');
