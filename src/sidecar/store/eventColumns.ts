/**
 * The events table, column by column: the one definition the rest derives from or is checked
 * against. The migration's DDL is checked against it (`DESCRIBE TABLE events`, store tests), the
 * row type (`EventRow`) and the RowBinary column list derive from it, the API's `StoredEvent`
 * (src/shared/api.ts) is checked against `ApiEvent` by the type test beside this file, and the
 * search language's common columns (query/tables.ts) are the normalised ones.
 */
export const EVENT_COLUMNS = [
  { name: 'time', type: "DateTime64(3, 'UTC')", api: 'time', normalised: true },
  { name: 'received_at', type: "DateTime64(3, 'UTC')", api: 'receivedAt', normalised: true },
  { name: 'source_id', type: 'LowCardinality(String)', api: 'sourceId', normalised: true },
  { name: 'log_type', type: 'LowCardinality(String)', api: 'logType', normalised: true },
  { name: 'event_name', type: 'String', api: 'eventName', normalised: true },
  { name: 'actor', type: 'String', api: 'actor', normalised: true },
  { name: 'src_ip', type: 'String', api: 'srcIp', normalised: true },
  { name: 'src_port', type: 'Nullable(UInt16)', api: 'srcPort', normalised: true },
  { name: 'dst_ip', type: 'String', api: 'dstIp', normalised: true },
  { name: 'dst_port', type: 'Nullable(UInt16)', api: 'dstPort', normalised: true },
  { name: 'outcome', type: 'LowCardinality(String)', api: 'outcome', normalised: true },
  { name: 'status', type: 'LowCardinality(String)', api: 'status', normalised: true },
  { name: 'severity', type: 'LowCardinality(String)', api: 'severity', normalised: true },
  { name: 'region', type: 'LowCardinality(String)', api: 'region', normalised: true },
  { name: 'account', type: 'LowCardinality(String)', api: 'account', normalised: true },
  { name: 'service', type: 'LowCardinality(String)', api: 'service', normalised: true },
  { name: 'user_agent', type: 'String', api: 'userAgent', normalised: true },
  { name: 'bytes', type: 'Nullable(UInt64)', api: 'bytes', normalised: true },
  { name: 'raw', type: 'String', api: 'raw', normalised: true },
  { name: 'fields', type: 'Map(LowCardinality(String), String)', api: 'fields', normalised: true },
  { name: 'bucket', type: 'LowCardinality(String)', api: 'bucket', normalised: true },
  { name: 'key', type: 'String', api: 'key', normalised: true },
  { name: 'etag', type: 'String', api: 'etag', normalised: false },
  { name: 'record_index', type: 'UInt32', api: 'recordIndex', normalised: false },
  { name: 'backfill_id', type: 'LowCardinality(String)', api: 'backfillId', normalised: false },
] as const;

export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** The TypeScript form of a ClickHouse type, as rows carry it (times as text). */
type ValueOf<T extends string> = T extends `Nullable(${infer Inner})`
  ? ValueOf<Inner> | null
  : T extends `Map(${string})`
    ? Record<string, string>
    : T extends `UInt${number}`
      ? number
      : string;

/** One row of the events table, as inserted and read (snake_case columns, times as ClickHouse text). */
export type EventRow = { -readonly [C in EventColumn as C['name']]: ValueOf<C['type']> };

/** One event as the API serves it (camelCase names, times as ISO 8601): what `StoredEvent` must be. */
export type ApiEvent = { -readonly [C in EventColumn as C['api']]: ValueOf<C['type']> };

/** Whether values of a column are times, numbers, a map or text: how the search language types it. */
export function valueKind(type: string): 'time' | 'number' | 'map' | 'string' {
  const inner = /^Nullable\((.*)\)$/.exec(type)?.[1] ?? type;
  if (inner.startsWith('DateTime64')) {
    return 'time';
  }
  if (/^U?Int\d+$/.test(inner)) {
    return 'number';
  }
  return inner.startsWith('Map(') ? 'map' : 'string';
}

export const isNullable = (type: string) => type.startsWith('Nullable(');
