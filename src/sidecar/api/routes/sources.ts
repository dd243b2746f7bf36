import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Source } from '../../../shared/api';
import type { FieldErrorsBody, SourceStatus } from '../../../shared/backfill';
import { queueDepth } from '../../aws/queueDepth';
import { regionOfQueueUrl } from '../../aws/clients';
import type { FieldError } from '../../config/validate';
import { SourceConflictError } from '../../sources/registry';
import { reachabilityErrors, shapeErrors } from '../../sources/validate';
import { toIso } from '../../store/time';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

interface SourceStatsRow {
  source_id: string;
  last_event: string | null;
  events_24h: number;
}

interface LedgerStatsRow {
  source_id: string;
  failed: number;
  malformed: number;
}

function fieldErrors(reply: FastifyReply, fields: FieldError[]): FastifyReply {
  const body: FieldErrorsBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
    fields,
  };
  return reply.code(400).send(body);
}

export function sourceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const registry = ctx.registry;

  async function statuses(sources: Source[]): Promise<SourceStatus[]> {
    const ids = sources.map((s) => s.id);
    const [events, ledger] = await Promise.all([
      ctx.store.query<SourceStatsRow>(
        `SELECT source_id, max(time) AS last_event, countIf(received_at >= now64(3) - INTERVAL 1 DAY) AS events_24h
         FROM events WHERE source_id IN {ids:Array(String)} GROUP BY source_id`,
        { ids }
      ),
      ctx.store.query<LedgerStatsRow>(
        `SELECT source_id, countIf(status = 'failed') AS failed, sum(malformed) AS malformed
         FROM ingest_ledger FINAL WHERE source_id IN {ids:Array(String)} GROUP BY source_id`,
        { ids }
      ),
    ]);
    const depth = (url: string | undefined, region: string) =>
      url ? queueDepth(ctx.aws, regionOfQueueUrl(url) ?? region, url).catch(() => null) : Promise.resolve(null);
    return Promise.all(
      sources.map(async (source) => {
        const e = events.rows.find((r) => r.source_id === source.id);
        const l = ledger.rows.find((r) => r.source_id === source.id);
        const [liveQueue, backfillQueue] = await Promise.all([depth(source.liveQueueUrl, source.region), depth(source.backfillQueueUrl, source.region)]);
        return {
          source,
          lastEventTime: e?.last_event ? toIso(e.last_event) : null,
          eventsLast24h: Number(e?.events_24h ?? 0),
          liveQueue,
          backfillQueue,
          failedObjects: Number(l?.failed ?? 0),
          malformedRecords: Number(l?.malformed ?? 0),
        };
      })
    );
  }

  /** Shape first, then whether the bucket and queues are really there. */
  async function validSource(body: unknown, reply: FastifyReply): Promise<Source | undefined> {
    const shape = shapeErrors(body);
    if (shape.length) {
      fieldErrors(reply, shape);
      return undefined;
    }
    const source = body as Source;
    source.region ??= ctx.config.aws.region;
    const reach = await reachabilityErrors(source, ctx.aws);
    if (reach.length) {
      fieldErrors(reply, reach);
      return undefined;
    }
    return source;
  }

  app.get('/api/sources', async (): Promise<SourceStatus[]> => statuses(registry.list()));

  app.get<{ Params: { id: string } }>('/api/sources/:id', async (req): Promise<SourceStatus> => {
    const source = registry.get(req.params.id);
    if (!source) {
      throw notFound(`no source "${req.params.id}"`);
    }
    return (await statuses([source]))[0];
  });

  app.post('/api/sources', async (req, reply) => {
    const source = await validSource(req.body, reply);
    if (!source) {
      return reply;
    }
    if (registry.get(source.id)) {
      return fieldErrors(reply, [{ field: 'id', message: `a source with id "${source.id}" already exists` }]);
    }
    return reply.code(201).send(await registry.create(source));
  });

  app.put<{ Params: { id: string } }>('/api/sources/:id', async (req, reply) => {
    const existing = registry.get(req.params.id);
    if (!existing) {
      throw notFound(`no source "${req.params.id}"`);
    }
    const body = { ...(req.body as object), id: req.params.id };
    const source = await validSource(body, reply);
    if (!source) {
      return reply;
    }
    try {
      return await registry.update(req.params.id, source);
    } catch (err) {
      if (err instanceof SourceConflictError) {
        return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: err.message });
      }
      throw err;
    }
  });

  app.delete<{ Params: { id: string } }>('/api/sources/:id', async (req, reply) => {
    if (!registry.get(req.params.id)) {
      throw notFound(`no source "${req.params.id}"`);
    }
    try {
      await registry.remove(req.params.id);
    } catch (err) {
      if (err instanceof SourceConflictError) {
        return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: err.message });
      }
      throw err;
    }
    return reply.code(204).send();
  });
}
