import type { Backfill, BackfillRequest } from '../../src/shared/backfill';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { createBucket, type Bucket } from '../../src/sidecar/generate/bucket';
import type { GenerateOptions } from '../../src/sidecar/generate/types';
import { uploadObjects } from '../../src/sidecar/generate/upload';
import { s3Client } from './harness/bucket';
import { eventually, type SidecarProcess } from './harness/processes';

/** 30 days of CloudTrail, ALB and VPC flow logs in 1,920 objects (90-minute files), about 20,000 events. */
export const GENERATED: GenerateOptions = {
  seed: 'backfill-tests',
  end: '2026-11-01T00:00:00Z',
  accounts: 1,
  regions: ['us-east-1'],
  days: 30,
  targetEvents: 20_000,
  fileMinutes: { cloudtrail: 90, alb: 90, vpcflow: 90 },
};

const DAY = 86_400_000;

/** Creates the source's bucket and queues in the emulator and writes the generated objects into the bucket. */
export async function generatedSource(endpoint: string, id: string, bucket: string): Promise<{ dev: DevSource; generated: Bucket }> {
  const dev = await createDevSource({ endpoint, id, bucket, logType: 'auto', visibilityTimeout: 10 });
  const generated = createBucket(GENERATED);
  await uploadObjects(s3Client(endpoint), bucket, generated.objects(), { concurrency: 16 });
  return { dev, generated };
}

/** A second source (its own queues) reading a bucket that already exists. */
export async function sourceOn(endpoint: string, id: string, bucket: string): Promise<DevSource> {
  return createDevSource({ endpoint, id, bucket, logType: 'auto', visibilityTimeout: 10 });
}

/** What the generator wrote for the UTC days [from, to): objects and events, per type too. */
export function expectedFor(generated: Bucket, from: string, to: string) {
  const days = generated.summary().byDay.filter((d) => d.day >= from.slice(0, 10) && d.day < to.slice(0, 10));
  const byType: Record<string, number> = {};
  for (const d of days) {
    for (const [type, counts] of Object.entries(d.byType)) {
      byType[type] = (byType[type] ?? 0) + (counts?.events ?? 0);
    }
  }
  return { days: days.length, objects: days.reduce((n, d) => n + d.objects, 0), events: days.reduce((n, d) => n + d.events, 0), byType };
}

export function dayRange(first: string, days: number): { from: string; to: string } {
  const from = Date.parse(`${first}T00:00:00Z`);
  return { from: new Date(from).toISOString(), to: new Date(from + days * DAY).toISOString() };
}

export async function startBackfill(sidecar: SidecarProcess, request: BackfillRequest): Promise<Backfill> {
  const { status, body } = await sidecar.api<Backfill & { message?: string }>('/api/backfills', { method: 'POST', body: JSON.stringify(request) });
  if (status !== 201) {
    throw new Error(`backfill not started: ${status} ${body.message}`);
  }
  return body;
}

export async function getBackfill(sidecar: SidecarProcess, id: string): Promise<Backfill> {
  return (await sidecar.api<Backfill>(`/api/backfills/${id}`)).body;
}

export function untilBackfill(sidecar: SidecarProcess, id: string, done: (b: Backfill) => boolean, what: string, timeoutMs = 60_000): Promise<Backfill> {
  return eventually(
    async () => {
      const backfill = await getBackfill(sidecar, id);
      return done(backfill) ? backfill : undefined;
    },
    what,
    timeoutMs
  );
}

export async function eventCount(sidecar: SidecarProcess, source: string, range?: { from: string; to: string }): Promise<number> {
  const query = new URLSearchParams({ source, ...(range ?? {}) });
  return (await sidecar.api<{ count: number }>(`/api/events/count?${query}`)).body.count;
}
