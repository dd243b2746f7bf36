import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHostBundle } from '../host/bundle';
import { CHROMIUM } from './browser';

/** Once per run: the host page bundle (cached across runs) and a clear word on what is missing. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: run scripts/ensure-chromium.sh first (npm run test:browser does)`);
  }
  if (!existsSync(join(__dirname, '..', '..', '..', 'dist', 'module.js'))) {
    throw new Error('the browser tests load the built plugin: run `npm run build:plugin` first');
  }
  await ensureHostBundle((line) => process.stderr.write(`${line}\n`));
}
