import type { Backfill, BackfillEstimate, BackfillRequest } from '../../shared/backfill';
import { SidecarRequestError, type SidecarHttpClient } from '../client/http';
import { UsageError } from './args';
import { runBackfill, type BackfillIo } from './backfill';

const NOW = Date.UTC(2026, 10, 1, 12);

function backfill(state: Backfill['state'], processed: number): Backfill {
  return {
    id: 'bf-1',
    sourceId: 'trail',
    bucket: 'logs',
    region: 'us-east-1',
    prefixes: [],
    from: '2026-10-25T12:00:00.000Z',
    to: '2026-11-01T12:00:00.000Z',
    order: 'newest',
    state,
    error: null,
    createdAt: '2026-11-01T12:00:00.000Z',
    updatedAt: '2026-11-01T12:00:00.000Z',
    finishedAt: null,
    counters: {
      listed: 4,
      enqueued: 4,
      processed,
      failed: 0,
      skipped: 0,
      cancelled: 0,
      bytesListed: 4096,
      bytesProcessed: processed * 1024,
      events: processed * 10,
      malformed: 0,
    },
    eventsPerSecond: 10,
    etaSeconds: 4 - processed,
    coverage: { from: null, to: null },
    firstEventAfterMs: processed ? 250 : null,
    listing: { units: 7, unitsDone: 7 },
  };
}

/** For this test only: a sidecar that answers from a script and records what it was asked. */
function harness(answers: Record<string, unknown[]>) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: Array<{ method: string; path: string; body?: unknown }> = [];
  const answer = (key: string) => {
    const queue = answers[key];
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next instanceof Error) {
      throw next;
    }
    return next;
  };
  const client: SidecarHttpClient = {
    get: async <T>(path: string) => {
      asked.push({ method: 'GET', path });
      return answer(`GET ${path}`) as T;
    },
    post: async <T>(path: string, body: unknown) => {
      asked.push({ method: 'POST', path, body });
      return answer(`POST ${path}`) as T;
    },
  };
  const io: BackfillIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: { LOOKBACK_API_TOKEN: 't' },
    now: () => NOW,
    tty: false,
    sleep: async () => undefined,
    client: () => client,
    pollMs: 0,
  };
  return { io, out, err, asked };
}

