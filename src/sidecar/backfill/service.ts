import { randomBytes } from 'node:crypto';
import type { Source } from '../../shared/api';
import type { Backfill, BackfillEstimate, CoverageResponse } from '../../shared/backfill';
import { regionOfQueueUrl, type AwsClients } from '../aws/clients';
import { queueDepth } from '../aws/queueDepth';
import type { FieldError } from '../config/validate';
import type { IngestConfig } from '../config/types';
import { errorMessage, type Logger } from '../log';
import { BucketAccessError, S3BucketReader, type BucketReader } from './bucketReader';
import { coverage } from './coverage';
import { AssumeRoleError, withAssumedRole } from './credentials';
import type { BackfillDirectory } from './directory';
import { Enqueuer } from './enqueuer';
import { countSelected, listAndEnqueue } from './lister';
import { planBackfill, PlanError, type ListUnit } from './planner';
import { handledCount, TERMINAL_STATES, toBackfill } from './progress';
import type { BackfillRecord, EventCounter, LedgerReader, ProgressRow, UnitCheckpoint } from './repository';
import { checkRequest, keyWindow, type ValidRequest } from './request';
import { expectedSeconds, measuredThroughput } from './throughput';

const MONITOR_MS = 1000;
/** Progress read from the store is shared for this long by every caller (API polls, the watch): it costs a few queries on a store that runs one at a time. */
const PROGRESS_MAX_AGE_MS = 1000;
/** A backfill whose messages stopped coming back for this long, with its queue empty, lost them to the dead-letter queue. */
const STALL_MS = 60_000;

