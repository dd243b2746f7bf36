import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LookbackConfig } from '../config/types';
import type { Logger } from '../log';
import { storePath } from './open';

const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;

function tighten(path: string, mode: number, log: Logger): void {
  const was = statSync(path).mode & 0o777;
  if (was & 0o077) {
    chmodSync(path, mode);
    log.warn({ path, was: `0${was.toString(8)}`, now: `0${mode.toString(8)}` }, "tightened permissions: only the sidecar's user may read its data");
  }
}

/**
 * The store holds every log line and the token file the API's key, so both are the sidecar's
 * user's alone: files it creates from now on are 0600 and directories 0700 (umask 077, which
 * chDB's files inherit), and an existing data or store directory, or token file, that others
 * could read is tightened at start, with a log line saying so.
 */
export function restrictToOwner(config: LookbackConfig, log: Logger): void {
  process.umask(0o077);
  for (const dir of new Set([config.dataDir, storePath(config)])) {
    if (existsSync(dir)) {
      tighten(dir, OWNER_ONLY_DIR, log);
    } else {
      mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
    }
  }
  const token = join(config.dataDir, 'api-token');
  if (existsSync(token)) {
    tighten(token, OWNER_ONLY_FILE, log);
  }
}
