import { clusterStatements } from './dialect';
import { MIGRATIONS } from './schema';
import type { Store } from './store';

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, description String, applied_at DateTime64(3, 'UTC'))
     ENGINE = MergeTree ORDER BY version`;

/**
 * Applies every migration the store has not recorded; returns the highest version applied.
 * On a cluster each CREATE TABLE runs in its ON CLUSTER, replicated form (dialect.ts).
 */
export async function applyMigrations(store: Store, cluster?: string): Promise<number> {
  const run = async (statement: string) => {
    for (const sql of cluster ? clusterStatements(statement, cluster) : [statement]) {
      await store.exec(sql);
    }
  };
  await run(MIGRATIONS_TABLE);
  // Every migration not recorded, not only those above the highest: branches number theirs apart, and
  // one may land after a higher one was applied.
  const { rows } = await store.query<{ v: number | string }>('SELECT DISTINCT version AS v FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.v)));
  let current = Math.max(0, ...applied);
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) {
      continue;
    }
    for (const statement of migration.statements) {
      await run(statement);
    }
    await store.exec(`INSERT INTO schema_migrations VALUES ({version:UInt32}, {description:String}, now64(3))`, {
      version: migration.version,
      description: migration.description,
    });
    current = Math.max(current, migration.version);
  }
  return current;
}

/** Every statement the migrations run on a cluster, in order (for review and the syntax test). */
export function clusterMigrationStatements(cluster: string): string[] {
  return [MIGRATIONS_TABLE, ...MIGRATIONS.flatMap((m) => m.statements)].flatMap((s) => clusterStatements(s, cluster));
}
