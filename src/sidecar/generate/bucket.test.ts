import { createBucket, generateBucket, summarizeBucket } from './bucket';
import { albFields, eventCount, readBack, type ReadBack } from './inspect';
import { GenerateOptionsError } from './options';
import { DAY, utcDay } from './time';
import type { GenerateOptions, GeneratedObject } from './types';

const SMALL: GenerateOptions = { seed: 42, end: '2024-03-10T00:00:00Z', days: 3, targetEvents: 6_000, accounts: 2 };

/** Event times in ms as a parser reads them: CloudTrail eventTime, ALB time, VPC flow start. */
function eventTimes(read: ReadBack): number[] {
  switch (read.logType) {
    case 'cloudtrail':
      return read.records.map((r) => Date.parse(String(r.eventTime)));
    case 'alb':
      return read.lines.map((l) => Date.parse(albFields(l)[1]));
    case 'vpcflow':
      return read.lines.map((l) => Number(l.split(' ')[10]) * 1000);
  }
}

describe('generateBucket', () => {
  const objects: GeneratedObject[] = [...generateBucket(SMALL)];

  it('makes a bucket of all three types, several accounts and regions', () => {
    expect(new Set(objects.map((o) => o.logType))).toEqual(new Set(['cloudtrail', 'alb', 'vpcflow']));
    expect(new Set(objects.map((o) => o.account)).size).toBe(2);
    expect(new Set(objects.map((o) => o.region))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    expect(new Set(objects.map((o) => o.key)).size).toBe(objects.length);
  });

  it('is deterministic: the same seed gives the same keys and the same bytes', () => {
    const again = [...generateBucket(SMALL)];
    expect(again.map((o) => o.key)).toEqual(objects.map((o) => o.key));
    again.forEach((o, i) => expect(o.body.equals(objects[i].body)).toBe(true));
  });

  it('gives another bucket for another seed', () => {
    const other = [...generateBucket({ ...SMALL, seed: 43 })];
    const keys = new Set(objects.map((o) => o.key));
    expect(other.filter((o) => keys.has(o.key))).toHaveLength(0);
  });

  it('plans exactly the objects it writes, without writing them', () => {
    const planned = [...createBucket(SMALL).planned()];
    expect(planned.map((p) => [p.key, p.events, p.planted])).toEqual(objects.map((o) => [o.key, o.events, o.planted]));
  });

  it('puts in each object the events it announces, inside its window, its key stamp and its day folder', () => {
    for (const o of objects) {
      const read = readBack(o.logType, o.body);
      expect(eventCount(read)).toBe(o.events);
      const times = eventTimes(read);
      expect(Math.min(...times)).toBe(o.minTime);
      expect(Math.max(...times)).toBe(o.maxTime);
      expect(o.minTime).toBeGreaterThanOrEqual(o.windowStart);
      expect(o.maxTime).toBeLessThan(o.windowEnd);
      expect(o.keyTime).toBeLessThanOrEqual(o.windowStart);
      const folder = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(o.key)!.slice(1).join('-');
      expect(utcDay(o.minTime)).toBe(folder);
      expect(utcDay(o.maxTime)).toBe(folder);
    }
  });

  it('sums up per type and per day, as the objects count them', () => {
    const summary = summarizeBucket(SMALL);
    expect(summary.objects).toBe(objects.length);
    expect(summary.events).toBe(objects.reduce((n, o) => n + o.events, 0));
    for (const type of ['cloudtrail', 'alb', 'vpcflow'] as const) {
      const ofType = objects.filter((o) => o.logType === type);
      expect(summary.byType[type]).toEqual({
        objects: ofType.length,
        events: ofType.reduce((n, o) => n + o.events, 0),
      });
    }
    expect(summary.byDay.map((d) => d.day)).toEqual(['2024-03-07', '2024-03-08', '2024-03-09']);
    for (const day of summary.byDay) {
      const inDay = objects.filter((o) => utcDay(o.minTime) === day.day);
      expect(day.events).toBe(inDay.reduce((n, o) => n + o.events, 0));
      expect(day.objects).toBe(inDay.length);
      expect(Object.values(day.byType).reduce((n, c) => n + c!.events, 0)).toBe(day.events);
    }
    expect(summary.byDay.reduce((n, d) => n + d.events, 0)).toBe(summary.events);
  });

  it('lands near the asked volume, plus the planted incident', () => {
    const summary = summarizeBucket(SMALL);
    const planted = Object.values(summary.incident!.plantedByType).reduce((a, b) => a + b!, 0);
    expect(summary.events - planted).toBeGreaterThan(6_000 * 0.9);
    expect(summary.events - planted).toBeLessThan(6_000 * 1.1);
    const perDay = summarizeBucket({ ...SMALL, targetEvents: undefined, eventsPerDay: 1_000, incident: false });
    expect(perDay.events).toBeGreaterThan(2_700);
    expect(perDay.events).toBeLessThan(3_300);
  });

  it('writes the newest day first when asked', () => {
    const newest = [...createBucket({ ...SMALL, order: 'newest' }).planned()];
    expect(new Set(newest.map((o) => o.key))).toEqual(new Set(objects.map((o) => o.key)));
    for (let i = 1; i < newest.length; i++) {
      expect(newest[i].keyTime).toBeLessThanOrEqual(newest[i - 1].keyTime);
    }
  });

  it('follows fileMinutes and splits a window too busy for one file', () => {
    const hourly = [...createBucket({ ...SMALL, fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 } }).planned()];
    expect(hourly.every((o) => o.keyTime % (60 * 60_000) === 0 && o.windowEnd - o.windowStart <= 60 * 60_000)).toBe(true);

    const busy = [
      ...generateBucket({
        seed: 1,
        start: '2024-03-01T10:00:00Z',
        end: '2024-03-01T11:00:00Z',
        accounts: 1,
        regions: ['us-east-1'],
        types: ['cloudtrail'],
        targetEvents: 9_000,
        fileMinutes: { cloudtrail: 60 },
        incident: false,
      }),
    ];
    expect(busy.length).toBeGreaterThanOrEqual(2);
    expect(busy.every((o) => o.events <= 5_000 && o.keyTime === Date.parse('2024-03-01T10:00:00Z'))).toBe(true);
    expect(new Set(busy.map((o) => o.key)).size).toBe(busy.length);
  });

  it('keeps a range that does not start at midnight inside its bounds', () => {
    const start = Date.parse('2024-03-01T10:07:00Z');
    const end = start + DAY + 13 * 60_000;
    const planned = [...createBucket({ ...SMALL, start, end, incident: false }).planned()];
    expect(Math.min(...planned.map((o) => o.windowStart))).toBeGreaterThanOrEqual(start);
    expect(Math.max(...planned.map((o) => o.windowEnd))).toBeLessThanOrEqual(end);
  });

  it.each<[string, Partial<GenerateOptions>, RegExp]>([
    ['no end', { end: undefined }, /end is required/],
    ['an end that is not a time', { end: 'yesterday' }, /end must be a time/],
    ['an inverted range', { start: '2024-03-11T00:00:00Z' }, /start .* must be before end/],
    ['a bad account', { accounts: ['12345'] }, /12-digit/],
    ['a bad region', { regions: ['mars-1'] }, /region names/],
    ['an unknown type', { types: ['waf' as never] }, /types must be some of/],
    ['negative events', { targetEvents: -5 }, /number of events/],
    ['a file length that does not divide a day', { fileMinutes: { alb: 7 } }, /fileMinutes.alb/],
    ['an incident without us-east-1', { regions: ['eu-west-1'] }, /us-east-1/],
    ['an incident in a range too short', { days: 0.1 }, /at least 165 minutes/],
    ['an incident outside the range', { incidentAt: '2024-03-09T23:30:00Z' }, /incidentAt must leave/],
  ])('rejects %s with a clear message', (_name, change, message) => {
    expect(() => createBucket({ ...SMALL, ...change } as GenerateOptions)).toThrow(GenerateOptionsError);
    expect(() => createBucket({ ...SMALL, ...change } as GenerateOptions)).toThrow(message);
  });
});
