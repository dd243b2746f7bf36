import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Source } from '../../../shared/api';
import type { SourceStatus } from '../../../shared/backfill';
import { queueDepth } from '../../aws/queueDepth';
import { regionOfQueueUrl } from '../../aws/clients';
import { SourceConflictError } from '../../sources/registry';
import { reachabilityErrors, shapeErrors } from '../../sources/validate';
import type { ApiContext } from '../context';
import { conflict, notFound, sendFieldErrors } from '../errors';

/** A registry change another change got in the way of: a 409. */
function conflicts(err: unknown): unknown {
  return err instanceof SourceConflictError ? conflict(err.message) : err;
}

export function sourceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const registry = ctx.registry;

  async function statuses(sources: Source[]): Promise<SourceStatus[]> {
    const ids = sources.map((s) => s.id);
    const [events, ledger] = await Promise.all([ctx.store.events.statsBySource(ids), ctx.store.ledger.problemsBySource(ids)]);
    const depth = (url: string | undefined, region: string) =>
      url ? queueDepth(ctx.aws, regionOfQueueUrl(url) ?? region, url).catch(() => null) : Promise.resolve(null);
    return Promise.all(
      sources.map(async (source) => {
        const e = events.get(source.id);
        const l = ledger.get(source.id);
        const [liveQueue, backfillQueue] = await Promise.all([depth(source.liveQueueUrl, source.region), depth(source.backfillQueueUrl, source.region)]);
        return {
          source,
          lastEventTime: e?.lastEventTime ?? null,
          eventsLast24h: e?.eventsLast24h ?? 0,
          liveQueue,
          backfillQueue,
          failedObjects: l?.failed ?? 0,
          malformedRecords: l?.malformed ?? 0,
        };
      })
    );
  }

  /** Shape first, then whether the bucket and queues are really there. */
  async function validSource(body: unknown, reply: FastifyReply): Promise<Source | undefined> {
    const shape = shapeErrors(body);
    if (shape.length) {
      sendFieldErrors(reply, shape);
      return undefined;
    }
    const source = body as Source;
    source.region ??= ctx.config.aws.region;
    const reach = await reachabilityErrors(source, ctx.aws);
    if (reach.length) {
      sendFieldErrors(reply, reach);
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
      return sendFieldErrors(reply, [{ field: 'id', message: `a source with id "${source.id}" already exists` }]);
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
    return registry.update(req.params.id, source).catch((err: unknown) => {
      throw conflicts(err);
    });
  });

  app.delete<{ Params: { id: string } }>('/api/sources/:id', async (req, reply) => {
    if (!registry.get(req.params.id)) {
      throw notFound(`no source "${req.params.id}"`);
    }
    await registry.remove(req.params.id).catch((err: unknown) => {
      throw conflicts(err);
    });
    return reply.code(204).send();
  });
}
