import { createLogger } from '../log';
import { listPage } from './lister';
import type { ListUnit } from './planner';
import { wantedMessages } from './priorityPages';
import type { BackfillRecord, ListedRow } from './repository';
import { MemoryBucket } from './testing';

const DAY = '2024/05/02';
const PREFIX = `AWSLogs/111122223333/CloudTrail/us-east-1/${DAY}/`;
const HOUR = 3_600_000;
const log = createLogger('silent');

/** A day of CloudTrail files, one every 5 minutes. */
const keys = Array.from({ length: 288 }, (_, i) => {
  const t = new Date(Date.UTC(2024, 4, 2) + i * 300_000).toISOString().replace(/[-:]/g, '').slice(0, 13);
  return { key: `${PREFIX}111122223333_CloudTrail_us-east-1_${t}Z_${i}.json.gz`, size: 5_000_000 + i };
});

const record: BackfillRecord = {
  id: 'bf-priority-pages',
  sourceId: 'trail',
  bucket: 'logs',
  region: 'us-east-1',
  prefixes: [],
  from: null,
  to: null,
  marginMinutes: 15,
  order: 'newest',
  roleArn: null,
  externalId: null,
  state: 'running',
  error: '',
  createdAt: 0,
  updatedAt: 0,
  finishedAt: null,
};
const unit: ListUnit = { prefix: PREFIX, filter: { from: null, to: null, logType: 'cloudtrail' }, time: Date.UTC(2024, 4, 2) };

describe('the messages loaded first', () => {
  it('are byte for byte those the listing units send, only those that hold the wanted hours, newest first', async () => {
    const bucket = new MemoryBucket('logs', keys);
    const listed: ListedRow[] = [];
    const repo = { recordListed: async (_id: string, rows: ListedRow[]) => void listed.push(...rows) };
    const signal = new AbortController().signal;
    // What the listing units send, page after page (50 keys to a page, small messages).
    const sent: string[] = [];
    let token = '';
    do {
      const job = { backfillId: record.id, bucket: record.bucket, region: record.region, order: record.order };
      const page = await listPage(job, unit, token, { repo, reader: bucket, enqueuer: { send: async (b) => void sent.push(...b) }, log, signal, pageSize: 50 });
      token = page.nextToken ?? '';
    } while (token);

    const hours = { from: Date.UTC(2024, 4, 2, 10), to: Date.UTC(2024, 4, 2, 11) };
    const found = await wantedMessages(record, [unit], hours, { reader: bucket, repo, log, signal, pageSize: 50, maxPages: 100 });
    expect(found.cut).toBe(false);
    expect(found.pages).toBe(6);
    expect(found.messages.length).toBeGreaterThan(0);
    expect(found.messages.length).toBeLessThan(sent.length);
    for (const m of found.messages) {
      expect(sent).toContain(m.body);
    }
    // The hour, with an hour either side for the keys' stamps: 09:00 to 12:00 at the most (the margin is less than an hour).
    const wanted = found.messages.reduce((n, m) => n + m.wanted, 0);
    expect(wanted).toBe(36);
    expect(found.messages.map((m) => m.time)).toEqual([...found.messages.map((m) => m.time)].sort((a, b) => b - a));
    expect(found.messages[0].time).toBeLessThan(hours.to + HOUR);
  });

  it('stop at the page bound', async () => {
    const bucket = new MemoryBucket('logs', keys);
    const repo = { recordListed: async () => undefined };
    const found = await wantedMessages(
      record,
      [unit],
      { from: Date.UTC(2024, 4, 2, 10), to: Date.UTC(2024, 4, 2, 11) },
      {
        reader: bucket,
        repo,
        log,
        signal: new AbortController().signal,
        pageSize: 10,
        maxPages: 3,
      }
    );
    expect([found.pages, found.cut]).toEqual([3, true]);
  });
});
