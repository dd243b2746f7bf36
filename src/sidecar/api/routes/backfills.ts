import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Backfill, BackfillEstimate, CoverageResponse, PulledForward } from '../../../shared/backfill';
import { MAX_COVERAGE_HOURS } from '../../backfill/coverage';
import { HOUR_MS } from '../../backfill/dates';
import { PriorityBoundError, PriorityNotFoundError, PriorityRequestError, PriorityStateError } from '../../backfill/priority';
import { BackfillRequestError, BackfillStateError } from '../../backfill/service';
import type { FieldError } from '../../config/validate';
import { parseRequestTime } from '../../query/time';
import type { ApiContext } from '../context';
import { conflict, notFound, sendFieldErrors, tooMany } from '../errors';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^bf-[0-9A-Za-z-]{1,64}$' } } } as const;
const coverageQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'from', 'to'],
  properties: { source: { type: 'string', minLength: 1 }, from: { type: 'string', minLength: 1 }, to: { type: 'string', minLength: 1 } },
} as const;
const priorityTime = { anyOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'number' }] } as const;
const priorityBody = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: { from: priorityTime, to: priorityTime, note: { type: 'string', maxLength: 500 } },
} as const;
/** A priority request is a few fields: its body is small. */
const PRIORITY_BODY_LIMIT = 4096;

/** Backfills (start, estimate, list, get, cancel, load hours first) and time coverage per source, served by the backfill service. */
export function backfillRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const service = ctx.backfills;

  const requestErrors = async <T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> => {
    try {
      return await work();
    } catch (err) {
      if (err instanceof BackfillRequestError) {
        return sendFieldErrors(reply, err.fields);
      }
      throw err;
    }
  };

  app.post('/api/backfills', async (req, reply): Promise<Backfill | FastifyReply> =>
    requestErrors(reply, async () => {
      const backfill = await service.start(req.body);
      return reply.code(201).send(backfill);
    })
  );

  app.post('/api/backfills/estimate', async (req, reply): Promise<BackfillEstimate | FastifyReply> => requestErrors(reply, () => service.estimate(req.body)));

  app.get<{ Querystring: { source?: string } }>(
    '/api/backfills',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { source: { type: 'string', minLength: 1 } } } } },
    async (req): Promise<{ backfills: Backfill[] }> => ({ backfills: await service.list(req.query.source) })
  );

  app.get<{ Params: { id: string } }>('/api/backfills/:id', { schema: { params: idParams } }, async (req): Promise<Backfill> => {
    const backfill = await service.get(req.params.id);
    if (!backfill) {
      throw notFound(`no backfill ${req.params.id}`);
    }
    return backfill;
  });

  app.post<{ Params: { id: string } }>('/api/backfills/:id/cancel', { schema: { params: idParams } }, async (req): Promise<Backfill> => {
    const backfill = await service.cancel(req.params.id).catch((err: unknown) => {
      throw err instanceof BackfillStateError ? conflict(err.message) : err;
    });
    if (!backfill) {
      throw notFound(`no backfill ${req.params.id}`);
    }
    return backfill;
  });

  app.post<{ Params: { id: string } }>(
    '/api/backfills/:id/priority',
    { schema: { params: idParams, body: priorityBody }, bodyLimit: PRIORITY_BODY_LIMIT },
    async (req, reply): Promise<PulledForward | FastifyReply> => {
      try {
        return reply.code(202).send(await ctx.priority.ask(req.params.id, req.body));
      } catch (err) {
        if (err instanceof PriorityRequestError) {
          return sendFieldErrors(reply, err.fields);
        }
        if (err instanceof PriorityNotFoundError) {
          throw notFound(err.message);
        }
        if (err instanceof PriorityStateError) {
          throw conflict(err.message);
        }
        if (err instanceof PriorityBoundError) {
          throw tooMany(err.message);
        }
        throw err;
      }
    }
  );

  app.get<{ Querystring: { source: string; from: string; to: string } }>(
    '/api/coverage',
    { schema: { querystring: coverageQuery } },
    async (req, reply): Promise<CoverageResponse | FastifyReply> => {
      const { source, from, to } = req.query;
      const errors: FieldError[] = [];
      if (!ctx.sources().some((s) => s.id === source)) {
        errors.push({ field: 'source', message: `no source "${source}"` });
      }
      const start = parseRequestTime(from);
      const end = parseRequestTime(to);
      if (start === undefined) {
        errors.push({ field: 'from', message: `must be an ISO 8601 time, got "${from}"` });
      }
      if (end === undefined) {
        errors.push({ field: 'to', message: `must be an ISO 8601 time, got "${to}"` });
      }
      if (start !== undefined && end !== undefined) {
        if (start >= end) {
          errors.push({ field: 'to', message: 'must be after from' });
        } else if ((end - start) / HOUR_MS > MAX_COVERAGE_HOURS) {
          errors.push({ field: 'to', message: `coverage is given by the hour for at most ${MAX_COVERAGE_HOURS / 24} days` });
        }
      }
      if (errors.length) {
        return sendFieldErrors(reply, errors);
      }
      return service.coverage(source, start!, end!);
    }
  );
}
