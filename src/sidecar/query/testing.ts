import { drainPending } from 'chdb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbStore } from '../store/chdb';
import type { LedgerEntry } from '../../shared/api';
import type { EventRow } from '../store/eventColumns';

/** The range the golden fixture events fall in. */
export const FIXTURE_RANGE = { from: '2024-03-01T00:00:00Z', to: '2024-03-08T00:00:00Z' };

export const GOLDEN_DIR = join(__dirname, 'golden');

export function fixtureRows(): EventRow[] {
  return readFileSync(join(GOLDEN_DIR, 'fixtures', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EventRow);
}

export interface TestStore {
  store: ChdbStore;
  close(): Promise<void>;
}

/** A chDB store in a fresh temp directory (one per test file), optionally loaded with the fixture events. */
export async function openTestStore(withFixtures = true): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-query-'));
  const store = new ChdbStore(dir);
  await store.migrate();
  if (withFixtures) {
    await store.insertEvents(fixtureRows(), 'golden-fixtures');
  }
  return {
    store,
    async close() {
      await store.close();
      await drainPending();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A ledger row for tests: an ingested CloudTrail object of source `trail` in bucket `logs`, changed by `fields`. */
export function ledgerEntry(key: string, fields: Partial<LedgerEntry> = {}): LedgerEntry & { queue: string } {
  const status = fields.status ?? 'ok';
  const backfillId = fields.backfillId ?? '';
  return {
    sourceId: 'trail',
    bucket: 'logs',
    key,
    etag: `etag-${key}`,
    size: 100,
    logType: 'cloudtrail',
    status,
    events: status === 'ok' ? 10 : 0,
    malformed: 0,
    malformedSamples: [],
    error: '',
    minTime: null,
    maxTime: null,
    backfillId,
    processedAt: new Date().toISOString(),
    durationMs: 5,
    ...fields,
    queue: backfillId ? 'backfill' : 'live',
  };
}
