import type { FastifyInstance } from 'fastify';
import type { AnonymousHealth, Check, HealthResponse, IngestTotals } from '../../../shared/api';
import { queueDepth } from '../../aws/queueDepth';
import { errorMessage } from '../../log';
import type { ApiContext, StoreReads } from '../context';

/** Objects by outcome, events, malformed records and rejected messages, over everything ingested. */
export async function ingestTotals(store: StoreReads): Promise<IngestTotals> {
  const [ledger, rejectedMessages] = await Promise.all([store.ledger.totals(), store.rejected.count()]);
  return { ...ledger, rejectedMessages };
}

/**
 * `GET /api/health`, the one public route: without the token it says only whether the sidecar
 * serves and its store answers, so a stranger learns no queue URL (account ids) and cannot make
 * it call AWS; with the token, every check with its reason and the ingest totals.
 */
export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/health', { config: { public: true } }, async (req, reply): Promise<HealthResponse | AnonymousHealth> => {
    if (!req.authenticated) {
      const up = await ctx.store.ping().then(
        () => true,
        () => false
      );
      reply.code(up ? 200 : 503);
      return { status: up ? 'ok' : 'error' };
    }
    const store: Check = { name: `store (${ctx.store.kind})`, status: 'ok' };
    let ingest: IngestTotals = { objectsOk: 0, objectsFailed: 0, objectsSkipped: 0, events: 0, malformed: 0, rejectedMessages: 0 };
    try {
      await ctx.store.ping();
      ingest = await ingestTotals(ctx.store);
    } catch (err) {
      store.status = 'error';
      store.detail = errorMessage(err);
    }
    const queues = await Promise.all(
      ctx.queues().map(async (q): Promise<Check> => {
        const name = `${q.source.id} ${q.kind} queue`;
        try {
          const depth = await queueDepth(ctx.aws, q.region, q.url);
          return { name, status: 'ok', detail: `${q.url}: ${depth.visible} waiting, ${depth.inFlight} in flight` };
        } catch (err) {
          return { name, status: 'error', detail: `${q.url}: ${errorMessage(err)}` };
        }
      })
    );
    const status = store.status === 'ok' && queues.every((q) => q.status === 'ok') ? 'ok' : 'error';
    reply.code(status === 'ok' ? 200 : 503);
    return { status, version: ctx.version, store, queues, ingest };
  });
}
