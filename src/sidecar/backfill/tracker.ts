import type { LedgerEntry } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import { GroupCommit } from '../concurrency/groupCommit';
import { withAssumedRole } from './credentials';
import type { BackfillDirectory } from './directory';
import type { BackfillRecord, HandledRow } from './repository';

/** An object a backfill notification named, as ingest read it. */
export interface NamedObject {
  bucket: string;
  key: string;
  /** Without quotes. */
  etag: string;
  size: number;
}

/**
 * The backfill bookkeeping ingest asks for (it declares what it needs in ingest/backfills.ts;
 * sidecar.ts hands it this): whether a backfill was cancelled (its messages are then dropped and
 * counted), the credentials its bucket is read with, and a per-backfill row for every object
 * handled, so objects already ingested before count as such (skipped, not processed).
 */
export class BackfillTracker {
  private readonly clients = new Map<string, AwsClients>();
  /** Handled rows of concurrent objects, written together. */
  private readonly handledRows: GroupCommit<HandledRow>;

  constructor(
    private readonly directory: BackfillDirectory,
    private readonly aws: AwsClients
  ) {
    this.handledRows = new GroupCommit((rows) => this.directory.repo.recordHandled(rows), { maxItems: 1000, lingerMs: 50 });
  }

  backfill(id: string): Promise<BackfillRecord | undefined> {
    return this.directory.get(id);
  }

  /** The clients to read the backfill's objects with: the assumed role's when it names one. */
  awsFor(record: Pick<BackfillRecord, 'id' | 'roleArn' | 'externalId' | 'region'> | undefined): AwsClients {
    if (!record?.roleArn) {
      return this.aws;
    }
    let clients = this.clients.get(record.id);
    if (!clients) {
      clients = withAssumedRole(this.aws, { roleArn: record.roleArn, externalId: record.externalId }, `lookback-${record.id}`, record.region);
      this.clients.set(record.id, clients);
    }
    return clients;
  }

  /** An object of the backfill is done with: its ledger entry, and whether the ledger had it before (nothing was read). */
  async handled(backfillId: string, outcome: { entry: LedgerEntry; duplicate: boolean }): Promise<void> {
    const { entry } = outcome;
    await this.handledRows.add([
      {
        backfillId,
        bucket: entry.bucket,
        key: entry.key,
        etag: entry.etag,
        size: entry.size,
        status: entry.status,
        events: entry.events,
        malformed: entry.malformed,
        minTime: entry.minTime,
        maxTime: entry.maxTime,
        duplicate: outcome.duplicate && entry.backfillId !== backfillId,
      },
    ]);
  }

  /** Messages of a cancelled backfill are deleted without ingest; each object is counted as cancelled. */
  async cancelled(backfillId: string, objects: NamedObject[]): Promise<void> {
    // A message sent twice (a listing resumed after a crash) may name an object already ingested.
    const done = await this.directory.repo.handledKeys(
      backfillId,
      objects.map((o) => o.key)
    );
    await this.directory.repo.recordHandled(
      objects
        .filter((o) => !done.has(o.key))
        .map((o) => ({
          backfillId,
          bucket: o.bucket,
          key: o.key,
          etag: o.etag,
          size: o.size,
          status: 'cancelled' as const,
          events: 0,
          malformed: 0,
          minTime: null,
          maxTime: null,
          duplicate: false,
        }))
    );
  }
}
