import type { ParsedEvent } from '../formats/types';
import type { EventRow } from '../store/eventColumns';
import { toClickHouseTime } from '../store/time';

export interface RowContext {
  sourceId: string;
  logType: string;
  bucket: string;
  key: string;
  etag: string;
  backfillId: string;
  receivedAt: string;
  /** Time used when a record has none: the key's time, else the object's LastModified. */
  fallbackTime: number;
}

function severityOf(event: ParsedEvent): string {
  if (event.severity) {
    return event.severity;
  }
  return event.outcome === 'failure' ? 'error' : 'info';
}

export function toEventRow(event: ParsedEvent, recordIndex: number, ctx: RowContext): EventRow {
  return {
    time: toClickHouseTime(event.time ?? ctx.fallbackTime),
    received_at: ctx.receivedAt,
    source_id: ctx.sourceId,
    log_type: ctx.logType,
    event_name: event.eventName ?? '',
    actor: event.actor ?? '',
    src_ip: event.srcIp ?? '',
    src_port: event.srcPort ?? null,
    dst_ip: event.dstIp ?? '',
    dst_port: event.dstPort ?? null,
    outcome: event.outcome ?? 'unknown',
    status: event.status ?? '',
    severity: severityOf(event),
    region: event.region ?? '',
    account: event.account ?? '',
    service: event.service ?? '',
    user_agent: event.userAgent ?? '',
    bytes: event.bytes ?? null,
    raw: event.raw,
    fields: event.fields,
    bucket: ctx.bucket,
    key: ctx.key,
    etag: ctx.etag,
    record_index: recordIndex,
    backfill_id: ctx.backfillId,
  };
}
