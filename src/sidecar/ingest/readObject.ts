import { GetObjectCommand, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { LedgerEntry, MalformedSample, Source } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import { unquoteEtag } from '../aws/etag';
import { detectFormat } from '../formats/registry';
import type { ObjectInfo, ParseItem } from '../formats/types';
import { parseFlowFormat } from '../formats/vpcflowFields';
import { timeFromKey } from '../keys/keyTime';
import { errorMessage, type Logger } from '../log';
import type { EventRow } from '../store/eventColumns';
import { toClickHouseTime } from '../store/time';
import type { BatchedLedger } from './batchedLedger';
import { decodeBody, peek } from './decode';
import { limitBytes, recordLimitError, type ObjectLimitError, type ObjectLimits } from './limits';
import type { ObjectRef } from './notifications';
import { permanentFailure } from './outcome';
import { toEventRow, type RowContext } from './rows';

const MAX_SAMPLES = 20;

export interface ReadJob {
  source: Source;
  ref: ObjectRef;
  backfillId: string;
}

export interface ReadOptions {
  ledger: BatchedLedger;
  aws: AwsClients;
  log: Logger;
  limits: ObjectLimits;
}

/** Takes an object's rows in order; a returned promise asks the reader to wait (the buffer is full). */
export interface RowSink {
  push(row: EventRow): Promise<void> | undefined;
}

/** What reading one object came to. */
export type ObjectRead =
  /** Read to its end, or to a failure another try cannot fix: its ledger entry (status ok, skipped or failed), its rows all pushed. */
  | { kind: 'read'; entry: LedgerEntry }
  /** S3 holds another version, which the ledger already has: nothing read. */
  | { kind: 'duplicate'; entry: LedgerEntry }
  /** A failure worth another try (S3 or the network, the sidecar stopping); the rows pushed are to be thrown away. */
  | { kind: 'retry'; reason: string };

/**
 * Reads one S3 object: streaming GetObject, decode, detect, parse, each event pushed as a row.
 * Never throws: `permanentFailure` alone decides which errors are final (the entry says why, the
 * rows read before it count) and which are worth another try.
 */
export async function readObject(job: ReadJob, opts: ReadOptions, sink: RowSink, signal: AbortSignal): Promise<ObjectRead> {
  try {
    return await fetchAndParse(job, opts, sink, signal);
  } catch (err) {
    return { kind: 'retry', reason: errorMessage(err) };
  }
}

async function fetchAndParse(job: ReadJob, opts: ReadOptions, sink: RowSink, signal: AbortSignal): Promise<ObjectRead> {
  const { source, ref } = job;
  const started = Date.now();
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
  const final = (entry: LedgerEntry): ObjectRead => ({
    kind: 'read',
    entry: { ...entry, processedAt: new Date().toISOString(), durationMs: Date.now() - started },
  });

  let response: GetObjectCommandOutput;
  try {
    response = await opts.aws.s3(ref.region || source.region).send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: signal });
  } catch (err) {
    if (permanentFailure(err) === 'missing') {
      return final({ ...base, status: 'failed', error: `s3://${ref.bucket}/${ref.key}: ${(err as Error).name}: ${errorMessage(err)}` });
    }
    throw err;
  }
  const etag = unquoteEtag(response.ETag) || base.etag;
  const body = response.Body as Readable;
  try {
    if (etag !== base.etag) {
      const again = await opts.ledger.ingested({ bucket: ref.bucket, key: ref.key, etag });
      if (again) {
        return { kind: 'duplicate', entry: again };
      }
    }
    const entry: LedgerEntry = { ...base, etag, size: Number(response.ContentLength ?? ref.size) };
    return final(await parseBody(job, opts, sink, body, entry, response.LastModified?.getTime() ?? Date.now(), signal));
  } finally {
    // Whatever stopped the read (the end, a limit, an error), the connection is let go.
    body.destroy();
  }
}

async function parseBody(
  job: ReadJob,
  opts: ReadOptions,
  sink: RowSink,
  body: Readable,
  entry: LedgerEntry,
  lastModified: number,
  signal: AbortSignal
): Promise<LedgerEntry> {
  const { source, ref } = job;
  const undecodable = (err: unknown, events: number) =>
    `cannot decode s3://${ref.bucket}/${ref.key}: ${errorMessage(err)} (${events} events read before the error were kept)`;
  let opened: { head: string; stream: AsyncIterable<Buffer> };
  try {
    // A gzip object garbled from its start fails here already, on the first bytes detection reads.
    opened = await peek(limitBytes((await decodeBody(body)).stream, opts.limits.maxBytes));
  } catch (err) {
    if (permanentFailure(err) === 'undecodable') {
      return { ...entry, status: 'failed', error: undecodable(err, 0) };
    }
    throw err;
  }
  const { head, stream } = opened;
  const detection = detectFormat(source.logType, ref.key, head);
  if ('error' in detection) {
    return { ...entry, status: 'failed', error: detection.error };
  }
  entry.logType = detection.format.type;
  if (detection.skip) {
    return { ...entry, status: 'skipped', error: detection.skip };
  }

  const ctx: RowContext = {
    sourceId: source.id,
    logType: detection.format.type,
    bucket: ref.bucket,
    key: ref.key,
    etag: entry.etag,
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
  const samples: MalformedSample[] = [];
  let minTime = Infinity;
  let maxTime = -Infinity;
  let recordIndex = 0;
  let overLimit: ObjectLimitError | undefined;
  const kept = () => ({ ...entry, ...times(minTime, maxTime), malformedSamples: samples });
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
      const t = item.event.time ?? ctx.fallbackTime;
      minTime = Math.min(minTime, t);
      maxTime = Math.max(maxTime, t);
      entry.events++;
      const full = sink.push(toEventRow(item.event, recordIndex, ctx));
      if (full) {
        await full;
        signal.throwIfAborted();
      }
    }
  } catch (err) {
    const cause = permanentFailure(err);
    if (cause === 'over-limit') {
      overLimit = err as ObjectLimitError;
    } else if (cause === 'undecodable') {
      return { ...kept(), status: 'failed', error: undecodable(err, entry.events) };
    } else {
      throw err;
    }
  }
  if (overLimit) {
    return { ...kept(), status: 'failed', error: overLimit.reason(`s3://${ref.bucket}/${ref.key}`, entry.events, entry.malformed) };
  }
  if (entry.events === 0 && entry.malformed > 0) {
    return { ...kept(), status: 'failed', error: `no record could be parsed as ${detection.format.type}: ${samples[0]?.reason ?? 'unknown reason'}` };
  }
  opts.log.debug({ bucket: ref.bucket, key: ref.key, events: entry.events, malformed: entry.malformed }, 'object read');
  return kept();
}

/** The source's declared flow format (checked when the source was saved). */
function declaredFlowFields(source: Source): string[] | undefined {
  const format = source.vpcFlowFormat === undefined ? undefined : parseFlowFormat(source.vpcFlowFormat);
  return format && 'fields' in format ? format.fields : undefined;
}

function times(min: number, max: number): Pick<LedgerEntry, 'minTime' | 'maxTime'> {
  return Number.isFinite(min) ? { minTime: new Date(min).toISOString(), maxTime: new Date(max).toISOString() } : { minTime: null, maxTime: null };
}
