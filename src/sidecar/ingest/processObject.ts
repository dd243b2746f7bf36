import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { LedgerEntry, MalformedSample, Source } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import { detectFormat } from '../formats/registry';
import { timeFromKey } from '../keys/keyTime';
import type { ObjectInfo, ParseItem } from '../formats/types';
import { parseFlowFormat } from '../formats/vpcflowFields';
import { unquoteEtag } from '../aws/etag';
import { errorMessage, type Logger } from '../log';
import { failpoint } from '../failpoints';
import type { EventRow } from '../store/eventColumns';
import type { Store } from '../store/store';
import { toClickHouseTime } from '../store/time';
import { decodeBody, peek } from './decode';
import { limitBytes, type ObjectLimitError, recordLimitError, type ObjectLimits } from './limits';
import type { ObjectRef } from './notifications';
import { permanentFailure, type ObjectOutcome } from './outcome';
import { toEventRow, type RowContext } from './rows';
import type { BatchedLedger } from './batchedLedger';

const MAX_SAMPLES = 20;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface ObjectJob {
  source: Source;
  ref: ObjectRef;
  backfillId: string;
  queue: 'live' | 'backfill';
}

export interface ProcessorOptions {
  store: Pick<Store, 'insertEvents'>;
  ledger: BatchedLedger;
  aws: AwsClients;
  log: Logger;
  batchRows: number;
  limits: ObjectLimits;
}

/**
 * Ingests one S3 object: ledger check, streaming GetObject, decode, detect, parse, insert in
 * idempotent chunks, then the ledger row. Never throws: what became of the object is the outcome,
 * and `permanentFailure` alone decides which errors are final (recorded in the ledger) and which
 * are worth another try (nothing recorded; the message stays on the queue).
 */
export async function processObject(job: ObjectJob, opts: ProcessorOptions, signal?: AbortSignal): Promise<ObjectOutcome> {
  try {
    return await ingestObject(job, opts, signal);
  } catch (err) {
    return { kind: 'retry', reason: errorMessage(err) };
  }
}

async function ingestObject(job: ObjectJob, opts: ProcessorOptions, signal?: AbortSignal): Promise<ObjectOutcome> {
  const { source, ref } = job;
  const started = Date.now();
  const known = ref.etag ? await opts.ledger.ingested({ bucket: ref.bucket, key: ref.key, etag: ref.etag }) : undefined;
  if (known) {
    return { kind: 'skipped', entry: known, duplicate: true };
  }
  const base: LedgerEntry = {
    sourceId: source.id,
    bucket: ref.bucket,
    key: ref.key,
    etag: ref.etag,
    size: ref.size,
    logType: source.logType === 'auto' ? '' : source.logType,
    status: 'ok',
    events: 0,
    malformed: 0,
    malformedSamples: [],
    error: '',
    minTime: null,
    maxTime: null,
    backfillId: job.backfillId,
    processedAt: '',
    durationMs: 0,
  };
  const finish = async (entry: LedgerEntry): Promise<ObjectOutcome> => {
    entry.processedAt = new Date().toISOString();
    entry.durationMs = Date.now() - started;
    if (entry.events > 0) {
      failpoint('after-insert');
    }
    await opts.ledger.record({ ...entry, queue: job.queue });
    failpoint('after-ledger');
    return entry.status === 'ok'
      ? { kind: 'done', entry }
      : entry.status === 'skipped'
        ? { kind: 'skipped', entry, duplicate: false }
        : { kind: 'failed', entry };
  };

  let response: GetObjectCommandOutput;
  try {
    response = await opts.aws.s3(ref.region || source.region).send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: signal });
  } catch (err) {
    if (permanentFailure(err) === 'missing') {
      return finish({ ...base, status: 'failed', error: `s3://${ref.bucket}/${ref.key}: ${(err as Error).name}: ${errorMessage(err)}` });
    }
    throw err;
  }
  const etag = unquoteEtag(response.ETag) || base.etag;
  if (etag !== base.etag) {
    const again = await opts.ledger.ingested({ bucket: ref.bucket, key: ref.key, etag });
    if (again) {
      (response.Body as Readable | undefined)?.destroy();
      return { kind: 'skipped', entry: again, duplicate: true };
    }
  }
  const entry: LedgerEntry = { ...base, etag, size: Number(response.ContentLength ?? ref.size) };
  const body = response.Body as Readable;
  try {
    return await readObject(job, opts, body, entry, response.LastModified?.getTime() ?? Date.now(), finish);
  } finally {
    // Whatever stopped the read (the end, a limit, an error), the connection is let go.
    body.destroy();
  }
}

