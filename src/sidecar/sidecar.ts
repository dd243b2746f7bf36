import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { resolveApiToken } from './api/auth';
import type { ApiContext } from './api/context';
import { describePolicy, hostPolicy } from './api/hosts';
import { buildApi } from './api/server';
import { createAwsClients, type AwsClients } from './aws/clients';
import { S3BucketReader } from './backfill/bucketReader';
import { BackfillDirectory } from './backfill/directory';
import { Enqueuer } from './backfill/enqueuer';
import { PriorityService } from './backfill/priority';
import { PRIORITY_BOUNDS } from './backfill/priorityBounds';
import { PriorityLane } from './backfill/priorityLane';
import { PriorityStats } from './backfill/priorityStats';
import { BackfillService } from './backfill/service';
import { measuredThroughput } from './backfill/throughput';
import { BackfillTracker } from './backfill/tracker';
import { ListingUnitHandler } from './backfill/unitHandler';
import { BACKFILL_MESSAGES } from './config/schema';
import type { LookbackConfig } from './config/types';
import { PACK_DIR } from './detect/pack';
import { RuleSet } from './detect/ruleSet';
import { DetectionService } from './detect/service';
import { tryRules, type TryResult } from './detect/tryRules';
import { BatchedLedger } from './ingest/batchedLedger';
import { NotificationHandler } from './ingest/handler';
import { InsertStats } from './ingest/insertStats';
import { LIVE_GROUP_OBJECTS } from './ingest/liveGroups';
import { toEventRow } from './ingest/rows';
import type { LogType } from '../shared/api';
import type { Logger } from './log';
import { QueryService } from './query/service';
import { callableBindings, queueBindings, type QueueBinding } from './queue/bindings';
import { isListingUnit } from './queue/listingUnit';
import type { QueueMessage } from './queue/message';
import { FirstGate } from './queue/firstGate';
import { routeMessages } from './queue/route';
import { SqsSource } from './queue/sqsSource';
import { SourceRegistry } from './sources/registry';
import { BackfillTables } from './store/backfills';
import { EventsTable } from './store/events';
import { LedgerTable } from './store/ledger';
import { LiveGroupTable } from './store/liveGroups';
import { PriorityTables } from './store/priority';
import { openStore } from './store/open';
import { restrictToOwner } from './store/permissions';
import { RejectedTable } from './store/rejected';
import type { Store } from './store/store';
import { VERSION } from './version';

export interface RunningSidecar {
  url: string;
  token: string;
  store: Store;
  stop(): Promise<void>;
}

/** The services of one sidecar, built on one store and wired together, none started yet. */
export interface Services {
  registry: SourceRegistry;
  backfills: BackfillService;
  source: SqsSource;
  detections: DetectionService;
  /** Loads the hours searches and people ask for first (started with the ingest role). */
  lane: PriorityLane;
  api: ApiContext;
}

/**
 * The one place the sidecar's parts are built and wired: the store's tables behind the interfaces
 * backfill/, ingest/ and api/ declare, the backfill directory shared by the backfill service, the
 * listing-unit handler and the tracker ingest asks, the query service, the SQS source with its
 * handlers (a backfill queue carries listing units and notifications), and what the HTTP routes
 * use. Nothing runs until `startSidecar` starts it, and only what the sidecar's roles ask for.
 */
