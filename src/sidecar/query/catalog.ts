import type { Store } from '../store/store';
import type { FieldKeys } from './compiler';

export interface CatalogOptions {
  /** How long a loaded key list is used before it is loaded again. */
  ttlMs: number;
  /**
   * A query naming an unknown field reloads the list, but not more often than this, unless
   * events were added since the list was read (counting them reads only the parts' row counts).
   */
  minReloadMs: number;
  /** Most keys kept per log type (JSON logs can have unbounded key sets). */
  maxKeysPerType: number;
  now: () => number;
}

const DEFAULTS: CatalogOptions = { ttlMs: 60_000, minReloadMs: 5_000, maxKeysPerType: 20_000, now: Date.now };

/** The keys of the `fields` map per log type, read from the store. */
export class FieldSnapshot implements FieldKeys {
  private readonly all: ReadonlySet<string>;

  constructor(
    readonly byLogType: ReadonlyMap<string, ReadonlySet<string>>,
    readonly loadedAt: number,
    /** How many events there were just before the keys were read. */
    readonly events = 0
  ) {
    const all = new Set<string>();
    for (const keys of byLogType.values()) {
      keys.forEach((k) => all.add(k));
    }
    this.all = all;
  }

  keysFor(logType: string | null): ReadonlySet<string> {
    return logType === null ? this.all : (this.byLogType.get(logType) ?? new Set());
  }
}

/**
 * Which field names exist, so queries can be checked against them: `mapKeys(fields)` per log
 * type, cached for a TTL; concurrent loads share one query.
 */
export class FieldCatalog {
  private readonly options: CatalogOptions;
  private current: FieldSnapshot | undefined;
  private loading: Promise<FieldSnapshot> | undefined;

  constructor(
    private readonly store: Store,
    options: Partial<CatalogOptions> = {}
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The cached snapshot while fresh, else a newly loaded one. */
  async snapshot(): Promise<FieldSnapshot> {
    if (this.current && this.options.now() - this.current.loadedAt < this.options.ttlMs) {
      return this.current;
    }
    return this.load();
  }

  /** A newer snapshot when the cached one is old enough to reload; undefined otherwise. */
  async reloadIfStale(): Promise<FieldSnapshot | undefined> {
    if (this.current && this.options.now() - this.current.loadedAt < this.options.minReloadMs && (await this.countEvents()) === this.current.events) {
      return undefined;
    }
    return this.load();
  }

  private async countEvents(): Promise<number> {
    const { rows } = await this.store.query<{ n: string | number }>('SELECT count() AS n FROM events', {}, { readonly: true, maxExecutionSeconds: 10 });
    return Number(rows[0]?.n ?? 0);
  }

  private load(): Promise<FieldSnapshot> {
    this.loading ??= this.query().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async query(): Promise<FieldSnapshot> {
    const started = this.options.now();
    const events = await this.countEvents();
    const { rows } = await this.store.query<{ log_type: string; keys: string[] }>(
      `SELECT log_type, groupUniqArrayArray({max:UInt64})(mapKeys(fields)) AS keys FROM events GROUP BY log_type`,
      { max: this.options.maxKeysPerType },
      { readonly: true, maxExecutionSeconds: 60 }
    );
    const byLogType = new Map<string, ReadonlySet<string>>();
    for (const row of rows) {
      byLogType.set(row.log_type, new Set(row.keys));
    }
    this.current = new FieldSnapshot(byLogType, started, events);
    return this.current;
  }
}
