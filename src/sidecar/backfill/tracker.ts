import type { AwsClients } from '../aws/clients';
import type { ObjectOutcome } from '../ingest/processObject';
import type { ObjectRef } from '../ingest/notifications';
import type { Store } from '../store/store';
import { GroupCommit } from '../concurrency/groupCommit';
import { withAssumedRole } from './credentials';
import { backfillDirectory, type BackfillDirectory } from './directory';
import type { BackfillRecord, HandledRow } from './repository';

/**
 * What the consumer needs to know about backfills: whether one was cancelled (its messages are
 * then dropped and counted), the credentials its bucket is read with, and a per-backfill row
 * for every object handled, so objects already ingested before count as such (skipped, not processed).
 */
export class BackfillTracker {
  private readonly directory: BackfillDirectory;
  private readonly clients = new Map<string, AwsClients>();
  /** Handled rows of concurrent objects, written together. */
  private readonly handledRows: GroupCommit<HandledRow>;

  constructor(
    store: Store,
    private readonly aws: AwsClients
  ) {
    this.directory = backfillDirectory(store);
    this.handledRows = new GroupCommit((rows) => this.directory.repo.recordHandled(rows), { maxItems: 1000, lingerMs: 50 });
  }

  backfill(id: string): Promise<BackfillRecord | undefined> {
    return this.directory.get(id);
  }

  /** The clients to read the backfill's objects with: the assumed role's when it names one. */
  awsFor(record: BackfillRecord | undefined): AwsClients {
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

  async handled(backfillId: string, outcome: ObjectOutcome): Promise<void> {
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
  async cancelled(backfillId: string, refs: ObjectRef[]): Promise<void> {
    // A message sent twice (a listing resumed after a crash) may name an object already ingested.
    const done = await this.directory.repo.handledKeys(
      backfillId,
      refs.map((r) => r.key)
    );
    await this.directory.repo.recordHandled(
      refs
        .filter((ref) => !done.has(ref.key))
        .map((ref) => ({
          backfillId,
          bucket: ref.bucket,
          key: ref.key,
          etag: ref.etag.replace(/"/g, ''),
          size: ref.size,
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
