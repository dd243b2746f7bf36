import { gzipSync } from 'node:zlib';
import { buildIncident, type Incident, type PlantedEvent } from './incident';
import type { ResolvedOptions } from './options';
import { Random, seedOf } from './random';
import { byTime, type LogItem } from './logItem';
import { buildStreams, type Stream } from './streams';
import { DAY, startOfDay } from './time';
import { GENERATED_LOG_TYPES, type GeneratedLogType, type GeneratedObject, type PlannedObject } from './types';
import { windowMass, windows, type Window } from './volume';
import { buildWorld, type World } from './world';

/** A planned object with what its body needs. */
export interface PlanEntry extends PlannedObject {
  stream: Stream;
  part: number;
  background: number;
  plantedEvents: PlantedEvent[];
}

/**
 * Which objects the bucket holds and how many events each, decided from the seed without
 * writing a body; `render` writes one object's body, independently of every other.
 */
export class BucketPlan {
  readonly world: World;
  readonly incident: Incident | null;
  readonly streams: Stream[];
  private readonly massByType = new Map<GeneratedLogType, number>();
  private readonly planted = new Map<string, PlantedEvent[]>();

  constructor(readonly options: ResolvedOptions) {
    this.world = buildWorld(options);
    this.streams = buildStreams(this.world, options);
    this.incident = buildIncident(this.world, options);
    for (const type of GENERATED_LOG_TYPES) {
      let mass = 0;
      for (const w of windows(options.start, options.end, options.fileMs[type])) {
        mass += windowMass(type, w);
      }
      this.massByType.set(type, mass);
    }
    const streamIds = new Set(this.streams.map((s) => s.id));
    for (const event of this.incident?.planted ?? []) {
      if (!streamIds.has(event.stream)) {
        throw new Error(`planted ${event.logType} event at ${new Date(event.time).toISOString()} has no stream "${event.stream}"`);
      }
      const slot = this.slot(event.stream, Math.floor(event.time / options.fileMs[event.logType]) * options.fileMs[event.logType]);
      const list = this.planted.get(slot) ?? [];
      list.push(event);
      this.planted.set(slot, list);
    }
  }

  /** Every object, day by day in the chosen order; within a day by window, then stream. */
  *entries(): Generator<PlanEntry> {
    const { start, end, order } = this.options;
    const days: number[] = [];
    for (let day = startOfDay(start); day < end; day += DAY) {
      days.push(day);
    }
    if (order === 'newest') {
      days.reverse();
    }
    for (const day of days) {
      const from = Math.max(day, start);
      const to = Math.min(day + DAY, end);
      const slots: Array<{ stream: Stream; window: Window }> = [];
      for (const stream of this.streams) {
        for (const window of windows(from, to, this.options.fileMs[stream.type])) {
          slots.push({ stream, window });
        }
      }
      const direction = order === 'newest' ? -1 : 1;
      slots.sort((a, b) => direction * (a.window.stamp - b.window.stamp || a.stream.index - b.stream.index));
      for (const { stream, window } of slots) {
        for (const entry of this.objectsOf(stream, window)) {
          yield entry;
        }
      }
    }
  }

  /** The objects of one window of one stream: none, one, or several when it is very busy. */
  private objectsOf(stream: Stream, window: Window): PlanEntry[] {
    const background = this.backgroundCount(stream, window);
    const planted = this.planted.get(this.slot(stream.id, window.stamp)) ?? [];
    const total = background + planted.length;
    const parts = Math.ceil(total / stream.maxPerFile);
    const entries: PlanEntry[] = [];
    for (let part = 0; part < parts; part++) {
      const share = Math.floor((background * (part + 1)) / parts) - Math.floor((background * part) / parts);
      const plantedEvents = part === 0 ? planted : [];
      entries.push({
        key: stream.key(window.stamp, new Random(seedOf(this.options.seed, 'key', stream.id, window.stamp, part))),
        logType: stream.type,
        account: stream.account,
        region: stream.region,
        keyTime: window.stamp,
        windowStart: window.from,
        windowEnd: window.to,
        events: share + plantedEvents.length,
        planted: plantedEvents.length,
        stream,
        part,
        background: share,
        plantedEvents,
      });
    }
    return entries;
  }

  private backgroundCount(stream: Stream, window: Window): number {
    const mass = this.massByType.get(stream.type)!;
    const expected = (this.options.eventsByType[stream.type] * stream.share * windowMass(stream.type, window)) / mass;
    const random = new Random(seedOf(this.options.seed, 'count', stream.id, window.stamp));
    const jitter = 0.7 + 0.6 * random.next();
    return Math.floor(expected * jitter + random.next());
  }

  private slot(streamId: string, stamp: number): string {
    return `${streamId}@${stamp}`;
  }

  /** Writes the object's body: background and planted events in time order, gzipped. */
  render(entry: PlanEntry): GeneratedObject {
    const random = new Random(seedOf(this.options.seed, 'body', entry.stream.id, entry.keyTime, entry.part));
    const items: LogItem[] = entry.stream.items(random, entry.background, entry.windowStart, entry.windowEnd);
    for (const p of entry.plantedEvents) {
      items.push({ time: p.time, text: p.text });
    }
    byTime(items);
    const body = gzipSync(entry.stream.body(items), { level: this.options.gzipLevel });
    return { ...plannedObject(entry), body, minTime: items[0].time, maxTime: items[items.length - 1].time };
  }
}

/** The public part of an entry. */
export function plannedObject(e: PlanEntry): PlannedObject {
  return {
    key: e.key,
    logType: e.logType,
    account: e.account,
    region: e.region,
    keyTime: e.keyTime,
    windowStart: e.windowStart,
    windowEnd: e.windowEnd,
    events: e.events,
    planted: e.planted,
  };
}
