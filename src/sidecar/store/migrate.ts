import { MIGRATIONS } from './schema';
import type { Store } from './store';

/** Applies every migration newer than the store's recorded version; returns the version reached. */
export async function applyMigrations(store: Store): Promise<number> {
  await store.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, description String, applied_at DateTime64(3, 'UTC'))
     ENGINE = MergeTree ORDER BY version`
  );
  const { rows } = await store.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
  let current = Number(rows[0]?.v ?? 0);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) {
      continue;
    }
    for (const statement of migration.statements) {
      await store.exec(statement);
    }
    await store.exec(
      `INSERT INTO schema_migrations VALUES ({version:UInt32}, {description:String}, now64(3))`,
      { version: migration.version, description: migration.description }
    );
    current = migration.version;
  }
  return current;
}
