import { randomBytes } from 'node:crypto';
import type { Source } from '../../shared/api';
import type { PriorityReason, PulledForward } from '../../shared/backfill';
import type { CoverageNotice } from '../../shared/query';
import type { FieldError } from '../config/validate';
import { parseRequestTime } from '../query/time';
import { HOUR_MS } from './dates';
import type { BackfillDirectory } from './directory';
import { PRIORITY_BOUNDS } from './priorityBounds';
import { PENDING_STATES, toPulledForward, type PriorityRecord, type PriorityRepository } from './priorityRecord';
import type { PriorityStats } from './priorityStats';
import type { BackfillRecord } from './repository';
import type { Throughput } from './throughput';

const CACHE_MS = 1000;
const RATE_CACHE_MS = 10_000;
const DETAIL_CHARS = 200;
const NOTE_CHARS = 500;
const RUNNING = ['listing', 'running'];

export class PriorityRequestError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}
export class PriorityNotFoundError extends Error {}
export class PriorityStateError extends Error {}
/** A bound refused the request; the message names it. */
export class PriorityBoundError extends Error {}

export interface PriorityServiceOptions {
  repo: PriorityRepository;
  directory: BackfillDirectory;
  sources: () => Source[];
  /** The measured ingest pace, for when pulled-forward hours are expected (throughput.ts). */
  throughput: () => Promise<Throughput | undefined>;
  /** A request was stored: the lane of this sidecar starts on it at once (the others find it within a second). */
  wake: () => void;
  stats: PriorityStats;
}

type Hours = { from: number; to: number };

/**
 * Takes requests to load hours of a running backfill first, from a search whose coverage notice
 * lists missing hours, or from someone who asks, and keeps them within the bounds
 * (priorityBounds.ts): hours already asked for are one request (coalesced), a request covers a
 * day at most, and a backfill has a few pending at most. The lane (priorityLane.ts) does the
 * work. The search path never waits on the store here beyond a cached read, and never fails
 * because of priority.
 */
export class PriorityService {
  private active: { at: number; records: Promise<BackfillRecord[]> } | undefined;
  private requests: { at: number; byBackfill: Promise<Map<string, PriorityRecord[]>> } | undefined;
  private rate: { at: number; value: Promise<Throughput | undefined> } | undefined;
  /** Requests stored by this sidecar and not read back yet. */
  private readonly fresh: PriorityRecord[] = [];

  constructor(private readonly opts: PriorityServiceOptions) {}

  /** POST /api/backfills/:id/priority. */
  async ask(backfillId: string, body: unknown): Promise<PulledForward> {
    const record = await this.opts.directory.get(backfillId, 0);
    if (!record) {
      throw new PriorityNotFoundError(`no backfill ${backfillId}`);
    }
    const hours = checkAsked(body, record);
    if (!RUNNING.includes(record.state)) {
      throw new PriorityStateError(`backfill ${backfillId} is ${record.state}: only a listing or running backfill loads hours first`);
    }
    const note = typeof (body as { note?: unknown }).note === 'string' ? (body as { note: string }).note.slice(0, NOTE_CHARS) : '';
    const result = await this.add(record, hours, 'asked', note);
    if ('refused' in result) {
      throw new PriorityBoundError(result.refused);
    }
    return toPulledForward(result.request);
  }

  /**
   * A search's coverage notice lists missing hours: those in the range of a running backfill of
   * a source that holds the searched log types go first, when they are a day at most (a focused
   * question; a search of weeks is left to the backfill's order). Returns the notice's `loadingFirst`.
   */
  async fromQuery(notice: CoverageNotice, logTypes: string[] | null, queryText: string): Promise<CoverageNotice['loadingFirst']> {
    const missing = notice.missingHours.map((h) => Date.parse(h)).filter((h) => Number.isFinite(h));
    const sources = new Map(this.opts.sources().map((s) => [s.id, s]));
    const matching = (await this.activeBackfills()).filter((b) => {
      const type = sources.get(b.sourceId)?.logType;
      return type !== undefined && (logTypes === null || type === 'auto' || logTypes.includes(type));
    });
    if (matching.length === 0) {
      return undefined;
    }
    for (const record of matching) {
      const byBackfill = await this.pendingRequests();
      const asked = (byBackfill.get(record.id) ?? []).filter((r) => r.state !== 'dropped');
      const inBackfill = missing.filter((h) => inRange(record, h));
      if (inBackfill.length > PRIORITY_BOUNDS.maxHours) {
        // A search of weeks touches everything: the backfill's own order serves it (the notice lists 48 hours at most, so this is a lower bound).
        continue;
      }
      const wanted = inBackfill.filter((h) => !asked.some((r) => r.from <= h && h < r.to));
      const run = firstRun(wanted, record.order);
      if (run) {
        await this.add(record, run, 'query', queryText.replace(/\s+/g, ' ').trim().slice(0, DETAIL_CHARS));
      }
    }
    return this.loadingFirst(
      missing,
      matching.map((b) => b.id)
    );
  }

