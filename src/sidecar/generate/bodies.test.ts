import { gunzipSync } from 'node:zlib';
import { cloudtrail } from '../formats/cloudtrail';
import type { ParsedEvent } from '../formats/types';
import { ALB_FIELDS } from './alb';
import { generateBucket } from './bucket';
import { cloudTrailFiles } from './cloudtrail';
import { albFields, readBack } from './inspect';
import type { GeneratedObject } from './types';
import { FLOW_FIELDS, FLOW_HEADER } from './vpcflow';

const objects: GeneratedObject[] = [...generateBucket({ seed: 9, end: '2024-04-02T00:00:00Z', days: 2, targetEvents: 5_000, accounts: 2 })];
const ofType = (type: GeneratedObject['logType']) => objects.filter((o) => o.logType === type);

async function parseCloudTrail(o: GeneratedObject): Promise<ParsedEvent[]> {
  async function* chunks() {
    const text = gunzipSync(o.body);
    for (let i = 0; i < text.length; i += 4096) {
      yield text.subarray(i, i + 4096);
    }
  }
  const events: ParsedEvent[] = [];
  for await (const item of cloudtrail.parse(chunks(), {
    bucket: 'b',
    key: o.key,
    size: o.body.length,
    keyTime: o.keyTime,
  })) {
    if ('malformed' in item) {
      throw new Error(`${o.key}: ${item.malformed.reason}`);
    }
    events.push(item.event);
  }
  return events;
}

describe('generated bodies', () => {
  it('are gzip, as AWS delivers them', () => {
    for (const o of objects) {
      expect(o.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    }
  });

  it('CloudTrail: {"Records":[...]} that the CloudTrail parser reads without a malformed record', async () => {
    const eventIds = new Set<string>();
    for (const o of ofType('cloudtrail')) {
      const events = await parseCloudTrail(o);
      expect(events).toHaveLength(o.events);
      for (const e of events) {
        expect(e.time).toBeGreaterThanOrEqual(o.windowStart);
        expect(e.time).toBeLessThan(o.windowEnd);
        expect(e.eventName).not.toBe('');
        expect(e.actor).not.toBe('');
        expect(e.account).toBe(o.account);
        expect(e.region).toBe(o.region);
        eventIds.add(e.fields.eventID);
      }
      const read = readBack('cloudtrail', o.body);
      for (const r of read.records) {
        expect(Object.keys(r).slice(0, 8)).toEqual([
          'eventVersion',
          'userIdentity',
          'eventTime',
          'eventSource',
          'eventName',
          'awsRegion',
          'sourceIPAddress',
          'userAgent',
        ]);
        expect(r).toEqual(
          expect.objectContaining({
            requestID: expect.any(String),
            eventID: expect.any(String),
            recipientAccountId: o.account,
            eventType: expect.stringMatching(/^Aws(ApiCall|ConsoleSignIn)$/),
          })
        );
        expect(r.managementEvent).toBe(r.eventCategory === 'Management');
      }
    }
    expect(eventIds.size).toBe(ofType('cloudtrail').reduce((n, o) => n + o.events, 0));
  });

  it('ALB: every documented field in order, quoted where AWS quotes them', () => {
    for (const o of ofType('alb')) {
      const [, lbName, lbId] = /_app\.([a-z0-9-]+)\.([0-9a-f]{16})_/.exec(o.key)!;
      const read = readBack('alb', o.body);
      expect(read.lines).toHaveLength(o.events);
      for (const line of read.lines) {
        const f = albFields(line);
        expect(f).toHaveLength(ALB_FIELDS);
        expect(line).toMatch(
          /^\S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ \d+ \d+ "[A-Z]+ \S+ HTTP\/\d\.\d" "[^"]+" \S+ \S+ \S+ "Root=[^"]+" "[^"]+" "[^"]+" \d+ \S+ "[^"]+" "[^"]+" "[^"]+" "[^"]+" "[^"]+" "-" "-" TID_[0-9a-f]{32} "-" "-" "-"$/
        );
        expect(f[0]).toMatch(/^(http|https|h2)$/);
        expect(f[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
        expect(f[2]).toBe(`app/${lbName}/${lbId}`);
        expect(f[3]).toMatch(/^\d+\.\d+\.\d+\.\d+:\d+$/);
        expect(f[4]).toMatch(/^(-|10\.\d+\.\d+\.\d+:8080)$/);
        expect(f[8]).toMatch(/^\d{3}$/);
        expect(f[12]).toMatch(/^(GET|POST) https?:\/\/[a-z.]+:(80|443)\/\S* HTTP\/(1\.1|2\.0)$/);
        expect(Date.parse(f[21])).toBeLessThanOrEqual(Date.parse(f[1]));
        const time = Date.parse(f[1]);
        expect(time).toBeGreaterThanOrEqual(o.windowStart);
        expect(time).toBeLessThan(o.windowEnd);
      }
    }
  });

  it('VPC flow: the version-2 header line, then records of its 14 fields', () => {
    for (const o of ofType('vpcflow')) {
      const read = readBack('vpcflow', o.body);
      expect(read.header).toBe(FLOW_HEADER);
      expect(read.lines).toHaveLength(o.events);
      for (const line of read.lines) {
        const f = line.split(' ');
        expect(f).toHaveLength(FLOW_FIELDS);
        expect(f[0]).toBe('2');
        expect(f[1]).toBe(o.account);
        expect(f[2]).toMatch(/^eni-0[0-9a-f]{16}$/);
        const [start, end] = [Number(f[10]) * 1000, Number(f[11]) * 1000];
        expect(start).toBeGreaterThanOrEqual(o.windowStart);
        expect(end).toBeGreaterThanOrEqual(start);
        expect(end).toBeLessThan(o.windowEnd);
        if (f[13] === 'NODATA') {
          expect(f.slice(3, 10).concat(f[12])).toEqual(Array(8).fill('-'));
        } else {
          expect(f[13]).toBe('OK');
          expect(f[12]).toMatch(/^(ACCEPT|REJECT)$/);
          expect(f[3]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
          expect(Number(f[9])).toBeGreaterThan(0);
        }
      }
    }
  });

  it('cloudTrailFiles spreads a fixed number of files of fixed size over a range', () => {
    const start = Date.parse('2024-04-01T00:00:00Z');
    const files = cloudTrailFiles({
      account: '123456789012',
      region: 'us-east-1',
      start,
      end: start + 3_600_000,
      files: 4,
      eventsPerFile: 25,
      seed: 3,
    });
    expect(files).toHaveLength(4);
    for (const f of files) {
      expect(f.key).toMatch(
        /^AWSLogs\/123456789012\/CloudTrail\/us-east-1\/2024\/04\/01\/123456789012_CloudTrail_us-east-1_20240401T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/
      );
      expect(f.records).toHaveLength(25);
      for (const r of f.records as Array<{ eventTime: string }>) {
        expect(Date.parse(r.eventTime)).toBeGreaterThanOrEqual(start);
        expect(Date.parse(r.eventTime)).toBeLessThan(start + 3_600_000);
      }
    }
  });
});
