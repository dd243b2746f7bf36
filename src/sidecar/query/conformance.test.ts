import { conformanceCases, conformanceFile, type ConformanceCase } from '../formats/conformanceCorpus';
import { timeFromKey } from '../keys/keyTime';
import { chunksOf } from '../formats/parseAll';
import { detectFormat } from '../formats/registry';
import { toEventRow } from '../ingest/rows';
import type { EventRow } from '../store/eventColumns';
import { QueryService } from './service';
import { openTestStore, type TestStore } from './testing';

const CASES = conformanceCases();
const finds = CASES.flatMap((c) => (c.find ?? []).map((f) => [c.file, f.text, f.count, c.key] as const));
const RANGE = { from: '2000-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' };

/** The events of one corpus file as ingest stores them: detected by key, parsed, made rows. */
async function rowsOf(c: ConformanceCase): Promise<EventRow[]> {
  const text = conformanceFile(c);
  const detection = detectFormat('auto', c.key, text.subarray(0, 4096).toString('utf8'));
  if ('error' in detection) {
    throw new Error(`${c.file}: ${detection.error}`);
  }
  const keyTime = timeFromKey(c.key);
  const rows: EventRow[] = [];
  const context = {
    sourceId: 'conformance',
    logType: detection.format.type,
    bucket: 'conformance',
    key: c.key,
    etag: c.file,
    backfillId: '',
    receivedAt: '2024-01-01 00:00:00.000',
    fallbackTime: keyTime ?? 0,
  };
  for await (const item of detection.format.parse(chunksOf(text, 512), { bucket: 'conformance', key: c.key, size: text.length, keyTime })) {
    if ('event' in item) {
      rows.push(toEventRow(item.event, rows.length, context));
    }
  }
  return rows;
}

describe('conformance corpus: free-text finds through search', () => {
  let db: TestStore;
  let service: QueryService;

  beforeAll(async () => {
    db = await openTestStore(false);
    service = new QueryService(db.store);
    for (const c of CASES.filter((c) => c.find)) {
      await db.store.insertEvents(await rowsOf(c), c.file);
    }
  });
  afterAll(() => db.close());

  it('has finds', () => {
    expect(finds.length).toBeGreaterThan(10);
  });

  it.each(finds)('%s: search %s finds %i', async (_file, text, count, key) => {
    const response = await service.query({ query: `events | where key == $key | search ${text} | count`, ...RANGE, variables: { key } });
    expect(response.rows).toEqual([[count]]);
  });
});
