import type { FastifyInstance } from 'fastify';
import type { LedgerEntry, ObjectsQuery, RejectedMessage } from '../../../shared/api';
import type { ApiContext } from '../context';

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
    async (req): Promise<{ objects: LedgerEntry[] }> => ({ objects: await ctx.store.ledger.list({ ...req.query, limit: req.query.limit ?? 100 }) })
  );

  /** SQS messages that were not S3 notifications. */
  app.get<{ Querystring: { limit?: number } }>(
    '/api/rejected-messages',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit } } } },
    async (req): Promise<{ messages: RejectedMessage[] }> => ({ messages: await ctx.store.rejected.list(req.query.limit ?? 100) })
  );
}
