import type { Source } from '../../shared/api';
import type { BackfillOrder, BackfillRequest } from '../../shared/backfill';
import { ajvAllErrors, validationErrors, type FieldError } from '../config/validate';
import { parseRequestTime } from '../query/time';
import { DAY_MS, type TimeWindow } from './dates';
import { defaultMarginMinutes } from './layouts';

/** S3 opened in March 2006: no log in a bucket is older. */
export const EARLIEST = Date.UTC(2006, 2, 1);
export const MAX_SPAN_DAYS = 3660;
const FUTURE_SLACK_MS = DAY_MS;

export const backfillRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceId'],
  properties: {
    sourceId: { type: 'string', minLength: 1, maxLength: 64 },
    bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
    region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' },
    prefixes: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 1024 } },
    from: { type: 'string', minLength: 1, maxLength: 64 },
    to: { type: 'string', minLength: 1, maxLength: 64 },
    roleArn: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/\\S+$' },
    externalId: { type: 'string', minLength: 2, maxLength: 1224 },
    order: { type: 'string', enum: ['newest', 'oldest'] },
    marginMinutes: { type: 'integer', minimum: 0, maximum: 1440 },
  },
} as const;

const validateShape = ajvAllErrors.compile(backfillRequestSchema);

/** A request checked field by field, with the source's defaults filled in. */
export interface ValidRequest {
  source: Source;
  bucket: string;
  region: string;
  /** Prefixes asked for ([] = the source's prefix). */
  prefixes: string[];
  /** Event-time range asked for (ms); null when only prefixes were given. */
  from: number | null;
  to: number | null;
  marginMinutes: number;
  order: BackfillOrder;
  roleArn: string | null;
  externalId: string | null;
}

export type Checked = { ok: true; request: ValidRequest } | { ok: false; errors: FieldError[] };

/** The key-time window a request selects: its range, widened by the margin after `to`. */
export function keyWindow(request: Pick<ValidRequest, 'from' | 'to' | 'marginMinutes'>): TimeWindow | null {
  if (request.from === null || request.to === null) {
    return null;
  }
  return { from: request.from, to: request.to + request.marginMinutes * 60_000 };
}

/** Checks a backfill request against its schema, the sources and common sense about time. */
export function checkRequest(body: unknown, sources: Source[], now: number): Checked {
  if (!validateShape(body)) {
    return { ok: false, errors: validationErrors(validateShape) };
  }
  const req = body as BackfillRequest;
  const errors: FieldError[] = [];
  const source = sources.find((s) => s.id === req.sourceId);
  if (!source) {
    const known = sources.map((s) => s.id).join(', ') || 'none';
    errors.push({ field: 'sourceId', message: `no source "${req.sourceId}" (known: ${known})` });
  } else if (!source.backfillQueueUrl) {
    errors.push({ field: 'sourceId', message: `source "${source.id}" has no backfillQueueUrl: give it a backfill queue first` });
  }
  const from = timeField(req.from, 'from', errors);
  let to = timeField(req.to, 'to', errors);
  if (req.to !== undefined && req.from === undefined) {
    errors.push({ field: 'from', message: 'is required with to' });
  }
  if (from !== null && to === null && req.to === undefined) {
    to = now;
  }
  if (from !== null && to !== null) {
    if (from >= to) {
      errors.push({ field: 'to', message: `must be after from (${new Date(from).toISOString()}), got ${new Date(to).toISOString()}` });
    } else if (from < EARLIEST) {
      errors.push({ field: 'from', message: `${new Date(from).toISOString()} is before S3 existed (2006-03-01): no logs are that old` });
    } else if (from > now + FUTURE_SLACK_MS) {
      errors.push({ field: 'from', message: `${new Date(from).toISOString()} is in the future` });
    } else if (to > now + FUTURE_SLACK_MS) {
      errors.push({ field: 'to', message: `${new Date(to).toISOString()} is more than a day in the future` });
    } else if (to - from > MAX_SPAN_DAYS * DAY_MS) {
      errors.push({ field: 'to', message: `the range spans ${Math.round((to - from) / DAY_MS)} days; a backfill covers at most ${MAX_SPAN_DAYS} (split it)` });
    }
  }
  if (req.from === undefined && !req.prefixes?.length) {
    errors.push({ field: 'from', message: 'give a time range (from, to) or prefixes: a backfill never lists a whole bucket unasked' });
  }
  if (req.externalId !== undefined && req.roleArn === undefined && !source?.roleArn) {
    errors.push({ field: 'externalId', message: 'is only used with roleArn' });
  }
  const prefixes = req.prefixes ?? [];
  prefixes.forEach((p, i) => {
    if (p.includes('//') || p.startsWith('/')) {
      errors.push({ field: `prefixes[${i}]`, message: `"${p}" has an empty folder name (S3 keys do not start with / or hold //)` });
    }
  });
  if (errors.length || !source) {
    return { ok: false, errors };
  }
  const useSourceRole = req.roleArn === undefined;
  return {
    ok: true,
    request: {
      source,
      bucket: req.bucket ?? source.bucket,
      region: req.region ?? source.region,
      prefixes,
      from,
      to,
      marginMinutes: req.marginMinutes ?? defaultMarginMinutes(source.logType),
      order: req.order ?? 'newest',
      roleArn: (useSourceRole ? source.roleArn : req.roleArn) ?? null,
      externalId: (useSourceRole ? source.externalId : req.externalId) ?? null,
    },
  };
}

function timeField(text: string | undefined, field: string, errors: FieldError[]): number | null {
  if (text === undefined) {
    return null;
  }
  const time = parseRequestTime(text);
  if (time === undefined) {
    errors.push({ field, message: `must be an ISO 8601 time (2024-05-01T00:00:00Z), got "${text}"` });
    return null;
  }
  return time;
}
