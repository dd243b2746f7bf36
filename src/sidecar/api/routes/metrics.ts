import type { FastifyInstance } from 'fastify';
import type { Backfill } from '../../../shared/backfill';
import { queueDepth } from '../../aws/queueDepth';
import type { ApiContext, LedgerCounts, StoreReads } from '../context';

type Labels = Record<string, string>;

interface Metric {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Array<{ labels: Labels; value: number }>;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** The Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(metrics: Metric[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const s of m.samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escape(v)}"`)
        .join(',');
      lines.push(`${m.name}${labels ? `{${labels}}` : ''} ${Number.isFinite(s.value) ? s.value : 'NaN'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function storeMetrics(store: StoreReads, now: number): Promise<Metric[]> {
  const [ledger, lag, rejected, backfills] = await Promise.all([
    store.ledger.counts(),
    store.ledger.lastIngest(),
    store.rejected.countsBySource(),
    store.backfills.countsByState(),
  ]);
  const ok = ledger.filter((r) => r.status === 'ok');
  const per = (rows: LedgerCounts[], value: (r: LedgerCounts) => number, withStatus = false) =>
    rows.map((r) => ({ labels: { source: r.sourceId, queue: r.queue, ...(withStatus ? { status: r.status } : {}) }, value: value(r) }));
  const seconds = (ms: number | null) => (ms === null ? NaN : Math.max(0, (now - ms) / 1000));
  return [
    {
      name: 'lookback_objects_total',
      help: 'S3 objects handled, by outcome (ok, failed, skipped), from the ingest ledger.',
      type: 'counter',
      samples: per(ledger, (r) => r.objects, true),
    },
    { name: 'lookback_ingested_bytes_total', help: 'Bytes of S3 objects ingested (as stored in S3).', type: 'counter', samples: per(ok, (r) => r.bytes) },
    { name: 'lookback_ingested_events_total', help: 'Events stored.', type: 'counter', samples: per(ok, (r) => r.events) },
    {
      name: 'lookback_malformed_records_total',
      help: 'Records that could not be parsed (kept as samples in the ledger).',
      type: 'counter',
      samples: per(ledger, (r) => r.malformed),
    },
    {
      name: 'lookback_ingest_failures_total',
      help: 'Objects that failed (missing, unreadable, not the expected format).',
      type: 'counter',
      samples: per(
        ledger.filter((r) => r.status === 'failed'),
        (r) => r.objects
      ),
    },
    {
      name: 'lookback_rejected_messages_total',
      help: 'Queue messages that were not S3 notifications.',
      type: 'counter',
      samples: rejected.map((r) => ({ labels: { source: r.sourceId }, value: r.count })),
    },
    {
      name: 'lookback_ingest_lag_seconds',
      help: 'Age of the newest event ingested from the live queue: how far live ingest is behind.',
      type: 'gauge',
      samples: lag.filter((r) => r.newestLiveEvent !== null).map((r) => ({ labels: { source: r.sourceId }, value: seconds(r.newestLiveEvent) })),
    },
    {
      name: 'lookback_last_ingest_age_seconds',
      help: 'Seconds since the last object was ingested.',
      type: 'gauge',
      samples: lag.map((r) => ({ labels: { source: r.sourceId }, value: seconds(r.lastIngested) })),
    },
    {
      name: 'lookback_backfills',
      help: 'Backfills by state.',
      type: 'gauge',
      samples: backfills.map((r) => ({ labels: { state: r.state }, value: r.count })),
    },
  ];
}

/** What a scaler and a dashboard want of the backfills in progress: objects left, prefixes left to list, and the ETA. */
async function backfillMetrics(ctx: ApiContext): Promise<Metric[]> {
  const active = await ctx.backfills.active();
  const labels = (b: Backfill) => ({ backfill: b.id, source: b.sourceId, state: b.state });
  const handled = (b: Backfill) => b.counters.processed + b.counters.failed + b.counters.skipped + b.counters.cancelled;
  return [
    {
      name: 'lookback_backfill_objects_listed',
      help: 'Objects a backfill in progress has listed so far (and sent a notification for).',
      type: 'gauge',
      samples: active.map((b) => ({ labels: labels(b), value: b.counters.listed })),
    },
    {
      name: 'lookback_backfill_objects_remaining',
      help: 'Objects a backfill in progress has listed and not yet handled; prefixes still to list add more.',
      type: 'gauge',
      samples: active.map((b) => ({ labels: labels(b), value: Math.max(0, b.counters.listed - handled(b)) })),
    },
    {
      name: 'lookback_backfill_prefixes_remaining',
      help: 'Planned prefixes of a backfill in progress not yet listed to their last page.',
      type: 'gauge',
      samples: active.map((b) => ({ labels: labels(b), value: b.listing ? b.listing.units - b.listing.unitsDone : NaN })),
    },
    {
      name: 'lookback_backfill_eta_seconds',
      help: 'Expected seconds until a backfill in progress is done, at the rate its objects were handled so far (NaN before the first).',
      type: 'gauge',
      samples: active.map((b) => ({ labels: labels(b), value: b.etaSeconds ?? NaN })),
    },
  ];
}

/** What this sidecar is and does now: its roles, and the messages it works on per kind of queue. */
function sidecarMetrics(ctx: ApiContext): Metric[] {
  return [
    {
      name: 'lookback_sidecar_info',
      help: 'This sidecar: version, roles and store kind (always 1).',
      type: 'gauge',
      samples: [{ labels: { version: ctx.version, roles: ctx.config.roles.join(','), store: ctx.store.kind }, value: 1 }],
    },
    {
      name: 'lookback_sidecar_messages_in_flight',
      help: 'Messages this sidecar works on now, per kind of queue (at the configured concurrency it is saturated).',
      type: 'gauge',
      samples: Object.entries(ctx.inFlight()).map(([kind, value]) => ({ labels: { queue: kind }, value })),
    },
    ...insertMetrics(ctx),
    ...priorityMetrics(ctx),
  ];
}

/** The inserts of events this sidecar made: rows per insert is the rate of the one over the other. */
function insertMetrics(ctx: ApiContext): Metric[] {
  const counts = ctx.inserts.byQueue();
  return [
    {
      name: 'lookback_event_inserts_total',
      help: 'Inserts of events this sidecar made into the store, by kind of queue (each is a part the store merges later).',
      type: 'counter',
      samples: counts.map((c) => ({ labels: { queue: c.queue }, value: c.inserts })),
    },
    {
      name: 'lookback_event_insert_rows_total',
      help: 'Rows of those inserts, by kind of queue (repeats the store dropped as duplicates included).',
      type: 'counter',
      samples: counts.map((c) => ({ labels: { queue: c.queue }, value: c.rows })),
    },
  ];
}

/** What this sidecar's query-driven priority did since it started: requests taken, and objects its lane loaded first. */
function priorityMetrics(ctx: ApiContext): Metric[] {
  const { stats } = ctx.priority;
  return [
    {
      name: 'lookback_backfill_priority_requests_total',
      help: 'Requests to load hours of a running backfill first, by reason (query, asked) and outcome (accepted; coalesced: hours already asked for; refused: a bound).',
      type: 'counter',
      samples: stats.requestCounts().map((r) => ({ labels: { reason: r.reason, outcome: r.outcome }, value: r.count })),
    },
    {
      name: 'lookback_backfill_priority_objects_total',
      help: "Objects this sidecar's priority lane ingested ahead of the backfill: of the wanted hours, and others in the same messages.",
      type: 'counter',
      samples: [
        { labels: { hours: 'wanted' }, value: stats.objectsWanted },
        { labels: { hours: 'along' }, value: stats.objectsAlong },
      ],
    },
    {
      name: 'lookback_backfill_priority_messages_total',
      help: "Backfill messages this sidecar's priority lane ingested ahead of the backfill queue.",
      type: 'counter',
      samples: [{ labels: {}, value: stats.messages }],
    },
  ];
}

/**
 * `GET /metrics`: queue depth per live and backfill queue (the signal to scale sidecars on: the
 * same from every sidecar, since they share the queues), the backfills in progress, this
 * sidecar's own work, and ingest counters.
 */
export function metricsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/metrics', { config: { public: ctx.config.metrics.public } }, async (_req, reply) => {
    const queues = await Promise.all(
      ctx.queues().map(async (q) => {
        const labels = { source: q.source.id, queue: q.kind };
        try {
          return { labels, depth: await queueDepth(ctx.aws, q.region, q.url), up: 1 };
        } catch {
          return { labels, depth: { visible: NaN, inFlight: NaN }, up: 0 };
        }
      })
    );
    const metrics: Metric[] = [
      {
        name: 'lookback_queue_messages_visible',
        help: 'Messages waiting in the queue (SQS ApproximateNumberOfMessages).',
        type: 'gauge',
        samples: queues.map((q) => ({ labels: q.labels, value: q.depth.visible })),
      },
      {
        name: 'lookback_queue_messages_in_flight',
        help: 'Messages received and not yet deleted (SQS ApproximateNumberOfMessagesNotVisible).',
        type: 'gauge',
        samples: queues.map((q) => ({ labels: q.labels, value: q.depth.inFlight })),
      },
      {
        name: 'lookback_queue_up',
        help: '1 when the queue answered GetQueueAttributes.',
        type: 'gauge',
        samples: queues.map((q) => ({ labels: q.labels, value: q.up })),
      },
      ...(await backfillMetrics(ctx)),
      ...sidecarMetrics(ctx),
      ...(await storeMetrics(ctx.store, Date.now())),
    ];
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(metrics));
  });
}
