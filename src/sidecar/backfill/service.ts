import { randomBytes } from 'node:crypto';
import type { Source } from '../../shared/api';
import type { Backfill, BackfillEstimate, CoverageResponse, PulledForward } from '../../shared/backfill';
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
import { countSelected, unitOrder } from './lister';
import { planBackfill, PlanError, type ListUnit } from './planner';
import { handledCount, TERMINAL_STATES, toBackfill } from './progress';
import type { BackfillRecord, EventCounter, LedgerReader, ProgressRow } from './repository';
import { checkRequest, keyWindow, type ValidRequest } from './request';
import { SharedProgress } from './sharedProgress';
import { expectedSeconds, measuredThroughput } from './throughput';
import { unitBody } from './unitMessage';

const MONITOR_MS = 1000;
/** A backfill whose messages (notifications or listing units) stopped coming back for this long, with its queue empty, lost them to the dead-letter queue. */
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
  /** The hours pulled forward in each of these backfills (priority.ts); none without. */
  pulledForward?: (ids: string[]) => Promise<Map<string, PulledForward[]>>;
}

interface Planned {
  request: ValidRequest;
  units: ListUnit[];
  reader: BucketReader;
  aws: AwsClients;
}

/**
 * Starts, cancels and finishes backfills. A start plans the prefixes (which checks the bucket and
 * the layout) before anything is stored, so a bad request leaves nothing behind; then it sends the
 * listing unit of the first prefix in the backfill's order to the source's backfill queue, and
 * whichever sidecars poll that queue list the pages, the first page of that prefix sending the
 * units of all the others (unitHandler.ts). Every sidecar on the store watches the
 * backfills and moves them on from their stored counters: listed once every prefix is listed to
 * its last page, done once every listed object is handled.
 */
export class BackfillService {
  private readonly directory: BackfillDirectory;
  private readonly stalls = new Map<string, { moved: number; since: number }>();
  private readonly progress: SharedProgress;
  private monitor?: NodeJS.Timeout;
  private monitoring = false;
  private stopped = false;

  constructor(private readonly opts: BackfillServiceOptions) {
    this.directory = opts.directory;
    this.progress = new SharedProgress(opts.directory.repo);
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
    // The plan first: a record is only ever seen with its plan stored.
    await this.directory.repo.savePlan(record.id, units);
    await this.directory.save(record);
    this.opts.log.info({ backfill: record.id, source: record.sourceId, bucket: record.bucket, prefixes: units.length }, 'backfill started');
    try {
      await this.enqueueFirstUnit(record, units, source);
    } catch (err) {
      this.opts.log.error({ backfill: record.id, err: errorMessage(err) }, 'backfill failed');
      await this.directory.transition(record.id, 'listing', { state: 'failed', error: errorMessage(err), finishedAt: Date.now() });
    }
    const stored = (await this.directory.get(record.id)) ?? record;
    return toBackfill(stored, emptyProgress(units.length), Date.now());
  }

  /**
   * The unit of the first prefix in the backfill's order (newest or oldest); its first page sends
   * the units of all the others after its own notifications (unitHandler.ts), so the first events
   * do not wait behind the listing of every prefix.
   */
  private async enqueueFirstUnit(record: BackfillRecord, units: ListUnit[], source: Source): Promise<void> {
    const url = source.backfillQueueUrl!;
    const queue = new Enqueuer(this.opts.aws.sqs(regionOfQueueUrl(url) ?? source.region), url);
    const [first] = [...units].sort(unitOrder(record.order));
    const bodies = [unitBody({ backfillId: record.id, prefix: first.prefix, page: 0, token: '' })];
    await queue.send(bodies, { inOrder: true });
  }

  async estimate(body: unknown): Promise<BackfillEstimate> {
    const { units, reader } = await this.plan(body);
    const { objects, bytes } = await countSelected(units, reader).catch((err) => {
      throw this.requestError(err, undefined);
    });
    const rate = await measuredThroughput(this.opts.ledger, this.opts.ingest.backfillConcurrency);
    return { prefixes: units.map((u) => u.prefix), objects, bytes, expectedSeconds: expectedSeconds(objects, bytes, rate) };
  }

  async list(sourceId?: string): Promise<Backfill[]> {
    const records = await this.directory.repo.backfills({ sourceId, limit: 200 });
    return this.withProgress(records);
  }

  private async withProgress(records: BackfillRecord[]): Promise<Backfill[]> {
    const progress = await this.progress.of(records);
    const pulled = await this.opts.pulledForward?.(records.map((r) => r.id));
    const now = Date.now();
    return records.map((r) => {
      const backfill = toBackfill(r, progress.get(r.id)!, now);
      const forward = pulled?.get(r.id);
      return forward?.length ? { ...backfill, pulledForward: forward } : backfill;
    });
  }

