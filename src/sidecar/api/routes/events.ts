import type { FastifyInstance } from 'fastify';
import type { CountResponse, EventsQuery, EventsResponse } from '../../../shared/api';
import type { ApiContext } from '../context';
import { badRequest } from '../errors';

const eventsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source: { type: 'string', minLength: 1 },
    logType: { type: 'string', minLength: 1 },
    bucket: { type: 'string', minLength: 1 },
    key: { type: 'string', minLength: 1 },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 100 },
  },
} as const;

/** `from` must come before `to`: a 400 naming both otherwise. */
function checkRange(q: EventsQuery): void {
  if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
    throw badRequest(`from (${q.from}) must be before to (${q.to})`);
  }
}

/** Stored events, newest first, and their count, filtered by source, type, provenance and time. */
export function eventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: EventsQuery }>('/api/events', { schema: { querystring: eventsQuerySchema } }, async (req): Promise<EventsResponse> => {
    checkRange(req.query);
    return { events: await ctx.store.events.list({ ...req.query, limit: req.query.limit ?? 100 }) };
  });

  app.get<{ Querystring: EventsQuery }>('/api/events/count', { schema: { querystring: eventsQuerySchema } }, async (req): Promise<CountResponse> => {
    checkRange(req.query);
    return ctx.store.events.count(req.query);
  });
}
