import { albBody, albKey } from './alb';
import { albItems } from './albTraffic';
import { cloudTrailBody, cloudTrailKey, TrailWriter } from './cloudtrail';
import type { ResolvedOptions } from './options';
import type { Random } from './random';
import type { LogItem } from './logItem';
import { albStream, flowStream, trailStream } from './streamIds';
import { HOUR } from './time';
import type { GeneratedLogType } from './types';
import { flowBody, flowKey, FlowWriter } from './vpcflow';
import type { World } from './world';

/** A series of objects one writer delivers: a trail's region folder, a load balancer node, a flow log. */
export interface Stream {
  id: string;
  index: number;
  type: GeneratedLogType;
  account: string;
  region: string;
  /** Share of its type's background events. */
  share: number;
  /** More events than this in one window are split over several objects. */
  maxPerFile: number;
  key(stamp: number, random: Random): string;
  items(random: Random, count: number, from: number, to: number): LogItem[];
  body(items: LogItem[]): string;
}

const MAX_PER_FILE: Record<GeneratedLogType, number> = { cloudtrail: 5_000, alb: 100_000, vpcflow: 200_000 };

/** Builds its writer on first use, so planning alone stays cheap. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function buildStreams(world: World, options: ResolvedOptions): Stream[] {
  const streams: Array<Omit<Stream, 'index'>> = [];
  const stolenHour = options.incidentAt === null ? null : Math.floor(options.incidentAt / HOUR);
  if (options.types.includes('cloudtrail')) {
    const total = [...world.trailShares.values()].reduce((a, b) => a + b, 0);
    for (const account of world.accounts) {
      for (const region of world.regions) {
        const writer = lazy(
          () => new TrailWriter(world, account, region, account.id === world.shop.account && region === world.shop.region ? stolenHour : null)
        );
        streams.push({
          id: trailStream(account.id, region),
          type: 'cloudtrail',
          account: account.id,
          region,
          share: world.trailShares.get(`${account.id}/${region}`)! / total,
          maxPerFile: MAX_PER_FILE.cloudtrail,
          key: (stamp, random) => cloudTrailKey(account.id, region, stamp, random),
          items: (random, count, from, to) => writer().items(random, count, from, to),
          body: cloudTrailBody,
        });
      }
    }
  }
  if (options.types.includes('alb')) {
    const total = world.lbs.reduce((a, lb) => a + lb.share, 0);
    for (const lb of world.lbs) {
      for (const node of lb.nodes) {
        streams.push({
          id: albStream(lb.name, lb.account, lb.region, node.ip),
          type: 'alb',
          account: lb.account,
          region: lb.region,
          share: lb.share / total / lb.nodes.length,
          maxPerFile: MAX_PER_FILE.alb,
          key: (stamp, random) => albKey(lb, node, stamp, random),
          items: (random, count, from, to) => albItems(lb, random, count, from, to),
          body: albBody,
        });
      }
    }
  }
  if (options.types.includes('vpcflow')) {
    const total = world.vpcs.reduce((a, v) => a + v.share, 0);
    for (const vpc of world.vpcs) {
      const writer = lazy(() => new FlowWriter(vpc));
      streams.push({
        id: flowStream(vpc.flowLogId, vpc.account, vpc.region),
        type: 'vpcflow',
        account: vpc.account,
        region: vpc.region,
        share: vpc.share / total,
        maxPerFile: MAX_PER_FILE.vpcflow,
        key: (stamp, random) => flowKey(vpc, stamp, random),
        items: (random, count, from, to) => writer().items(random, count, from, to),
        body: flowBody,
      });
    }
  }
  return streams.map((s, index) => ({ ...s, index }));
}
