import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { FastifyInstance } from 'fastify';
import type { Check, HealthResponse, IngestTotals } from '../../../shared/api';
import { errorMessage } from '../../log';
import type { Store } from '../../store/store';
import type { ApiContext } from '../context';

const QUEUE_CHECK_TIMEOUT_MS = 3000;

export async function ingestTotals(store: Store): Promise<IngestTotals> {
  const { rows } = await store.query<Record<string, number>>(
    `SELECT
       countIf(status = 'ok') AS objectsOk,
       countIf(status = 'failed') AS objectsFailed,
       countIf(status = 'skipped') AS objectsSkipped,
       sum(events) AS events,
       sum(malformed) AS malformed,
       (SELECT count() FROM rejected_messages FINAL) AS rejectedMessages
     FROM ingest_ledger FINAL`
  );
  const r = rows[0] ?? {};
  return {
    objectsOk: Number(r.objectsOk ?? 0),
    objectsFailed: Number(r.objectsFailed ?? 0),
    objectsSkipped: Number(r.objectsSkipped ?? 0),
    events: Number(r.events ?? 0),
    malformed: Number(r.malformed ?? 0),
    rejectedMessages: Number(r.rejectedMessages ?? 0),
  };
}

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/health', async (_req, reply): Promise<HealthResponse> => {
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
          const attrs = await ctx.aws
            .sqs(q.region)
            .send(
              new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
              { abortSignal: AbortSignal.timeout(QUEUE_CHECK_TIMEOUT_MS) }
            );
          const visible = attrs.Attributes?.ApproximateNumberOfMessages ?? '?';
          const inFlight = attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '?';
          return { name, status: 'ok', detail: `${q.url}: ${visible} waiting, ${inFlight} in flight` };
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