  /**
   * The requests of these backfills, newest first, for GET /api/backfills: those of running
   * backfills as read at most a second ago for every caller (pollers ask often), the others read now.
   */
  async pulledForward(ids: string[]): Promise<Map<string, PulledForward[]>> {
    const active = new Set((await this.activeBackfills()).map((b) => b.id));
    const recent = await this.pendingRequests();
    const others = ids.filter((id) => !active.has(id));
    const records = [
      ...ids.filter((id) => active.has(id)).flatMap((id) => (recent.get(id) ?? []).slice(0, PRIORITY_BOUNDS.shown)),
      ...(others.length ? await this.opts.repo.priorities(others, PRIORITY_BOUNDS.shown) : []),
    ];
    const out = new Map<string, PulledForward[]>(ids.map((id) => [id, []]));
    for (const r of records) {
      out.get(r.backfillId)?.push(toPulledForward(r));
    }
    return out;
  }

  /** How many of the missing hours pending requests cover, and when the lane should be done with them. */
  private async loadingFirst(missing: number[], backfillIds: string[]): Promise<CoverageNotice['loadingFirst']> {
    const byBackfill = await this.pendingRequests();
    const pending = backfillIds.flatMap((id) => byBackfill.get(id) ?? []).filter((r) => PENDING_STATES.includes(r.state));
    const covering = pending.filter((r) => missing.some((h) => r.from <= h && h < r.to));
    const hours = missing.filter((h) => covering.some((r) => r.from <= h && h < r.to)).length;
    if (hours === 0) {
      return undefined;
    }
    return { hours, expectedAt: await this.expectedAt(pending, covering) };
  }

  /**
   * The lane works requests oldest first: the covering requests are done once those before them
   * are. A request the lane has planned knows its objects; one not planned yet counts as its
   * hours' share of a request's budget (an upper estimate). Null until the pace is measured.
   */
  private async expectedAt(pending: PriorityRecord[], covering: PriorityRecord[]): Promise<string | null> {
    const rate = await this.throughput();
    if (!rate) {
      return null;
    }
    const last = covering.reduce((a, b) => (b.requestedAt > a.requestedAt ? b : a));
    const ahead = pending.filter((r) => r.requestedAt <= last.requestedAt);
    const seconds = ahead.reduce((s, r) => {
      if (r.state === 'loading' && r.objects > 0) {
        return s + (r.objects - r.objectsDone) / rate.objectsPerSecond;
      }
      return s + ((r.to - r.from) / HOUR_MS / PRIORITY_BOUNDS.maxHours) * PRIORITY_BOUNDS.budgetSeconds;
    }, 1);
    return new Date(Date.now() + Math.ceil(seconds) * 1000).toISOString();
  }

