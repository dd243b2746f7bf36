import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genericJson } from './genericJson';
import { chunksOf, objectInfo, parseAll } from './parseAll';

const KEY = 'app-logs/2024/05/01/app.jsonl';
const read = (name: string) => readFileSync(join(__dirname, 'testdata', name));

describe('generic JSON', () => {
  it('reads JSON lines, detecting the time field and filling columns from conventional names', async () => {
    const { events, malformed } = await parseAll(genericJson, chunksOf(read('generic-app.jsonl'), 31), objectInfo(KEY));
    expect(events).toHaveLength(4);
    expect(events[0]).toMatchObject({
      time: Date.parse('2024-05-01T10:00:00.123Z'),
      eventName: 'login',
      actor: 'alice',
      srcIp: '198.51.100.4',
      srcPort: 51515,
      status: '401',
      outcome: 'failure',
      severity: 'warning',
      userAgent: 'Mozilla/5.0',
    });
    expect(events[0].fields).toMatchObject({ 'log.level': 'warn', message: 'bad password', 'source.port': '51515' });
    expect(events[1]).toMatchObject({ time: 1714557601000, eventName: 'logout', actor: 'alice', severity: 'info' });
    expect(events[2].time).toBe(Date.parse('2024-05-01T10:00:02Z'));
    // No time field: the ingest falls back to the key's time.
    expect(events[3].time).toBeNull();
    expect(malformed.map((m) => [m.record, m.reason])).toEqual([
      [5, 'not a JSON record'],
      [6, 'truncated: the object ends inside this record'],
    ]);
  });

  it('reads a top-level array with epoch-millisecond and zoned ISO times', async () => {
    const { events, malformed } = await parseAll(genericJson, chunksOf(read('generic-array.json'), 16), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events.map((e) => [e.time, e.eventName, e.outcome, e.service])).toEqual([
      [1714557600123, 'Deploy', 'failure', 'ci'],
      [Date.parse('2024-05-01T08:05:00Z'), 'Deploy', 'success', 'ci'],
    ]);
  });

  it('uses a configured time field, nested or not, and says when its value is not a time', async () => {
    const text = '{"meta":{"seen":"2024-05-02T00:00:00Z"},"time":"2020-01-01T00:00:00Z"}\n{"meta":{"seen":"soon"}}\n';
    const { events, malformed } = await parseAll(genericJson, chunksOf(text), objectInfo(KEY, 0, 'meta.seen'));
    expect(events[0].time).toBe(Date.parse('2024-05-02T00:00:00Z'));
    expect(malformed.map((m) => m.reason)).toEqual(['field meta.seen (the configured time field): expected a time, got "soon"']);
  });

  it('ignores implausible values in conventional time fields', async () => {
    const { events } = await parseAll(genericJson, chunksOf('{"time":"12","timestamp":"2024-05-01T00:00:00Z"}'), objectInfo(KEY));
    expect(events[0].time).toBe(Date.parse('2024-05-01T00:00:00Z'));
  });

  it('recognises JSON objects and arrays of objects, not bracketed text', () => {
    expect(genericJson.sniff('{"a":1}')).toBe(true);
    expect(genericJson.sniff('  [ {"a":1} ]')).toBe(true);
    expect(genericJson.sniff('[2024-05-01 10:00:00] INFO started')).toBe(false);
    expect(genericJson.matchesKey(KEY)).toBe(false);
  });
});
