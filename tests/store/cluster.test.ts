// The cluster form of the schema (store.cluster set; src/sidecar/store/dialect.ts). No cluster runs
// here: ON CLUSTER needs Keeper, which chDB has not. So the engine checks what it can: it parses
// and formats every statement; with a cluster and macros in its config it runs each replicated
// CREATE without ON CLUSTER, which must get as far as the missing Keeper (NO_ZOOKEEPER: engine,
// arguments, macros, version column, settings and ORDER BY were accepted), and creates the
// Distributed table for real over a local copy of the events table.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterMigrationStatements } from '../../src/sidecar/store/migrate';
import { ClickHouseStore } from '../../src/sidecar/store/clickhouse';
import { openServerTestStore, type ServerStoreUnderTest } from './stores';

jest.setTimeout(60_000);

const CLUSTER = 'lookback_cluster';
const statements = clusterMigrationStatements(CLUSTER);
const withoutOnCluster = (sql: string) => sql.replace(` ON CLUSTER '${CLUSTER}'`, '');

describe('the schema on a cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-cluster-'));
  let db: ServerStoreUnderTest;
  let formatted: Map<string, string>;

  beforeAll(async () => {
    const config = join(dir, 'cluster.xml');
    writeFileSync(
      config,
      `<clickhouse>
        <remote_servers><${CLUSTER}>
          <shard><replica><host>127.0.0.2</host><port>9000</port></replica></shard>
          <shard><replica><host>127.0.0.3</host><port>9000</port></replica></shard>
        </${CLUSTER}></remote_servers>
        <macros><shard>01</shard><replica>node-a</replica></macros>
      </clickhouse>`
    );
    db = await openServerTestStore({ server: { engineArgs: [`--config-file=${config}`] } });
    formatted = new Map();
    for (const sql of statements) {
      const { rows } = await db.store.query<{ f: string }>('SELECT formatQuery({sql:String}) AS f', { sql });
      formatted.set(sql, rows[0].f);
    }
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every table of the single-node schema ON CLUSTER, and the events in local shards behind a Distributed table', () => {
    const creates = [...formatted.values()].filter((f) => f.startsWith('CREATE '));
    const created = creates.map((f) => /^CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER (\w+)/.exec(f)?.slice(1));
    expect(created.every((c) => c?.[1] === CLUSTER)).toBe(true);
    expect(created.map((c) => c?.[0]).sort()).toEqual(
      [
        'backfill_listed',
        'backfill_objects',
        'backfill_pages',
        'backfill_priority',
        'backfill_units',
        'backfills',
        'detection_deliveries',
        'detection_hunts',
        'detections',
        'events',
        'events_local',
        'ingest_ledger',
        'live_groups',
        'rejected_messages',
        'rule_runs',
        'rule_settings',
        'schema_migrations',
        'sources',
      ].sort()
    );
    const of = (table: string) => [...formatted.values()].find((f) => f.startsWith(`CREATE TABLE IF NOT EXISTS ${table} `))!;
    expect(of('events_local')).toMatch(
      /\nENGINE = ReplicatedMergeTree\('\/clickhouse\/tables\/\{shard\}\/\{database\}\/events_local', '\{replica\}'\)\nPARTITION BY toYYYYMM\(time\)\nORDER BY \(log_type, source_id, time\)\nSETTINGS replicated_deduplication_window = 10000$/
    );
    expect(of('events')).toBe(
      `CREATE TABLE IF NOT EXISTS events ON CLUSTER ${CLUSTER} AS events_local\nENGINE = Distributed('${CLUSTER}', currentDatabase(), events_local, cityHash64(bucket, key))`
    );
    // Ledger and state: one replication group across every node, so each node holds them whole.
    expect(of('ingest_ledger')).toMatch(
      /\nENGINE = ReplicatedReplacingMergeTree\('\/clickhouse\/tables\/all\/\{database\}\/ingest_ledger', '\{shard\}-\{replica\}', processed_at\)\nORDER BY \(bucket, key, etag\)$/
    );
    // Detections merge the engine's and people's columns by max, replicated like the other state.
    expect(of('detections')).toMatch(
      /\nENGINE = ReplicatedAggregatingMergeTree\('\/clickhouse\/tables\/all\/\{database\}\/detections', '\{shard\}-\{replica\}'\)\nORDER BY fingerprint\nSETTINGS replicated_deduplication_window = 10000$/
    );
    // Indexes added, dropped and built later go to the shards, which hold the data.
    expect([...formatted.values()].filter((f) => f.startsWith('ALTER '))).toEqual([
      `ALTER TABLE events_local ON CLUSTER ${CLUSTER}\n    (ADD INDEX IF NOT EXISTS received_at_minmax received_at TYPE minmax GRANULARITY 1)`,
      `ALTER TABLE events_local ON CLUSTER ${CLUSTER}\n    (ADD INDEX IF NOT EXISTS raw_lower_text lower(raw) TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000)`,
      `ALTER TABLE events_local ON CLUSTER ${CLUSTER}\n    (DROP INDEX IF EXISTS raw_text)`,
      `ALTER TABLE events_local ON CLUSTER ${CLUSTER}\n    (MATERIALIZE INDEX raw_lower_text)\nSETTINGS mutations_sync = 0`,
    ]);
    for (const [, f] of formatted) {
      expect(f).not.toMatch(/ENGINE = (MergeTree|ReplacingMergeTree)\b|non_replicated_deduplication_window/);
    }
  });

  it('parses every SQL statement docs/clickhouse.md gives (database, users, grants, profiles)', async () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'clickhouse.md'), 'utf8');
    const given = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1].split(';'))
      .map((sql) => sql.replace(/--[^\n]*/g, '').trim())
      .filter(Boolean);
    expect(given.length).toBeGreaterThanOrEqual(7);
    for (const sql of given) {
      const { rows } = await db.store.query<{ f: string }>('SELECT formatQuery({sql:String}) AS f', { sql });
      expect(rows[0].f.split(' ')[0]).toBe(sql.split(' ')[0]);
    }
  });

  /** A store on a new, empty database of the test server (the default one holds the single-node schema). */
  async function inNewDatabase(name: string): Promise<ClickHouseStore> {
    await db.store.exec(`CREATE DATABASE ${name}`);
    return ClickHouseStore.connect({ ...db.options, database: name });
  }

  it('gets every replicated table past all the engine checks, up to the Keeper it needs', async () => {
    const empty = await inNewDatabase('replicated_check');
    try {
      for (const sql of statements.filter((s) => /ENGINE = Replicated/.test(s))) {
        await expect(empty.exec(withoutOnCluster(sql))).rejects.toThrow(/^Code: 225\. DB::Exception: Can't create replicated table without ZooKeeper/);
      }
    } finally {
      await empty.close();
    }
  });

  it('creates the Distributed events table over shards of the events table, sharded by bucket and key', async () => {
    const inCheck = await inNewDatabase('cluster_check');
    await db.store.exec('CREATE TABLE cluster_check.events_local AS default.events');
    try {
      await inCheck.exec(withoutOnCluster(statements.find((s) => /ENGINE = Distributed/.test(s))!));
      const { rows } = await inCheck.query<{ engine_full: string }>(
        "SELECT engine_full FROM system.tables WHERE database = 'cluster_check' AND name = 'events'"
      );
      expect(rows[0].engine_full).toBe(`Distributed('${CLUSTER}', 'cluster_check', 'events_local', cityHash64(bucket, key))`);
      const columns = async (table: string) =>
        (
          await inCheck.query<{ name: string; type: string }>(
            `SELECT name, type FROM system.columns WHERE database = 'cluster_check' AND table = '${table}' ORDER BY position`
          )
        ).rows;
      expect(await columns('events')).toEqual(await columns('events_local'));
    } finally {
      await inCheck.close();
    }
  });
});