  private async add(record: BackfillRecord, hours: Hours, reason: PriorityReason, detail: string): Promise<{ request: PriorityRecord } | { refused: string }> {
    const byBackfill = await this.pendingRequests();
    const existing = byBackfill.get(record.id) ?? [];
    byBackfill.set(record.id, existing);
    const same = existing.find((r) => r.state !== 'dropped' && r.from <= hours.from && hours.to <= r.to);
    if (same) {
      this.opts.stats.request(reason, 'coalesced');
      return { request: same };
    }
    const pending = existing.filter((r) => PENDING_STATES.includes(r.state)).length;
    if (pending >= PRIORITY_BOUNDS.maxPending) {
      this.opts.stats.request(reason, 'refused');
      return {
        refused: `backfill ${record.id} already has ${pending} requests to load hours first (the bound is ${PRIORITY_BOUNDS.maxPending} pending per backfill): try again once one is done`,
      };
    }
    const now = Date.now();
    const request: PriorityRecord = {
      backfillId: record.id,
      id: `pf-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
      ...hours,
      reason,
      detail,
      requestedAt: now,
      state: 'queued',
      objects: 0,
      objectsDone: 0,
      note: '',
    };
    this.fresh.push(request);
    existing.unshift(request);
    await this.opts.repo.savePriority(request);
    this.opts.stats.request(reason, 'accepted');
    this.opts.wake();
    return { request };
  }

  private activeBackfills(): Promise<BackfillRecord[]> {
    if (!this.active || Date.now() - this.active.at > CACHE_MS) {
      const records = this.opts.directory.repo.backfills({ states: ['listing', 'running'] });
      records.catch(() => (this.active = undefined));
      this.active = { at: Date.now(), records };
    }
    return this.active.records;
  }

  /** The requests of the running backfills, newest first, read at most a second ago (plus those this sidecar stored since). */
  private pendingRequests(): Promise<Map<string, PriorityRecord[]>> {
    if (!this.requests || Date.now() - this.requests.at > CACHE_MS) {
      const at = Date.now();
      const byBackfill = this.activeBackfills().then(async (active) => {
        const rows = await this.opts.repo.priorities(
          active.map((b) => b.id),
          PRIORITY_BOUNDS.shown
        );
        const stored = new Set(rows.map((r) => r.id));
        const map = new Map<string, PriorityRecord[]>();
        for (const r of [...this.fresh.filter((f) => !stored.has(f.id)), ...rows]) {
          map.set(r.backfillId, [...(map.get(r.backfillId) ?? []), r]);
        }
        this.fresh.splice(0, this.fresh.length, ...this.fresh.filter((f) => !stored.has(f.id) && f.requestedAt > at - 60_000));
        return map;
      });
      byBackfill.catch(() => (this.requests = undefined));
      this.requests = { at, byBackfill };
    }
    return this.requests.byBackfill;
  }

  private throughput(): Promise<Throughput | undefined> {
    if (!this.rate || Date.now() - this.rate.at > RATE_CACHE_MS) {
      const value = this.opts.throughput();
      value.catch(() => (this.rate = undefined));
      this.rate = { at: Date.now(), value };
    }
    return this.rate.value;
  }
}

function inRange(record: BackfillRecord, hour: number): boolean {
  return (record.from === null || hour + HOUR_MS > record.from) && (record.to === null || hour < record.to);
}

/** The first run of consecutive hours in the backfill's order (newest first, or oldest), a day at most. */
function firstRun(hours: number[], order: BackfillRecord['order']): Hours | undefined {
  if (hours.length === 0) {
    return undefined;
  }
  const sorted = [...new Set(hours)].sort((a, b) => (order === 'newest' ? b - a : a - b));
  const step = order === 'newest' ? -HOUR_MS : HOUR_MS;
  let end = 0;
  while (end + 1 < sorted.length && end + 1 < PRIORITY_BOUNDS.maxHours && sorted[end + 1] === sorted[end] + step) {
    end++;
  }
  const [a, b] = [sorted[0], sorted[end]];
  return { from: Math.min(a, b), to: Math.max(a, b) + HOUR_MS };
}

/** The hours of an explicit request: a range on the backfill's, a day at most, widened to whole hours. */
function checkAsked(body: unknown, record: BackfillRecord): Hours {
  const errors: FieldError[] = [];
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const time = (field: 'from' | 'to'): number | undefined => {
    const v = b[field];
    const t = typeof v === 'number' ? v : typeof v === 'string' ? parseRequestTime(v) : undefined;
    if (t === undefined || !Number.isFinite(t)) {
      errors.push({
        field,
        message: v === undefined ? 'is required' : `must be an ISO 8601 time or epoch milliseconds, got ${JSON.stringify(v).slice(0, 80)}`,
      });
      return undefined;
    }
    return t;
  };
  const start = time('from');
  const end = time('to');
  if (b.note !== undefined && typeof b.note !== 'string') {
    errors.push({ field: 'note', message: 'must be text' });
  }
  if (start !== undefined && end !== undefined) {
    const from = Math.floor(start / HOUR_MS) * HOUR_MS;
    const to = Math.ceil(end / HOUR_MS) * HOUR_MS;
    if (end <= start) {
      errors.push({ field: 'to', message: 'must be after from' });
    } else if ((to - from) / HOUR_MS > PRIORITY_BOUNDS.maxHours) {
      errors.push({ field: 'to', message: `at most ${PRIORITY_BOUNDS.maxHours} hours are loaded first at a time; got ${(to - from) / HOUR_MS}` });
    } else if (record.from !== null && to <= record.from) {
      errors.push({ field: 'to', message: `the hours end before the backfill's range starts (${new Date(record.from).toISOString()})` });
    } else if (record.to !== null && from >= record.to) {
      errors.push({ field: 'from', message: `the hours start after the backfill's range ends (${new Date(record.to).toISOString()})` });
    } else if (errors.length === 0) {
      return { from, to };
    }
  }
  throw new PriorityRequestError(errors);
}