describe('lookback backfill', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('starts a backfill of the last 7 days and, with --wait, draws progress until it is done', async () => {
    const h = harness({
      'POST /api/backfills': [backfill('listing', 0)],
      'GET /api/backfills/bf-1': [backfill('running', 1), backfill('running', 3), backfill('done', 4)],
    });
    await runBackfill(['start', '--source', 'trail', '--from', '7d', '--prefix', 'AWSLogs/', '--order', 'oldest', '--wait'], h.io);
    expect(h.asked[0].body).toEqual<BackfillRequest>({
      sourceId: 'trail',
      from: '2026-10-25T12:00:00.000Z',
      to: '2026-11-01T12:00:00.000Z',
      prefixes: ['AWSLogs/'],
      order: 'oldest',
    });
    const text = h.out.join('');
    expect(text).toMatch(/^backfill bf-1 started: 7 prefixes of s3:\/\/logs to list for source trail\n/);
    expect(text).toMatch(/running +\[█{8}░{22}\]  25%  1\/4 objects/);
    expect(text).toMatch(/done +\[█{30}\] 100%  4\/4 objects  40 events/);
    expect(text).toMatch(/first event searchable 0\.3 s after start/);
    expect(process.exitCode).toBeUndefined();
  });

  it('exits 1 when the watched backfill is cancelled', async () => {
    const h = harness({ 'GET /api/backfills/bf-1': [backfill('cancelled', 2)] });
    await runBackfill(['status', 'bf-1', '--watch'], h.io);
    expect(h.out.join('')).toMatch(/backfill bf-1: cancelled/);
    expect(process.exitCode).toBe(1);
  });

  it('asks a running backfill to load hours first, and shows what it pulled forward', async () => {
    const pulled = {
      from: '2026-10-30T03:00:00.000Z',
      to: '2026-10-30T05:00:00.000Z',
      reason: 'asked' as const,
      detail: 'the alert',
      requestedAt: '2026-11-01T12:00:00.000Z',
      objects: 0,
      objectsDone: 0,
      state: 'queued' as const,
    };
    const h = harness({
      'POST /api/backfills/bf-1/priority': [pulled],
      'GET /api/backfills/bf-1': [{ ...backfill('running', 1), pulledForward: [{ ...pulled, state: 'done', objects: 24, objectsDone: 24 }] }],
    });
    await runBackfill(['prioritize', 'bf-1', '--from', '2026-10-30T03:00:00Z', '--to', '2026-10-30T05:00:00Z', '--note', 'the alert'], h.io);
    expect(h.asked[0]).toEqual({
      method: 'POST',
      path: '/api/backfills/bf-1/priority',
      body: { from: '2026-10-30T03:00:00.000Z', to: '2026-10-30T05:00:00.000Z', note: 'the alert' },
    });
    expect(h.out.join('')).toBe('backfill bf-1: 2026-10-30T03:00:00.000Z to 2026-10-30T05:00:00.000Z will load first\n');
    await runBackfill(['status', 'bf-1'], h.io);
    expect(h.out.join('')).toContain('  loaded first: 2026-10-30T03:00:00.000Z to 2026-10-30T05:00:00.000Z (asked: the alert) done, 24/24 objects\n');
    await expect(runBackfill(['prioritize', 'bf-1', '--from', '1h'], h.io)).rejects.toThrow(/prioritize needs --from and --to/);
    await expect(runBackfill(['prioritize'], h.io)).rejects.toThrow(/give the backfill ID whose hours to load first/);
  });

  it('prints an estimate', async () => {
    const estimate: BackfillEstimate = { prefixes: ['a/', 'b/'], objects: 1234, bytes: 5 * 1024 * 1024, expectedSeconds: 125 };
    const h = harness({ 'POST /api/backfills/estimate': [estimate] });
    await runBackfill(['estimate', '--source', 'trail', '--from', '2026-10-01T00:00:00Z', '--to', '2026-10-02T00:00:00Z'], h.io);
    expect(h.out.join('')).toBe('1,234 objects, 5.0 MB to read from 2 prefixes\nexpected duration: 2m05s\n  a/\n  b/\n');
  });

  it('shows the fields the sidecar refused, and usage mistakes before asking it anything', async () => {
    const refused = new SidecarRequestError(400, 'POST /api/backfills: 400', {
      statusCode: 400,
      error: 'Bad Request',
      message: 'x',
      fields: [{ field: 'bucket', message: 'bucket "nope" does not exist' }],
    });
    const h = harness({ 'POST /api/backfills': [refused] });
    await runBackfill(['start', '--source', 'trail', '--from', '1d'], h.io);
    expect(h.err.join('')).toBe('lookback backfill start: the sidecar refused the request:\n  bucket: bucket "nope" does not exist\n');
    expect(process.exitCode).toBe(1);

    await expect(runBackfill(['start', '--from', '1d'], h.io)).rejects.toThrow(UsageError);
    await expect(runBackfill(['start', '--source', 'trail'], h.io)).rejects.toThrow(/give --from \(and --to\) or --prefix/);
    await expect(runBackfill(['cancel'], h.io)).rejects.toThrow(/give the backfill ID/);
    await expect(runBackfill(['rewind'], h.io)).rejects.toThrow(/unknown backfill action "rewind"/);
  });

  it('lists backfills as a table', async () => {
    const h = harness({ 'GET /api/backfills': [{ backfills: [backfill('running', 1)] }] });
    await runBackfill(['status'], h.io);
    expect(h.out.join('')).toBe(
      'ID    SOURCE  STATE    OBJECTS  EVENTS  RANGE\nbf-1  trail   running  1/4      10      2026-10-25T12:00 to 2026-11-01T12:00\n'
    );
  });
});
