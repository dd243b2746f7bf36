import type { Source } from '../../shared/api';
import { errorMessage, type Logger } from '../log';
import type { Store } from '../store/store';

const REFRESH_MS = 30_000;

interface SourceRow {
  id: string;
  definition: string;
  managed_by: string;
  deleted: number;
}

export class SourceConflictError extends Error {}

/**
 * The sources the sidecar ingests: those of the config file (read-only here) and those added
 * through the API, persisted in the store. Listeners hear every change, so the consumer can
 * start and stop polling queues; a periodic refresh picks up changes made by other sidecars.
 */
export class SourceRegistry {
  private sources: Source[] = [];
  private readonly listeners: Array<(sources: Source[]) => void> = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly log: Logger
  ) {}

  /** Writes the config file's sources over any stored copy, then loads everything. */
  async open(configSources: Source[]): Promise<void> {
    for (const source of configSources) {
      await this.write({ ...source, managedBy: 'config' }, false);
    }
    const configIds = new Set(configSources.map((s) => s.id));
    for (const stale of (await this.read()).filter((s) => s.managedBy === 'config' && !configIds.has(s.id))) {
      // A source removed from the config file is no longer ingested.
      await this.write(stale, true);
    }
    this.sources = await this.read();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  list(): Source[] {
    return this.sources;
  }

  get(id: string): Source | undefined {
    return this.sources.find((s) => s.id === id);
  }

  onChange(listener: (sources: Source[]) => void): void {
    this.listeners.push(listener);
  }

  async create(source: Source): Promise<Source> {
    if (this.get(source.id)) {
      throw new SourceConflictError(`a source with id "${source.id}" already exists`);
    }
    return this.save({ ...source, managedBy: 'api' });
  }

  async update(id: string, source: Source): Promise<Source> {
    this.assertEditable(id);
    return this.save({ ...source, id, managedBy: 'api' });
  }

  async remove(id: string): Promise<void> {
    const existing = this.assertEditable(id);
    await this.write(existing, true);
    this.sources = this.sources.filter((s) => s.id !== id);
    this.emit();
  }

  private assertEditable(id: string): Source {
    const existing = this.get(id);
    if (!existing) {
      throw new SourceConflictError(`no source "${id}"`);
    }
    if (existing.managedBy === 'config') {
      throw new SourceConflictError(`source "${id}" is defined in the sidecar's config file: change it there`);
    }
    return existing;
  }

  private async save(source: Source): Promise<Source> {
    await this.write(source, false);
    this.sources = [...this.sources.filter((s) => s.id !== source.id), source].sort((a, b) => a.id.localeCompare(b.id));
    this.emit();
    return source;
  }

  private async refresh(): Promise<void> {
    try {
      const latest = await this.read();
      if (JSON.stringify(latest) !== JSON.stringify(this.sources)) {
        this.sources = latest;
        this.emit();
      }
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'cannot refresh sources');
    }
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener(this.sources);
    }
  }

  private async write(source: Source, deleted: boolean): Promise<void> {
    const { managedBy, ...definition } = source;
    await this.store.exec(`INSERT INTO sources VALUES ({id:String}, {definition:String}, {managedBy:String}, {deleted:UInt8}, now64(3))`, {
      id: source.id,
      definition: JSON.stringify(definition),
      managedBy: managedBy ?? 'api',
      deleted: deleted ? 1 : 0,
    });
  }

  private async read(): Promise<Source[]> {
    const { rows } = await this.store.query<SourceRow>('SELECT id, definition, managed_by, deleted FROM sources FINAL WHERE deleted = 0 ORDER BY id');
    return rows.map((r) => ({ ...(JSON.parse(r.definition) as Source), managedBy: r.managed_by as Source['managedBy'] }));
  }
}
