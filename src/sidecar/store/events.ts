import type { CountResponse, EventsQuery, StoredEvent } from '../../shared/api';
import { EVENT_COLUMNS, valueKind, type EventRow } from './eventColumns';
import type { Store } from './store';
import { TIME_TYPE, toClickHouseTime, toIso } from './time';

/** An event row as the API serves it: API names, times in ISO 8601. */
function toStoredEvent(row: EventRow): StoredEvent {
  const event: Record<string, unknown> = {};
  for (const c of EVENT_COLUMNS) {
    const value = row[c.name];
    event[c.api] = valueKind(c.type) === 'time' && typeof value === 'string' ? toIso(value) : value;
  }
  return event as unknown as StoredEvent;
}

/** WHERE clause and parameters for the source / type / provenance / time-range filters. */
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
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** The events table's reads outside the search language: the API's listing and counts, per-source and per-hour statistics. */
export class EventsTable {
  constructor(private readonly store: Pick<Store, 'query'>) {}

  /** The newest events first. */
  async list(q: EventsQuery & { limit: number }): Promise<StoredEvent[]> {
    const { where, params } = filters(q);
    const { rows } = await this.store.query<EventRow>(`SELECT * FROM events ${where} ORDER BY time DESC, key, record_index LIMIT {limit:UInt32}`, {
      ...params,
      limit: q.limit,
    });
    return rows.map(toStoredEvent);
  }

  async count(q: EventsQuery): Promise<CountResponse> {
    const { where, params } = filters(q);
    const { rows } = await this.store.query<{ count: number; min_time: string; max_time: string }>(
      `SELECT count() AS count, min(time) AS min_time, max(time) AS max_time FROM events ${where}`,
      params
    );
    const r = rows[0];
    const count = Number(r?.count ?? 0);
    return { count, minTime: count ? toIso(r.min_time) : null, maxTime: count ? toIso(r.max_time) : null };
  }

  /** Per source: the time of its newest event, and how many events it received in the last 24 hours. */
  async statsBySource(ids: string[]): Promise<Map<string, { lastEventTime: string | null; eventsLast24h: number }>> {
    const { rows } = await this.store.query<{ source_id: string; last_event: string | null; events_24h: number }>(
      `SELECT source_id, max(time) AS last_event, countIf(received_at >= now64(3) - INTERVAL 1 DAY) AS events_24h
       FROM events WHERE source_id IN {ids:Array(String)} GROUP BY source_id`,
      { ids }
    );
    return new Map(rows.map((r) => [r.source_id, { lastEventTime: r.last_event ? toIso(r.last_event) : null, eventsLast24h: Number(r.events_24h) }]));
  }

  /** A source's events per hour of [from, to), the hour as hours since the epoch. */
  async eventsByHour(sourceId: string, from: number, to: number): Promise<Map<number, number>> {
    const { rows } = await this.store.query<{ hour: number; n: number }>(
      `SELECT intDiv(toUnixTimestamp(time), 3600) AS hour, count() AS n FROM events
       WHERE source_id = {source:String} AND time >= {from:${TIME_TYPE}} AND time < {to:${TIME_TYPE}} GROUP BY hour`,
      { source: sourceId, from: toClickHouseTime(from), to: toClickHouseTime(to) }
    );
    return new Map(rows.map((r) => [Number(r.hour), Number(r.n)]));
  }
}
