import { clusterStatements } from './dialect';
import { MIGRATIONS } from './schema';
import type { Store } from './store';

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, description String, applied_at DateTime64(3, 'UTC'))
     ENGINE = MergeTree ORDER BY version`;

/**
 * Applies every migration newer than the store's recorded version; returns the version reached.
 * On a cluster each CREATE TABLE runs in its ON CLUSTER, replicated form (dialect.ts).
 */
export async function applyMigrations(store: Store, cluster?: string): Promise<number> {
  const run = async (statement: string) => {
    for (const sql of cluster ? clusterStatements(statement, cluster) : [statement]) {
      await store.exec(sql);
    }
  };
  await run(MIGRATIONS_TABLE);
  const { rows } = await store.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  let current = Number(rows[0]?.v ?? 0);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) {
      continue;
    }
    for (const statement of migration.statements) {
      await run(statement);
    }
    await store.exec(`INSERT INTO schema_migrations VALUES ({version:UInt32}, {description:String}, now64(3))`, {
      version: migration.version,
      description: migration.description,
    });
    current = migration.version;
  }
  return current;
}

/** Every statement the migrations run on a cluster, in order (for review and the syntax test). */
export function clusterMigrationStatements(cluster: string): string[] {
  return [MIGRATIONS_TABLE, ...MIGRATIONS.flatMap((m) => m.statements)].flatMap((s) => clusterStatements(s, cluster));
}