  /** The backfills still listing or running, with their counters and ETA. */
  async active(): Promise<Backfill[]> {
    const records = await this.directory.repo.backfills({ states: ['listing', 'running'] });
    const progress = await this.progress.of(records);
    const now = Date.now();
    return records.map((r) => toBackfill(r, progress.get(r.id)!, now));
  }

  async get(id: string): Promise<Backfill | undefined> {
    const record = await this.directory.get(id);
    if (!record) {
      return undefined;
    }
    return (await this.withProgress([record]))[0];
  }

  /** Stops the backfill: its listing units are dropped, and the consumer drops (and counts) the notifications already queued. */
  async cancel(id: string): Promise<Backfill | undefined> {
    const record = await this.directory.get(id, 0);
    if (!record) {
      return undefined;
    }
    if (TERMINAL_STATES.includes(record.state)) {
      throw new BackfillStateError(`backfill ${id} is already ${record.state}`);
    }
    // Written whatever another sidecar writes meanwhile: a cancel outranks every other state.
    await this.directory.save({ ...record, state: 'cancelled', finishedAt: Date.now() });
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

  /** Starts watching the unfinished backfills of the store (whoever started them), to move them on. */
  startWatching(): void {
    this.monitor = setInterval(() => void this.watch(), MONITOR_MS);
    this.monitor.unref();
  }

  /** Stops the watch; the backfills go on wherever their messages are received. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.monitor);
    while (this.monitoring) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
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

  /** Moves every unfinished backfill on from its stored counters. */
  private async watch(): Promise<void> {
    if (this.monitoring || this.stopped) {
      return;
    }
    this.monitoring = true;
    try {
      const active = await this.directory.repo.backfills({ states: ['listing', 'running'] });
      if (active.length === 0) {
        return;
      }
      const progress = await this.progress.of(active);
      for (const record of active) {
        await this.settle(record, progress.get(record.id)!);
      }
    } catch (err) {
      this.opts.log.warn({ err: errorMessage(err) }, 'cannot check backfill progress');
    } finally {
      this.monitoring = false;
    }
  }

  /**
   * Listed once every prefix has its last page recorded; done once every listed object is
   * handled. Any sidecar may decide either from the stored counters; when two do at once, both
   * write the same state. Progress reads pages before listed objects, and a page is recorded after
   * its objects, so a listing seen complete comes with all its objects counted.
   */
  private async settle(record: BackfillRecord, p: ProgressRow): Promise<void> {
    const handled = handledCount(p);
    const listed = p.units > 0 && p.unitsDone === p.units;
    let state = record.state;
    if (state === 'listing' && listed) {
      if (await this.directory.transition(record.id, 'listing', { state: 'running' })) {
        this.opts.log.info({ backfill: record.id, objects: p.listed }, 'backfill listed; its objects are being ingested');
      }
      state = 'running';
    }
    if (state === 'running' && listed && handled >= p.listed) {
      this.stalls.delete(record.id);
      if (await this.directory.transition(record.id, 'running', { state: 'done', finishedAt: p.lastHandledAt ?? Date.now() })) {
        this.opts.log.info({ backfill: record.id, objects: handled, events: p.events }, 'backfill done');
      }
      return;
    }
    await this.checkStall(record.id, state, p, handled);
  }

  /** Nothing moved for STALL_MS and the backfill queue is empty: what is missing went to the dead-letter queue. */
  private async checkStall(id: string, state: BackfillRecord['state'], p: ProgressRow, handled: number): Promise<void> {
    const moved = handled + p.pages;
    const stall = this.stalls.get(id);
    if (!stall || stall.moved !== moved) {
      this.stalls.set(id, { moved, since: Date.now() });
      return;
    }
    if (Date.now() - stall.since < STALL_MS) {
      return;
    }
    const record = await this.directory.get(id);
    const source = this.opts.sources().find((s) => s.id === record?.sourceId);
    if (!source?.backfillQueueUrl) {
      return;
    }
    const depth = await queueDepth(this.opts.aws, regionOfQueueUrl(source.backfillQueueUrl) ?? source.region, source.backfillQueueUrl);
    if (depth.visible > 0 || depth.inFlight > 0) {
      return;
    }
    this.stalls.delete(id);
    if (state === 'listing') {
      const left = p.units - p.unitsDone;
      await this.directory.transition(id, 'listing', {
        state: 'failed',
        finishedAt: Date.now(),
        error: `${left} prefix${left === 1 ? '' : 'es'} never listed to the end: a listing unit never came back from the backfill queue: see its dead-letter queue`,
      });
      return;
    }
    const lost = p.listed - handled;
    await this.directory.transition(id, 'running', {
      state: 'done',
      finishedAt: Date.now(),
      error: `${lost} object${lost === 1 ? '' : 's'} never came back from the backfill queue: see its dead-letter queue`,
    });
  }
}

function emptyProgress(units: number): ProgressRow {
  return {
    units,
    unitsDone: 0,
    pages: 0,
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
