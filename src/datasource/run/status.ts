import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { progressShare } from '../../api/progress';
import type { Backfill, SourceStatus } from '../../shared/backfill';
import type { SidecarClient } from '../../api/client';
import type { LookbackQuery } from '../types';
import { toQueryError } from './queryError';
import type { TargetResult } from './search';

const time = (iso: string | null) => (iso ? Date.parse(iso) : null);

function sourcesFrame(refId: string, sources: SourceStatus[]): DataFrame {
  const column = <T>(pick: (s: SourceStatus) => T) => sources.map(pick);
  return createDataFrame({
    refId,
    name: 'sources',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'source', type: FieldType.string, values: column((s) => s.source.id) },
      { name: 'logType', type: FieldType.string, values: column((s) => s.source.logType) },
      { name: 'bucket', type: FieldType.string, values: column((s) => s.source.bucket) },
      { name: 'lastEvent', type: FieldType.time, values: column((s) => time(s.lastEventTime)) },
      { name: 'eventsLast24h', type: FieldType.number, values: column((s) => s.eventsLast24h) },
      { name: 'liveQueued', type: FieldType.number, values: column((s) => s.liveQueue?.visible ?? null) },
      { name: 'liveInFlight', type: FieldType.number, values: column((s) => s.liveQueue?.inFlight ?? null) },
      { name: 'backfillQueued', type: FieldType.number, values: column((s) => s.backfillQueue?.visible ?? null) },
      { name: 'backfillInFlight', type: FieldType.number, values: column((s) => s.backfillQueue?.inFlight ?? null) },
      { name: 'failedObjects', type: FieldType.number, values: column((s) => s.failedObjects) },
      { name: 'malformedRecords', type: FieldType.number, values: column((s) => s.malformedRecords) },
    ],
  });
}

function backfillsFrame(refId: string, backfills: Backfill[]): DataFrame {
  const column = <T>(pick: (b: Backfill) => T) => backfills.map(pick);
  return createDataFrame({
    refId,
    name: 'backfills',
    meta: { preferredVisualisationType: 'table' },
    fields: [
      { name: 'backfill', type: FieldType.string, values: column((b) => b.id) },
      { name: 'source', type: FieldType.string, values: column((b) => b.sourceId) },
      { name: 'state', type: FieldType.string, values: column((b) => b.state) },
      { name: 'progress', type: FieldType.number, values: column((b) => progressShare(b)), config: { unit: 'percentunit', min: 0, max: 1 } },
      { name: 'objectsListed', type: FieldType.number, values: column((b) => b.counters.listed) },
      { name: 'objectsProcessed', type: FieldType.number, values: column((b) => b.counters.processed) },
      { name: 'objectsFailed', type: FieldType.number, values: column((b) => b.counters.failed) },
      { name: 'events', type: FieldType.number, values: column((b) => b.counters.events) },
      { name: 'eventsPerSecond', type: FieldType.number, values: column((b) => b.eventsPerSecond), config: { unit: 'short' } },
      { name: 'eta', type: FieldType.number, values: column((b) => b.etaSeconds), config: { unit: 's' } },
      { name: 'started', type: FieldType.time, values: column((b) => time(b.createdAt)) },
      { name: 'coverageFrom', type: FieldType.time, values: column((b) => time(b.coverage.from)) },
      { name: 'coverageTo', type: FieldType.time, values: column((b) => time(b.coverage.to)) },
    ],
  });
}

/** The sidecar's own state as a table: sources with their queues, or backfills with progress. */
export async function runStatus(client: SidecarClient, target: LookbackQuery): Promise<TargetResult> {
  try {
    if (target.status === 'sources') {
      return { frames: [sourcesFrame(target.refId, await client.sources())] };
    }
    return { frames: [backfillsFrame(target.refId, await client.backfills())] };
  } catch (err) {
    return { frames: [], error: toQueryError(err, target.refId) };
  }
}