export function buildServices(config: LookbackConfig, store: Store, aws: AwsClients, log: Logger): Services {
  const registry = new SourceRegistry(store, log);
  const tables = { events: new EventsTable(store), ledger: new LedgerTable(store), rejected: new RejectedTable(store), backfills: new BackfillTables(store) };
  const directory = new BackfillDirectory(tables.backfills);
  const priorityRepo = new PriorityTables(store);
  const priorityStats = new PriorityStats();
  const throughput = () => measuredThroughput(tables.ledger, config.ingest.backfillConcurrency);
  // The lane is built below, with the handler it feeds; a request wakes it.
  let lane: PriorityLane | undefined;
  const priority = new PriorityService({
    repo: priorityRepo,
    directory,
    sources: () => registry.list(),
    throughput,
    wake: () => lane?.wake(),
    stats: priorityStats,
  });
  const backfills = new BackfillService({
    directory,
    ledger: tables.ledger,
    events: tables.events,
    aws,
    log,
    sources: () => registry.list(),
    ingest: config.ingest,
    pulledForward: (ids) => priority.pulledForward(ids),
  });
  const search = new QueryService(store, {
    limits: { maxExecutionSeconds: config.query.maxExecutionSeconds },
    loadFirst: (notice, logTypes, text) => priority.fromQuery(notice, logTypes, text),
  });
  const tracker = new BackfillTracker(directory, aws);
  const inserts = new InsertStats();
  // Only this process writes the embedded store: live objects may share inserts (ingest/liveGroups.ts).
  const liveGroups = store.kind === 'chdb' ? { table: new LiveGroupTable(store), lingerMs: config.ingest.liveGroupMs } : undefined;
  const notifications = new NotificationHandler({
    store,
    ledger: new BatchedLedger(store),
    backfills: tracker,
    log,
    ingest: config.ingest,
    inserts,
    liveGroups,
  });
  // As the notification handler records the messages it does not read.
  const reject = async (message: QueueMessage, reason: string) => {
    log.warn({ queue: message.binding.url, source: message.binding.source.id, messageId: message.id, reason }, 'rejected message');
    await store.recordRejected({
      sourceId: message.binding.source.id,
      queue: message.binding.url,
      messageId: message.id,
      reason,
      body: message.body.slice(0, 2000),
      receivedAt: new Date().toISOString(),
    });
  };
  const listing = new ListingUnitHandler({
    directory,
    bucket: (record, signal) => new S3BucketReader(tracker.awsFor(record).s3(record.region), record.bucket, signal),
    queue: (binding, signal) => new Enqueuer(aws.sqs(binding.region), binding.url, signal),
    log,
    reject,
    pageSize: config.ingest.listPageSize,
  });
  const laneFirst = new FirstGate(PRIORITY_BOUNDS.yieldMs);
  const source = new SqsSource({
    sqs: (region) => aws.sqs(region),
    handlers: { live: notifications, backfill: routeMessages([{ takes: isListingUnit, handler: listing }], notifications) },
    // Live messages whose objects were read wait in groups (liveGroups.ts) while others are read.
    concurrency: {
      live: liveGroups && liveGroups.lingerMs > 0 ? Math.max(config.ingest.liveConcurrency, LIVE_GROUP_OBJECTS) : config.ingest.liveConcurrency,
      backfill: BACKFILL_MESSAGES,
    },
    waitTimeSeconds: config.ingest.waitTimeSeconds,
    visibilityTimeoutSeconds: config.ingest.visibilityTimeoutSeconds,
    log,
    laneFirst,
  });
  lane = new PriorityLane({
    repo: priorityRepo,
    directory,
    sources: () => registry.list(),
    handler: notifications,
    bucket: (record, signal) => new S3BucketReader(tracker.awsFor(record).s3(record.region), record.bucket, signal),
    gate: laneFirst,
    liveIdle: (signal) => source.liveIdle(signal),
    throughput,
    stats: priorityStats,
    log,
    pageSize: config.ingest.listPageSize,
  });
  const detections = new DetectionService(store, RuleSet.fromPaths([...(config.detect.pack ? [PACK_DIR] : []), ...config.detect.rulePaths]), log, {
    schedule: config.detect.enabled,
    owner: `${hostname()}:${process.pid}`,
    tickMs: config.detect.tickSeconds * 1000,
    settleMs: config.detect.settleSeconds * 1000,
    channels: config.detect.notifications.channels,
    links: { grafanaUrl: config.detect.notifications.grafanaUrl, datasourceUid: config.detect.notifications.datasourceUid },
  });
  const api: ApiContext = {
    config,
    aws,
    log,
    version: VERSION,
    registry,
    sources: () => registry.list(),
    queues: () => queueBindings(registry.list()),
    inFlight: () => source.messagesInFlight(),
    inserts,
    backfills,
    priority: { ask: (id, body) => priority.ask(id, body), stats: priorityStats },
    search,
    store: { kind: store.kind, describe: () => store.describe(), version: () => store.version(), ping: () => store.ping(), ...tables },
    detections,
  };
  return { registry, backfills, source, detections, lane, api };
}

/**
 * Opens the store, then starts, in order, the sources, the backfill watch, the queue consumers
 * (role `ingest`), the detection rules (schedule, notifier; runs are claimed once per window, so
 * every sidecar may run them) and the HTTP API (every route with role `api`; health and metrics
 * only without); `stop` stops them in the reverse order.
 */
export async function startSidecar(config: LookbackConfig, log: Logger): Promise<RunningSidecar> {
  restrictToOwner(config, log);
  const store = await openStore(config, log);
  const aws = createAwsClients(config.aws);
  const services = buildServices(config, store, aws, log);
  const { registry, backfills, source, detections, lane } = services;
  const { token, created, file } = resolveApiToken(config.apiToken, config.dataDir);
  if (created) {
    process.stderr.write(`\nlookback: generated an API token (saved in ${file}); it is shown this once:\n\n  ${token}\n\n`);
  }

  await registry.open(config.sources);
  backfills.startWatching();
  if (config.roles.includes('ingest')) {
    const refused = (binding: QueueBinding, problem: string) =>
      log.error({ source: binding.source.id, queue: binding.url, reason: problem }, 'queue not polled: its URL is refused');
    const follow = () => source.setBindings(callableBindings(queueBindings(registry.list()), config.aws.endpoint, refused));
    registry.onChange(follow);
    follow();
    lane.start();
  }
  detections.start();
  let api: FastifyInstance;
  try {
    api = buildApi(services.api, token, { routes: config.roles.includes('api') ? 'all' : 'operations' });
    await api.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    await stopAll();
    await store.close();
    throw err;
  }
  const publicRoutes = api.routeSummaries.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
  log.info({ publicRoutes, allowedHosts: describePolicy(hostPolicy(config.listen)) }, 'every other route needs the API token');
  log.debug({ routes: api.routeSummaries }, 'api routes');
  const address = api.server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  log.info({ url, roles: config.roles, store: store.kind, storeAt: store.describe(), sources: registry.list().map((s) => s.id) }, 'sidecar started');

  async function stopAll(): Promise<void> {
    await detections.stop();
    registry.close();
    await lane.stop();
    await source.stop(config.ingest.shutdownGraceSeconds * 1000);
    await backfills.stop();
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    token,
    store,
    stop() {
      stopping ??= (async () => {
        log.info('stopping: no more receives, finishing in-flight messages');
        await api.close();
        await stopAll();
        await store.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}

/** `lookback rules test`: the rules of a file over raw log records, parsed and stored as ingest stores them, in a temporary store. */
export function tryRuleFile(ruleFile: string, eventsFile: string, logType?: LogType): Promise<TryResult> {
  return tryRules(ruleFile, eventsFile, logType, toEventRow);
}
