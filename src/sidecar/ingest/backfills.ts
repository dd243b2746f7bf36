import type { LedgerEntry } from '../../shared/api';
import type { AwsClients } from '../aws/clients';
import type { ObjectRef } from './notifications';

/** What ingest needs to know of the backfill a notification names. */
export interface MessageBackfill {
  id: string;
  sourceId: string;
  bucket: string;
  region: string;
  state: string;
  roleArn: string | null;
  externalId: string | null;
}

/**
 * Backfill bookkeeping as ingest needs it, declared here and implemented by backfill/tracker.ts;
 * sidecar.ts hands the tracker to the handler, so neither folder imports the other.
 */
export interface BackfillBookkeeping {
  /** The backfill, if it exists (read through a short cache). */
  backfill(id: string): Promise<MessageBackfill | undefined>;
  /** The clients to read its objects with: its assumed role's when it names one. */
  awsFor(backfill: MessageBackfill | undefined): AwsClients;
  /** One of its objects is done with; `duplicate`: the ledger had it before, nothing was read. */
  handled(backfillId: string, object: { entry: LedgerEntry; duplicate: boolean }): Promise<void>;
  /** Its messages are dropped after a cancel; each object is counted as cancelled. */
  cancelled(backfillId: string, objects: ObjectRef[]): Promise<void>;
}