async function readObject(
  job: ObjectJob,
  opts: ProcessorOptions,
  body: Readable,
  entry: LedgerEntry,
  lastModified: number,
  finish: (entry: LedgerEntry) => Promise<ObjectOutcome>
): Promise<ObjectOutcome> {
  const { source, ref } = job;
  const etag = entry.etag;
  const { stream: decoded } = await decodeBody(body);
  const { head, stream } = await peek(limitBytes(decoded, opts.limits.maxBytes));
  const detection = detectFormat(source.logType, ref.key, head);
  if ('error' in detection) {
    return finish({ ...entry, status: 'failed', error: detection.error });
  }
  entry.logType = detection.format.type;
  if (detection.skip) {
    return finish({ ...entry, status: 'skipped', error: detection.skip });
  }

  const ctx: RowContext = {
    sourceId: source.id,
    logType: detection.format.type,
    bucket: ref.bucket,
    key: ref.key,
    etag,
    backfillId: job.backfillId,
    receivedAt: toClickHouseTime(Date.now()),
    fallbackTime: timeFromKey(ref.key) ?? lastModified,
  };
  const info: ObjectInfo = {
    bucket: ref.bucket,
    key: ref.key,
    size: entry.size,
    keyTime: timeFromKey(ref.key),
    timeField: source.timeField,
    vpcFlowFields: declaredFlowFields(source),
  };
  const batch = new InsertBatch(opts.store, `${ref.bucket}/${ref.key}/${etag}`, opts.batchRows);
  const samples: MalformedSample[] = [];
  let minTime = Infinity;
  let maxTime = -Infinity;
  let recordIndex = 0;
  let overLimit: ObjectLimitError | undefined;
  try {
    for await (const item of detection.format.parse(stream, info) as AsyncIterable<ParseItem>) {
      if (recordIndex === opts.limits.maxRecords) {
        overLimit = recordLimitError(opts.limits.maxRecords);
        break;
      }
      recordIndex++;
      if ('malformed' in item) {
        entry.malformed++;
        if (samples.length < MAX_SAMPLES) {
          samples.push(item.malformed);
        }
        continue;
      }
      const row = toEventRow(item.event, recordIndex, ctx);
      const t = item.event.time ?? ctx.fallbackTime;
      minTime = Math.min(minTime, t);
      maxTime = Math.max(maxTime, t);
      entry.events++;
      await batch.add(row);
    }
    await batch.flush();
  } catch (err) {
    const cause = permanentFailure(err);
    if (cause === 'over-limit') {
      overLimit = err as ObjectLimitError;
      await batch.flush();
    } else if (cause === 'undecodable') {
      await batch.flush();
      return finish({
        ...entry,
        ...times(minTime, maxTime),
        status: 'failed',
        malformedSamples: samples,
        error: `cannot decode s3://${ref.bucket}/${ref.key}: ${errorMessage(err)} (${entry.events} events read before the error were kept)`,
      });
    } else {
      throw err;
    }
  }
  entry.malformedSamples = samples;
  Object.assign(entry, times(minTime, maxTime));
  if (overLimit) {
    return finish({
      ...entry,
      status: 'failed',
      error: overLimit.reason(`s3://${ref.bucket}/${ref.key}`, entry.events, entry.malformed),
    });
  }
  if (entry.events === 0 && entry.malformed > 0) {
    entry.status = 'failed';
    entry.error = `no record could be parsed as ${detection.format.type}: ${samples[0]?.reason ?? 'unknown reason'}`;
  }
  opts.log.debug({ bucket: ref.bucket, key: ref.key, events: entry.events, malformed: entry.malformed }, 'object ingested');
  return finish(entry);
}

/** The source's declared flow format (checked when the source was saved). */
function declaredFlowFields(source: Source): string[] | undefined {
  const format = source.vpcFlowFormat === undefined ? undefined : parseFlowFormat(source.vpcFlowFormat);
  return format && 'fields' in format ? format.fields : undefined;
}

function times(min: number, max: number): Pick<LedgerEntry, 'minTime' | 'maxTime'> {
  return Number.isFinite(min) ? { minTime: new Date(min).toISOString(), maxTime: new Date(max).toISOString() } : { minTime: null, maxTime: null };
}

/** Buffers rows and inserts them in chunks whose tokens are stable across redeliveries. */
class InsertBatch {
  private rows: EventRow[] = [];
  private bytes = 0;
  private chunk = 0;

  constructor(
    private readonly store: Pick<Store, 'insertEvents'>,
    private readonly tokenPrefix: string,
    private readonly maxRows: number
  ) {}

  async add(row: EventRow): Promise<void> {
    this.rows.push(row);
    this.bytes += row.raw.length * 2;
    if (this.rows.length >= this.maxRows || this.bytes >= MAX_BATCH_BYTES) {
      await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.rows.length === 0) {
      return;
    }
    const rows = this.rows;
    this.rows = [];
    this.bytes = 0;
    await this.store.insertEvents(rows, `${this.tokenPrefix}/${this.chunk++}`);
  }
}
