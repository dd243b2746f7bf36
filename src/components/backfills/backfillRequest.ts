import { dateMath, dateTime, type DateTime, type RawTimeRange, type TimeRange } from '@grafana/data';
import type { Source } from '../../shared/api';
import type { BackfillOrder, BackfillRequest } from '../../shared/backfill';

export type Credentials = 'source' | 'role';

export interface BackfillDraft {
  sourceId: string;
  bucket: string;
  region: string;
  prefixes: string[];
  range: TimeRange;
  credentials: Credentials;
  roleArn: string;
  externalId: string;
  order: BackfillOrder;
  /** Empty: the layout's default. */
  marginMinutes: string;
}

export type DraftField = 'sourceId' | 'bucket' | 'region' | 'prefixes' | 'range' | 'roleArn' | 'externalId' | 'order' | 'marginMinutes';
export type DraftErrors = Partial<Record<DraftField | 'form', string>>;

/** A new draft for a source: its bucket, region and prefix. */
export function draftForSource(draft: BackfillDraft, source: Source | undefined): BackfillDraft {
  return {
    ...draft,
    sourceId: source?.id ?? '',
    bucket: source?.bucket ?? '',
    region: source?.region ?? '',
    prefixes: source?.prefix ? [source.prefix] : [],
  };
}

/**
 * Both ends of a time range resolved against the same instant (rangeUtil.convertRawToRange reads
 * the clock once per end, so "last 7 days" could come out a millisecond longer).
 */
export function resolveRange(raw: RawTimeRange): { from: DateTime; to: DateTime } {
  const now = dateTime();
  const resolve = (end: RawTimeRange['from'], roundUp: boolean) => dateMath.toDateTime(end, { roundUp, now }) ?? dateTime(NaN);
  return { from: resolve(raw.from, false), to: resolve(raw.to, true) };
}

/** Problems the form can tell before asking the sidecar. */
export function draftErrors(draft: BackfillDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (!draft.sourceId) {
    errors.sourceId = 'Choose the source to backfill';
  }
  if (!draft.bucket.trim()) {
    errors.bucket = 'is required';
  }
  const range = resolveRange(draft.range.raw);
  if (!range.from.isValid() || !range.to.isValid()) {
    errors.range = 'is not a valid time range';
  } else if (range.from.valueOf() >= range.to.valueOf()) {
    errors.range = 'must start before it ends';
  }
  if (draft.credentials === 'role' && !draft.roleArn.trim()) {
    errors.roleArn = 'is required to assume a role';
  }
  if (draft.marginMinutes.trim() !== '' && !/^\d+$/.test(draft.marginMinutes.trim())) {
    errors.marginMinutes = 'a whole number of minutes';
  }
  return errors;
}

/** The request the sidecar takes; a relative range ("last 7 days") is resolved now. */
export function backfillRequest(draft: BackfillDraft): BackfillRequest {
  const range = resolveRange(draft.range.raw);
  const request: BackfillRequest = {
    sourceId: draft.sourceId,
    bucket: draft.bucket.trim(),
    region: draft.region.trim() || undefined,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    order: draft.order,
  };
  const prefixes = draft.prefixes.map((p) => p.trim()).filter(Boolean);
  if (prefixes.length > 0) {
    request.prefixes = prefixes;
  }
  if (draft.credentials === 'role') {
    request.roleArn = draft.roleArn.trim();
    if (draft.externalId.trim()) {
      request.externalId = draft.externalId.trim();
    }
  }
  if (draft.marginMinutes.trim() !== '') {
    request.marginMinutes = Number(draft.marginMinutes.trim());
  }
  if (!request.region) {
    delete request.region;
  }
  return request;
}

/** The sidecar's field names as the form's. */
export function draftField(field: string): DraftField | 'form' {
  const name = field.split(/[./[\]]/).filter(Boolean)[0] ?? '';
  if (name === 'from' || name === 'to') {
    return 'range';
  }
  const known: DraftField[] = ['sourceId', 'bucket', 'region', 'prefixes', 'roleArn', 'externalId', 'order', 'marginMinutes'];
  return known.includes(name as DraftField) ? (name as DraftField) : 'form';
}
