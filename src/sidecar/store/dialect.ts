import type { QueryOptions } from './store';

/*
 * Where chDB and a ClickHouse server differ, in one place. Everything else (migrations, the
 * compiled queries, the ledger and backfill SQL) is the same text on both.
 *
 * 1. Settings: chDB takes a query's settings in a SETTINGS clause, a server as HTTP parameters;
 *    both come from `querySettings`.
 * 2. Event inserts are RowBinary (rowBinary.ts) on both. A server gets it as the request body; chDB's
 *    own insert call takes text formats only, so chDB reads it from a spool file (chdbEventInserts.ts).
 * 3. A server can stop a query whose HTTP request is gone (`cancel_http_readonly_queries_on_client_close`,
 *    KILL QUERY); chDB cannot interrupt a statement and only stops waiting.
 * 4. A cluster (`store.cluster`): `clusterStatements` turns each CREATE TABLE of the migrations into
 *    its ON CLUSTER, replicated form, and the events table into local shards behind a Distributed
 *    table of the same name, so queries read `events` unchanged; an ALTER TABLE runs ON CLUSTER on
 *    the tables that hold the data (the local shards of a sharded table).
 */

/** Settings of every statement, from its options. */
export function querySettings(options: QueryOptions = {}): Record<string, string | number> {
  const settings: Record<string, string | number> = { output_format_json_quote_64bit_integers: 0 };
  if (options.readonly) {
    settings.readonly = 1;
  }
  if (options.maxExecutionSeconds) {
    settings.max_execution_time = Math.floor(options.maxExecutionSeconds);
  }
  if (options.maxResultRows) {
    settings.max_result_rows = Math.floor(options.maxResultRows);
    settings.result_overflow_mode = 'break';
  }
  if (options.maxMemoryBytes) {
    settings.max_memory_usage = Math.floor(options.maxMemoryBytes);
  }
  return settings;
}

/** Settings of an insert of rows written as text (times as `2024-01-01 00:00:00.000` or ISO 8601). */
export const TEXT_INSERT_SETTINGS = { date_time_input_format: 'best_effort' } as const;

/**
 * Settings of an insert of one chunk of events. The token makes a repeated insert of the chunk a
 * no-op (non_replicated_deduplication_window on a single server and in chDB,
 * replicated_deduplication_window in a cluster); a chunk whose rows fall in several months is a
 * part per month, and the token covers each. The rows of one chunk may span any number of months
 * (an object's events are not bound to a time range; past the default limit of 100 partitions
 * ClickHouse refuses the insert with the code of TOO_MANY_PARTS, which is retried as transient).
 * In a cluster the Distributed table forwards the chunk to its shards before the insert returns,
 * so the token is checked there and an error reaches the sidecar before it deletes the message.
 */
export function eventInsertSettings(token: string, cluster?: string): Record<string, string | number> {
  const settings = { insert_deduplication_token: token, max_partitions_per_insert_block: 0 };
  return cluster ? { ...settings, distributed_foreground_insert: 1 } : settings;
}

/** Settings as a SETTINGS clause, for chDB (a server takes them as HTTP parameters). */
export function settingsClause(settings: Record<string, string | number>): string {
  return Object.entries(settings)
    .map(([name, value]) => `${name} = ${typeof value === 'number' ? value : quote(value)}`)
    .join(', ');
}

/** The sharded tables of a cluster and their sharding key: one object's events land on one shard. */
export const SHARDING: Record<string, string> = { events: 'cityHash64(bucket, key)' };

/** The local (per-shard) table behind a sharded table's Distributed table. */
export const localTable = (table: string) => `${table}_local`;

const CREATE_TABLE = /^\s*CREATE TABLE IF NOT EXISTS (\w+)\s*\(/;
const ALTER_TABLE = /^\s*ALTER TABLE (\w+) /;
const ENGINE = /\)\s*ENGINE = (\w*MergeTree)(?:\(([^)]*)\))?/;

/**
 * The statements that make a migration's statement on a cluster: ON CLUSTER, Replicated*MergeTree,
 * and for a sharded table a local table per shard plus a Distributed table with the original name.
 * Tables that are not sharded (ledger, sources, backfill state, migrations) are replicated to every
 * node, so each sidecar reads them whole, with FINAL, from the node it talks to.
 */
export function clusterStatements(statement: string, cluster: string): string[] {
  const alter = ALTER_TABLE.exec(statement);
  if (alter) {
    const table = SHARDING[alter[1]] ? localTable(alter[1]) : alter[1];
    return [statement.replace(ALTER_TABLE, `ALTER TABLE ${table} ON CLUSTER ${quote(cluster)} `)];
  }
  const create = CREATE_TABLE.exec(statement);
  const engine = ENGINE.exec(statement);
  if (!create || !engine) {
    throw new Error(
      `no cluster form for this migration statement (only CREATE TABLE IF NOT EXISTS … ENGINE = *MergeTree, or ALTER TABLE): ${statement.slice(0, 80)}`
    );
  }
  const table = create[1];
  const onCluster = `ON CLUSTER ${quote(cluster)}`;
  const sharded = SHARDING[table];
  const target = sharded ? localTable(table) : table;
  // {shard} keeps one replication group per shard; tables on every node form one group across shards.
  const zkPath = sharded ? `/clickhouse/tables/{shard}/{database}/${target}` : `/clickhouse/tables/all/{database}/${target}`;
  const replica = sharded ? '{replica}' : '{shard}-{replica}';
  const args = [quote(zkPath), quote(replica), ...(engine[2] ? [engine[2]] : [])].join(', ');
  const replicated = statement
    .replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS ${target} ${onCluster} (`)
    .replace(ENGINE, `) ENGINE = Replicated${engine[1]}(${args})`)
    .replace(/\bnon_replicated_deduplication_window\b/, 'replicated_deduplication_window');
  if (!sharded) {
    return [replicated];
  }
  return [
    replicated,
    `CREATE TABLE IF NOT EXISTS ${table} ${onCluster} AS ${target}
      ENGINE = Distributed(${quote(cluster)}, currentDatabase(), ${target}, ${sharded})`,
  ];
}

/** A ClickHouse string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
