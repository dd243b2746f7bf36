import { DetectionRepository, type DetectionRecord } from '../detect/repository';
import { QueryError } from './errors';
import { QueryService } from './service';
import { FIXTURE_RANGE, openTestStore, type TestStore } from './testing';

// The search language's `Detections` table: what the rules found, read like events, with the
// compiler's parameters and limits.

const HOUR = 3_600_000;
const T = Date.parse('2024-03-02T10:00:00Z');

function detection(fingerprint: string, fields: Partial<DetectionRecord> = {}): DetectionRecord {
  return {
    fingerprint,
    ruleId: 'lookback.aws.cloudtrail.root-console-login',
    ruleVersion: 'v1',
    title: 'Root user signs in to the console',
    severity: 'high',
    tags: ['attack.initial-access', 'attack.t1078.004'],
    keys: { sourceIPAddress: '198.51.100.7' },
    windowStart: T,
    windowEnd: T + HOUR,
    query: 'CloudTrail | where eventName == "ConsoleLogin"',
    factsVersion: T + 2 * HOUR,
    count: 2,
    events: 2,
    firstSeen: T + 60_000,
    lastSeen: T + 120_000,
    ...fields,
  };
}

describe('the Detections table', () => {
  let db: TestStore;
  let service: QueryService;
  const range = { from: FIXTURE_RANGE.from, to: FIXTURE_RANGE.to };

  beforeAll(async () => {
    db = await openTestStore();
    service = new QueryService(db.store);
    const repository = new DetectionRepository(db.store);
    await repository.record(
      [
        detection('fp-root'),
        detection('fp-brute', {
          ruleId: 'lookback.aws.cloudtrail.console-brute-force',
          title: 'Console password guessing from one address',
          severity: 'medium',
          keys: { sourceIPAddress: '203.0.113.9' },
          count: 7,
          events: 7,
          firstSeen: T + 3 * HOUR,
          lastSeen: T + 3 * HOUR + 300_000,
        }),
        // Outside the range: events on 2024-03-20.
        detection('fp-later', { firstSeen: Date.parse('2024-03-20T00:00:00Z'), lastSeen: Date.parse('2024-03-20T01:00:00Z') }),
      ],
      T + 2 * HOUR
    );
    await repository.setStatus('fp-root', { status: 'acknowledged', by: 'alice', note: '' }, T + 3 * HOUR);
  });
  afterAll(() => db.close());

  const rows = async (query: string) => {
    const result = await service.query({ query, ...range });
    expect(result.coverage).toBeUndefined();
    return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
  };

  it('holds one row per detection whose events overlap the time range, newest first, with its facts and status', async () => {
    const result = await rows('Detections');
    expect(result.map((r) => r.fingerprint)).toEqual(['fp-brute', 'fp-root']);
    expect(result[1]).toMatchObject({
      time: '2024-03-02T10:01:00.000Z',
      lastSeen: '2024-03-02T10:02:00.000Z',
      ruleId: 'lookback.aws.cloudtrail.root-console-login',
      severity: 'high',
      tags: ['attack.initial-access', 'attack.t1078.004'],
      status: 'acknowledged',
      statusBy: 'alice',
      count: 2,
      keys: 'sourceIPAddress=198.51.100.7',
      windowStart: '2024-03-02T10:00:00.000Z',
      query: 'CloudTrail | where eventName == "ConsoleLogin"',
    });
  });

  it('filters by group keys as by event fields, aggregates, searches its text', async () => {
    expect((await rows('Detections | where sourceIPAddress == "203.0.113.9" | project title, count')).map((r) => [r.title, r.count])).toEqual([
      ['Console password guessing from one address', 7],
    ]);
    expect(await rows('Detections | summarize n = count(), events = sum(events) by severity | sort by severity asc')).toEqual([
      { severity: 'high', n: 1, events: 2 },
      { severity: 'medium', n: 1, events: 7 },
    ]);
    expect((await rows('Detections | search "198.51.100.7"')).map((r) => r.fingerprint)).toEqual(['fp-root']);
    expect((await rows('Detections | where tags has "attack.t1078.004" and status != "closed"')).map((r) => r.fingerprint)).toEqual(['fp-brute', 'fp-root']);
  });

  it('binds values as parameters and names unknown columns', async () => {
    expect(await rows(`Detections | where title == "x' OR 1=1 --"`)).toEqual([]);
    const compiled = await service.query({ query: 'Detections | where ruleId == "lookback.aws.cloudtrail.root-console-login" | count', ...range });
    expect(compiled.rows).toEqual([[1]]);
    await expect(service.query({ query: 'Detections | where severty == "high"', ...range })).rejects.toThrow(QueryError);
    await expect(service.query({ query: 'Detections | where severty == "high"', ...range })).rejects.toThrow(/unknown field "severty".*severity/);
  });

  it('is offered to the editor with its columns', async () => {
    const { tables } = await service.fields();
    const table = tables.find((t) => t.name === 'Detections');
    expect(table).toMatchObject({ logType: null, detail: 'what the detection rules found' });
    expect(table?.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['time', 'ruleId', 'severity', 'status', 'count', 'keys', 'fields']));
  });
});
