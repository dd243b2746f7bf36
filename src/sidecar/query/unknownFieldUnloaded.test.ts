import { UnknownFieldError } from './errors';
import type { LoadFirst } from './loadingFirst';
import { QueryService } from './service';
import { FIXTURE_RANGE, fixtureRows, ledgerEntry, openTestStore, type TestStore } from './testing';

/** A field of logs not loaded yet is unknown: the query still pulls its hours forward, and says why it failed when it can tell. */
describe('an unknown field in a query over hours with nothing loaded', () => {
  let db: TestStore;
  const asked: Array<{ logTypes: string[] | null; text: string; hours: number }> = [];
  const loadFirst: LoadFirst = async (notice, logTypes, text) => {
    asked.push({ logTypes, text, hours: notice.missingHours.length });
    return { hours: notice.missingHours.length, expectedAt: null };
  };
  let service: QueryService;
  const EMPTY_HOURS = { from: '2024-04-01T00:00:00Z', to: '2024-04-01T06:00:00Z' };

  beforeAll(async () => {
    db = await openTestStore(false);
    // CloudTrail and ALB events are stored and their objects ingested for the whole fixture range; nothing of VPC flow logs.
    await db.store.insertEvents(
      fixtureRows().filter((r) => r.log_type !== 'vpcflow'),
      'no-vpcflow'
    );
    await db.store.recordObjects([
      ledgerEntry('ct/1.json.gz', { minTime: FIXTURE_RANGE.from, maxTime: FIXTURE_RANGE.to, processedAt: '2024-03-08T00:00:00.000Z' }),
    ]);
    service = new QueryService(db.store, { loadFirst });
  });
  afterAll(() => db.close());
  beforeEach(() => (asked.length = 0));

  const failure = (query: string, range = { from: '2024-03-02T00:00:00Z', to: '2024-03-02T06:00:00Z' }) =>
    service.query({ query, ...range }).then(
      () => undefined,
      (err: unknown) => err
    );

  it('of a log type never loaded: asks running backfills to load the hours first, and says the field may be in logs not loaded yet', async () => {
    const err = await failure('VPCFlow | where tcpFlags == "2" | count');
    expect(err).toBeInstanceOf(UnknownFieldError);
    expect((err as Error).message).toBe(
      'unknown field "tcpFlags"; it may be in logs not loaded yet: no logs of vpcflow have been ingested for this time range yet: a running backfill is loading them first'
    );
    expect((err as UnknownFieldError).span).toBeDefined();
    expect(asked).toEqual([{ logTypes: ['vpcflow'], text: 'VPCFlow | where tcpFlags == "2" | count', hours: 6 }]);
  });

  it('of a log type loaded elsewhere: the hours load first all the same, and the error is the plain one (a typo, most likely)', async () => {
    const err = await failure('CloudTrail | where evntName == "x"', EMPTY_HOURS);
    expect((err as Error).message).toBe('unknown field "evntName" (did you mean "eventName"?)');
    expect(asked.map((a) => a.logTypes)).toEqual([['cloudtrail']]);
  });

  it('over hours that are loaded: the plain error, nothing asked', async () => {
    const err = await failure('CloudTrail | where evntName == "x"');
    expect((err as Error).message).toBe('unknown field "evntName" (did you mean "eventName"?)');
    expect(asked).toEqual([]);
  });

  it('names the log types of the tables read before the unknown field, every type for events', async () => {
    await failure('events | where nosuchfield == 1', EMPTY_HOURS);
    expect(asked.map((a) => a.logTypes)).toEqual([null]);
  });
});
