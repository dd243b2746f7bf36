import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared corpus of real-format AWS logs, beside the repository (`../shared/conformance`). */
export const CONFORMANCE_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'conformance');

/** One file of the corpus and what reading it must give (`manifest.json`). */
export interface ConformanceCase {
  file: string;
  key: string;
  logType: string;
  events: number;
  malformed: number;
  skipped?: boolean;
  minTime?: string;
  maxTime?: string;
  /** Free-text searches and the number of events each must find. */
  find?: Array<{ text: string; count: number }>;
}

export function conformanceCases(): ConformanceCase[] {
  return (JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'manifest.json'), 'utf8')) as { cases: ConformanceCase[] }).cases;
}

/** The bytes of one corpus file, as S3 would serve them. */
export function conformanceFile(c: ConformanceCase): Buffer {
  return readFileSync(join(CONFORMANCE_DIR, c.file));
}
