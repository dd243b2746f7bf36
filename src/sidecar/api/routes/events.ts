import type { FastifyInstance } from 'fastify';
import type { CountResponse, EventsQuery, EventsResponse, StoredEvent } from '../../../shared/api';
import { toIso } from '../../store/time';
import type { ApiContext } from '../context';
import { badRequest } from '../errors';

const eventsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1 },
    logType: { type: 'string', minLength: 1 },
    bucket: { type: 'string', minLength: 1 },
    key: { type: 'string', minLength: 1 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
  },
} as const;

interface EventRowOut {
  time: string;
  received_at: string;
  source_id: string;
  log_type: string;
  event_name: string;
  actor: string;
  src_ip: string;
  src_port: number | null;
  dst_ip: string;
  dst_port: number | null;
  outcome: string;
  status: string;
  region: string;
  account: string;
  service: string;
  user_agent: string;
  bytes: number | null;
  raw: string;
  fields: Record<string, string>;
  bucket: string;
  key: string;
  record_index: number;
  backfill_id: string;
}

/** WHERE clause and parameters for the source / type / time-range filters. */
function filters(q: EventsQuery): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.source) {
    clauses.push('source_id = {source:String}');
    params.source = q.source;
  }
  if (q.logType) {
    clauses.push('log_type = {logType:String}');
    params.logType = q.logType;
  }
  if (q.bucket) {
    clauses.push('bucket = {bucket:String}');
    params.bucket = q.bucket;
  }
  if (q.key) {
    clauses.push('key = {key:String}');
    params.key = q.key;
  }
  if (q.from) {
    clauses.push(`time >= parseDateTime64BestEffort({from:String}, 3, 'UTC')`);
    params.from = q.from;
  }
  if (q.to) {
    clauses.push(`time < parseDateTime64BestEffort({to:String}, 3, 'UTC')`);
    params.to = q.to;
  }
  if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
    throw badRequest(`from (${q.from}) must be before to (${q.to})`);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toStoredEvent(r: EventRowOut): StoredEvent {
  return {
    time: toIso(r.time),
    receivedAt: toIso(r.received_at),
    sourceId: r.source_id,
    logType: r.log_type,
    eventName: r.event_name,
    actor: r.actor,
    srcIp: r.src_ip,
    srcPort: r.src_port,
    dstIp: r.dst_ip,
    dstPort: r.dst_port,
    outcome: r.outcome,
    status: r.status,
    region: r.region,
    account: r.account,
    service: r.service,
    userAgent: r.user_agent,
    bytes: r.bytes,
    raw: r.raw,
    fields: r.fields,
    bucket: r.bucket,
    key: r.key,
    recordIndex: r.record_index,
    backfillId: r.backfill_id,
  };
}

export function eventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: EventsQuery }>('/api/events', { schema: { querystring: eventsQuerySchema } }, async (req): Promise<EventsResponse> => {
    const { where, params } = filters(req.query);
    const { rows } = await ctx.store.query<EventRowOut>(
      `SELECT * EXCEPT (etag, severity) FROM events ${where} ORDER BY time DESC, key, record_index LIMIT {limit:UInt32}`,
      { ...params, limit: req.query.limit ?? 100 }
    );
    return { events: rows.map(toStoredEvent) };
  });

  app.get<{ Querystring: EventsQuery }>('/api/events/count', { schema: { querystring: eventsQuerySchema } }, async (req): Promise<CountResponse> => {
    const { where, params } = filters(req.query);
    const { rows } = await ctx.store.query<{ count: number; min_time: string; max_time: string }>(
      `SELECT count() AS count, min(time) AS min_time, max(time) AS max_time FROM events ${where}`,
      params
    );
    const r = rows[0];
    const count = Number(r?.count ?? 0);
    return { count, minTime: count ? toIso(r.min_time) : null, maxTime: count ? toIso(r.max_time) : null };
  });
}
