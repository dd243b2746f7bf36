import type { FastifyInstance } from 'fastify';
import type { LedgerEntry, RejectedMessage } from '../../../shared/api';
import { fromLedgerRow, type LedgerRow } from '../../store/ledger';
import { toIso } from '../../store/time';
import type { ApiContext } from '../context';

interface ObjectsQuery {
  source?: string;
  backfill?: string;
  status?: 'ok' | 'failed' | 'skipped';
  /** Only objects that failed or had malformed records. */
  problems?: boolean;
  limit?: number;
}

const limit = { type: 'integer', minimum: 1, maximum: 10000, default: 100 } as const;

export function objectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  /** The ingest ledger: one row per processed object, with failures and malformed samples. */
  app.get<{ Querystring: ObjectsQuery }>(
    '/api/objects',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            source: { type: 'string', minLength: 1 },
            backfill: { type: 'string', minLength: 1 },
            status: { type: 'string', enum: ['ok', 'failed', 'skipped'] },
            problems: { type: 'boolean' },
            limit,
          },
        },
      },
    },
    async (req): Promise<{ objects: LedgerEntry[] }> => {
      const clauses: string[] = [];
      if (req.query.source) {
        clauses.push('source_id = {source:String}');
      }
      if (req.query.backfill) {
        clauses.push('backfill_id = {backfill:String}');
      }
      if (req.query.status) {
        clauses.push('status = {status:String}');
      }
      if (req.query.problems) {
        clauses.push("(status = 'failed' OR malformed > 0)");
      }
      const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
      const { rows } = await ctx.store.query<LedgerRow>(`SELECT * FROM ingest_ledger FINAL ${where} ORDER BY processed_at DESC LIMIT {limit:UInt32}`, {
        source: req.query.source,
        backfill: req.query.backfill,
        status: req.query.status,
        limit: req.query.limit ?? 100,
      });
      return { objects: rows.map(fromLedgerRow) };
    }
  );

  /** SQS messages that were not S3 notifications. */
  app.get<{ Querystring: { limit?: number } }>(
    '/api/rejected-messages',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit } } } },
    async (req): Promise<{ messages: RejectedMessage[] }> => {
      const { rows } = await ctx.store.query<Record<string, string>>('SELECT * FROM rejected_messages FINAL ORDER BY received_at DESC LIMIT {limit:UInt32}', {
        limit: req.query.limit ?? 100,
      });
      return {
        messages: rows.map((r) => ({
          sourceId: r.source_id,
          queue: r.queue,
          messageId: r.message_id,
          reason: r.reason,
          body: r.body,
          receivedAt: toIso(r.received_at),
        })),
      };
    }
  );
}
