import type { RejectedMessage } from '../../shared/api';
import type { Store } from './store';
import { toIso } from './time';

/** A rejected message as stored. */
export function toRejectedRow(message: RejectedMessage): object {
  return {
    source_id: message.sourceId,
    queue: message.queue,
    message_id: message.messageId,
    reason: message.reason,
    body: message.body,
    received_at: message.receivedAt,
  };
}

/** Queue messages (or objects of them) that were not read, with why: the reads of the API and the metrics. */
export class RejectedTable {
  constructor(private readonly store: Pick<Store, 'query'>) {}

  async list(limit: number): Promise<RejectedMessage[]> {
    const { rows } = await this.store.query<Record<string, string>>('SELECT * FROM rejected_messages FINAL ORDER BY received_at DESC LIMIT {limit:UInt32}', {
      limit,
    });
    return rows.map((r) => ({
      sourceId: r.source_id,
      queue: r.queue,
      messageId: r.message_id,
      reason: r.reason,
      body: r.body,
      receivedAt: toIso(r.received_at),
    }));
  }

  async count(): Promise<number> {
    const { rows } = await this.store.query<{ n: number }>('SELECT count() AS n FROM rejected_messages FINAL');
    return Number(rows[0]?.n ?? 0);
  }

  async countsBySource(): Promise<Array<{ sourceId: string; count: number }>> {
    const { rows } = await this.store.query<{ source_id: string; n: number }>(
      'SELECT source_id, count() AS n FROM rejected_messages FINAL GROUP BY source_id ORDER BY source_id'
    );
    return rows.map((r) => ({ sourceId: r.source_id, count: Number(r.n) }));
  }
}
