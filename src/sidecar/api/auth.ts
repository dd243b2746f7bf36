import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API token: from config/env, else the one generated on first start into the data
 * directory. `created` is true the one time it is generated, so it can be printed once.
 */
export function resolveApiToken(configured: string | undefined, dataDir: string): { token: string; created: boolean; file?: string } {
  if (configured) {
    return { token: configured, created: false };
  }
  const file = join(dataDir, 'api-token');
  if (existsSync(file)) {
    return { token: readFileSync(file, 'utf8').trim(), created: false, file };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, created: true, file };
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) {
    return false;
  }
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