/** A request that cannot be served; `fields` say which parts and why. */
export class BackfillRequestError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.field}: ${f.message}`).join('; '));
  }
}

export class BackfillStateError extends Error {}

export interface BackfillServiceOptions {
  /** The backfill records, shared with the tracker ingest asks. */
  directory: BackfillDirectory;
  /** What ingest stored, for coverage and estimates. */
  ledger: LedgerReader;
  events: EventCounter;
  aws: AwsClients;
  log: Logger;
  sources: () => Source[];
  ingest: IngestConfig;
  /** ListObjectsV2 page size (tests use small pages); default 1000. */
  pageSize?: number;
}

interface Planned {
  request: ValidRequest;
  units: ListUnit[];
  reader: BucketReader;
  aws: AwsClients;
}

/**
 * Starts, lists, cancels and finishes backfills. A start plans the prefixes (which checks the
 * bucket and the layout) before anything is stored, so a bad request leaves nothing behind;
 * then the listing runs in the background, checkpointed, and resumes after a restart.
 */
export class BackfillService {
  private readonly directory: BackfillDirectory;
  private readonly listings = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly stalls = new Map<string, { handled: number; since: number }>();
  private readonly progressCache = new Map<string, { at: number; row: ProgressRow }>();
  private monitor?: NodeJS.Timeout;
  private monitoring = false;
  private stopped = false;

  constructor(private readonly opts: BackfillServiceOptions) {
    this.directory = opts.directory;
  }

  async start(body: unknown): Promise<Backfill> {
    const planned = await this.plan(body);
    const { request, units } = planned;
    const now = Date.now();
    const { source, ...asked } = request;
    const record: BackfillRecord = {
      ...asked,
      id: newBackfillId(now),
      sourceId: source.id,
      state: 'listing',
      error: '',
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    const checkpoints: UnitCheckpoint[] = units.map((u) => ({ ...u, token: '', done: false, pages: 0, seen: 0, enqueued: 0, ignored: 0 }));
    // Units first: a record is only ever seen with its plan stored.
    await this.directory.repo.saveUnits(record.id, checkpoints);
    await this.directory.save(record);
    this.opts.log.info({ backfill: record.id, source: record.sourceId, bucket: record.bucket, prefixes: units.length }, 'backfill started');
    this.launch(record, checkpoints);
    return toBackfill(record, emptyProgress(units.length), Date.now());
  }

  async estimate(body: unknown): Promise<BackfillEstimate> {
    const { units, reader } = await this.plan(body);
    const checkpoints = units.map((u) => ({ ...u, token: '', done: false, pages: 0, seen: 0, enqueued: 0, ignored: 0 }));
    const { objects, bytes } = await countSelected(checkpoints, reader).catch((err) => {
      throw this.requestError(err, undefined);
    });
    const rate = await measuredThroughput(this.opts.ledger, this.opts.ingest.backfillConcurrency);
    return { prefixes: units.map((u) => u.prefix), objects, bytes, expectedSeconds: expectedSeconds(objects, bytes, rate) };
  }

  async list(sourceId?: string): Promise<Backfill[]> {
    const records = await this.directory.repo.backfills({ sourceId, limit: 200 });
    const progress = await this.progress(records);
    const now = Date.now();
    return records.map((r) => toBackfill(r, progress.get(r.id)!, now));
  }

  async get(id: string): Promise<Backfill | undefined> {
    const record = await this.directory.get(id);
    if (!record) {
      return undefined;
    }
    const progress = await this.progress([record]);
    return toBackfill(record, progress.get(id)!, Date.now());
  }

  /** Counters read at most a second ago, and after the record's last change (so state and counters agree). */
  private async progress(records: BackfillRecord[]): Promise<Map<string, ProgressRow>> {
    const now = Date.now();
    const stale = records.filter((r) => (this.progressCache.get(r.id)?.at ?? 0) < Math.max(now - PROGRESS_MAX_AGE_MS, r.updatedAt)).map((r) => r.id);
    if (stale.length) {
      for (const [id, row] of await this.directory.repo.progress(stale)) {
        this.progressCache.set(id, { at: now, row });
      }
    }
    return new Map(records.map((r) => [r.id, this.progressCache.get(r.id)!.row]));
  }

  /** Stops listing and enqueueing; the consumer drops (and counts) the messages already queued. */
  async cancel(id: string): Promise<Backfill | undefined> {
    const record = await this.directory.get(id, 0);
    if (!record) {
      return undefined;
    }
    if (TERMINAL_STATES.includes(record.state)) {
      throw new BackfillStateError(`backfill ${id} is already ${record.state}`);
    }
    record.state = 'cancelled';
    record.finishedAt = Date.now();
    await this.directory.save(record);
    const listing = this.listings.get(id);
    listing?.abort.abort();
    await listing?.done;
    this.opts.log.info({ backfill: id }, 'backfill cancelled');
    return this.get(id);
  }

  async coverage(sourceId: string, from: number, to: number): Promise<CoverageResponse> {
    const records = await this.directory.repo.backfills({ sourceId, states: ['listing', 'running', 'done'] });
    return coverage(
      { backfills: this.directory.repo, ledger: this.opts.ledger, events: this.opts.events },
      {
        sourceId,
        from,
        to,
        active: records.filter((r) => r.state !== 'done'),
        done: records.filter((r) => r.state === 'done'),
      }
    );
  }

  /** After a restart: listings continue from their checkpoints; every unfinished backfill is watched until done. */
  async resume(): Promise<void> {
    const records = await this.directory.repo.backfills({ states: ['listing'] });
    for (const record of records) {
      this.launch(record);
    }
    this.monitor = setInterval(() => void this.watch(), MONITOR_MS);
    this.monitor.unref();
  }

  /** Stops listing (the state stays `listing`, so a restart resumes it) and the watch. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.monitor);
    const listings = [...this.listings.values()];
    listings.forEach((l) => l.abort.abort());
    await Promise.allSettled(listings.map((l) => l.done));
  }

  private async plan(body: unknown): Promise<Planned> {
    const checked = checkRequest(body, this.opts.sources(), Date.now());
    if (!checked.ok) {
      throw new BackfillRequestError(checked.errors);
    }
    const request = checked.request;
    const aws = this.clientsFor(request);
    const reader = new S3BucketReader(aws.s3(request.region), request.bucket);
    try {
      // One key of the first prefix: the bucket exists and may be listed (planning may not list at all).
      await reader.page(request.prefixes[0] ?? request.source.prefix ?? '', undefined, 1);
      const units = await planBackfill(
        { logType: request.source.logType, root: request.source.prefix ?? '', prefixes: request.prefixes, window: keyWindow(request) },
        reader
      );
      return { request, units, reader, aws };
    } catch (err) {
      throw this.requestError(err, request);
    }
  }

  private requestError(err: unknown, request: ValidRequest | undefined): unknown {
    if (err instanceof PlanError) {
      return new BackfillRequestError([{ field: err.field, message: err.message }]);
    }
    if (err instanceof AssumeRoleError) {
      return new BackfillRequestError([{ field: 'roleArn', message: err.message }]);
    }
    if (err instanceof BucketAccessError) {
      const field = err.problem === 'access-denied' && request?.roleArn ? 'roleArn' : 'bucket';
      return new BackfillRequestError([{ field, message: err.message }]);
    }
    return err;
  }

  private clientsFor(request: Pick<BackfillRecord, 'roleArn' | 'externalId' | 'region' | 'id'> | ValidRequest): AwsClients {
    if (!request.roleArn) {
      return this.opts.aws;
    }
    const session = 'id' in request ? `lookback-${request.id}` : 'lookback-backfill';
    return withAssumedRole(this.opts.aws, { roleArn: request.roleArn, externalId: request.externalId }, session, request.region);
  }

  /** Lists and enqueues in the background; on success the backfill is `running` until its objects are handled. */
  private launch(record: BackfillRecord, units?: UnitCheckpoint[]): void {
    const abort = new AbortController();
    const done = (async () => {
      try {
        const source = this.opts.sources().find((s) => s.id === record.sourceId);
        if (!source?.backfillQueueUrl) {
          throw new Error(`source "${record.sourceId}" no longer exists or has no backfill queue`);
        }
        const aws = this.clientsFor(record);
        let plan = units;
        if (!plan) {
          plan = await this.directory.repo.units(record.id);
          const unitsDone = plan.filter((u) => u.done).length;
          this.opts.log.info({ backfill: record.id, units: plan.length, unitsDone }, 'resuming backfill listing from its checkpoints');
        }
        await listAndEnqueue({ backfillId: record.id, bucket: record.bucket, region: record.region, order: record.order }, plan, {
          repo: this.directory.repo,
          reader: new S3BucketReader(aws.s3(record.region), record.bucket, abort.signal),
          enqueuer: new Enqueuer(this.opts.aws.sqs(regionOfQueueUrl(source.backfillQueueUrl) ?? source.region), source.backfillQueueUrl, abort.signal),
          log: this.opts.log,
          signal: abort.signal,
          pageSize: this.opts.pageSize,
          // A cancel made through another sidecar sharing the store.
          stillWanted: async () => (await this.directory.get(record.id))?.state === 'listing',
        });
        if (!abort.signal.aborted) {
          await this.transition(record.id, 'listing', { state: 'running' });
          this.opts.log.info({ backfill: record.id }, 'backfill listed; its objects are being ingested');
        }
      } catch (err) {
        if (!abort.signal.aborted) {
          this.opts.log.error({ backfill: record.id, err: errorMessage(err) }, 'backfill failed');
          await this.transition(record.id, 'listing', { state: 'failed', error: errorMessage(err), finishedAt: Date.now() }).catch(() => undefined);
        }
      } finally {
        this.listings.delete(record.id);
      }
    })();
    this.listings.set(record.id, { abort, done });
  }

  /** Changes a backfill's state only from the one expected (a cancel in between wins). */
  private async transition(id: string, from: BackfillRecord['state'], change: Partial<BackfillRecord>): Promise<void> {
    const current = await this.directory.get(id, 0);
    if (current?.state === from) {
      await this.directory.save({ ...current, ...change });
    }
  }

  /** Marks running backfills done once every listed object is handled. */
  private async watch(): Promise<void> {
    if (this.monitoring || this.stopped) {
      return;
    }
    this.monitoring = true;
    try {
      const running = await this.directory.repo.backfills({ states: ['running'] });
      if (running.length === 0) {
        return;
      }
      const progress = await this.progress(running);
      for (const record of running) {
        await this.settle(record, progress.get(record.id)!);
      }
    } catch (err) {
      this.opts.log.warn({ err: errorMessage(err) }, 'cannot check backfill progress');
    } finally {
      this.monitoring = false;
    }
  }

  private async settle(record: BackfillRecord, p: ProgressRow): Promise<void> {
    const handled = handledCount(p);
    const listed = p.units > 0 && p.unitsDone === p.units;
    if (listed && handled >= p.listed) {
      this.stalls.delete(record.id);
      await this.transition(record.id, 'running', { state: 'done', finishedAt: p.lastHandledAt ?? Date.now() });
      this.opts.log.info({ backfill: record.id, objects: handled, events: p.events }, 'backfill done');
      return;
    }
    const stall = this.stalls.get(record.id);
    if (!stall || stall.handled !== handled) {
      this.stalls.set(record.id, { handled, since: Date.now() });
      return;
    }
    if (Date.now() - stall.since < STALL_MS) {
      return;
    }
    const source = this.opts.sources().find((s) => s.id === record.sourceId);
    if (!source?.backfillQueueUrl) {
      return;
    }
    const depth = await queueDepth(this.opts.aws, regionOfQueueUrl(source.backfillQueueUrl) ?? source.region, source.backfillQueueUrl);
    if (depth.visible === 0 && depth.inFlight === 0) {
      const lost = p.listed - handled;
      this.stalls.delete(record.id);
      await this.transition(record.id, 'running', {
        state: 'done',
        finishedAt: Date.now(),
        error: `${lost} object${lost === 1 ? '' : 's'} never came back from the backfill queue: see its dead-letter queue`,
      });
    }
  }
}

function emptyProgress(units: number): ProgressRow {
  return {
    units,
    unitsDone: 0,
    seen: 0,
    ignored: 0,
    enqueued: 0,
    listed: 0,
    bytesListed: 0,
    processed: 0,
    failed: 0,
    skipped: 0,
    alreadyIngested: 0,
    cancelled: 0,
    bytesProcessed: 0,
    events: 0,
    malformed: 0,
    coverageFrom: null,
    coverageTo: null,
    firstHandledAt: null,
    lastHandledAt: null,
    firstEventAt: null,
  };
}

/** `bf-20240501T120000-3f9a1c`: sortable by start, unique. */
function newBackfillId(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `bf-${stamp}-${randomBytes(3).toString('hex')}`;
}
