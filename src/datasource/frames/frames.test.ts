import { FieldType } from '@grafana/data';
import type { HistogramResponse, QueryResponse } from '../../shared/query';
import { logsFrame } from './logs';
import { responseMeta } from './meta';
import { tableFrame } from './table';
import { timeSeriesFrames } from './timeseries';
import { volumeFrames } from './volume';

const stats = { rowsRead: 10, bytesRead: 2048, elapsedMs: 7, rowsReturned: 2, truncated: false };
const col = (name: string, type: QueryResponse['columns'][number]['type'], clickhouseType = 'String') => ({ name, type, clickhouseType });

const events: QueryResponse = {
  columns: [
    col('time', 'time', "DateTime64(3, 'UTC')"),
    col('eventName', 'string'),
    col('actor', 'string'),
    col('srcPort', 'number', 'Nullable(UInt16)'),
    col('severity', 'string'),
    col('raw', 'string'),
    col('fields', 'other', 'Map(LowCardinality(String), String)'),
    col('key', 'string'),
  ],
  rows: [
    [
      '2026-11-27T05:33:59.000Z',
      'ConsoleLogin',
      'alice',
      null,
      'error',
      '{"eventName":"ConsoleLogin"}',
      { eventName: 'ConsoleLogin', 'userIdentity.type': 'IAMUser', empty: '' },
      'a.json.gz',
    ],
    ['2026-11-27T05:33:59.000Z', 'ConsoleLogin', 'alice', 443, 'error', '{"eventName":"ConsoleLogin"}', {}, 'a.json.gz'],
  ],
  stats,
};

describe('logs frames', () => {
  it('follow the data-plane contract: timestamp, body, severity, id, labels', () => {
    const frame = logsFrame('A', events, {}, { limit: 1000, searchWords: ['Console'] })!;
    expect(frame.meta).toMatchObject({ type: 'log-lines', typeVersion: [0, 0], preferredVisualisationType: 'logs', limit: 1000, searchWords: ['Console'] });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['timestamp', FieldType.time],
      ['body', FieldType.string],
      ['severity', FieldType.string],
      ['id', FieldType.string],
      ['labels', FieldType.other],
    ]);
    expect(frame.fields[0].values).toEqual([Date.parse('2026-11-27T05:33:59Z'), Date.parse('2026-11-27T05:33:59Z')]);
    expect(frame.fields[1].values[0]).toBe('{"eventName":"ConsoleLogin"}');
    const [first, second] = frame.fields[3].values;
    expect(second).toBe(`${first}_2`);
    expect(frame.fields[4].values[0]).toEqual({
      eventName: 'ConsoleLogin',
      actor: 'alice',
      key: 'a.json.gz',
      'fields.eventName': 'ConsoleLogin',
      'userIdentity.type': 'IAMUser',
    });
    expect(frame.fields[4].values[1]).toEqual({ eventName: 'ConsoleLogin', actor: 'alice', srcPort: '443', key: 'a.json.gz' });
  });

  it('compose a body when raw is projected away, and need a time column', () => {
    const projected: QueryResponse = {
      columns: [col('time', 'time'), col('actor', 'string'), col('n', 'number')],
      rows: [['2026-11-27T00:00:00Z', 'bob', 3]],
      stats,
    };
    const frame = logsFrame('A', projected, {}, { limit: 10, searchWords: [] })!;
    expect(frame.fields.map((f) => f.name)).toEqual(['timestamp', 'body', 'id', 'labels']);
    expect(frame.fields[1].values).toEqual(['actor=bob n=3']);
    expect(logsFrame('A', { columns: [col('actor', 'string')], rows: [['bob']], stats }, {}, { limit: 10, searchWords: [] })).toBeUndefined();
  });
});

describe('table frames', () => {
  it('type every column', () => {
    const frame = tableFrame(
      'B',
      {
        columns: [col('actor', 'string'), col('n', 'number', 'UInt64'), col('last', 'time'), col('ok', 'boolean'), col('ips', 'other', 'Array(String)')],
        rows: [['bob', '12', '2026-11-27T01:00:00Z', true, ['1.1.1.1']]],
        stats,
      },
      {}
    );
    expect(frame.fields.map((f) => [f.name, f.type, f.values[0]])).toEqual([
      ['actor', 'string', 'bob'],
      ['n', 'number', 12],
      ['last', 'time', Date.parse('2026-11-27T01:00:00Z')],
      ['ok', 'boolean', true],
      ['ips', 'other', ['1.1.1.1']],
    ]);
  });
});

describe('time series frames', () => {
  it('make one series per group and number column, in time order', () => {
    const response: QueryResponse = {
      columns: [col('time', 'time'), col('outcome', 'string'), col('n', 'number')],
      rows: [
        ['2026-11-27T02:00:00Z', 'failure', 1],
        ['2026-11-27T01:00:00Z', 'failure', 4],
        ['2026-11-27T01:00:00Z', 'success', 9],
      ],
      stats,
    };
    const frames = timeSeriesFrames('C', response, {})!;
    expect(frames.map((f) => f.name)).toEqual(['failure', 'success']);
    expect(frames[0].meta?.type).toBe('timeseries-multi');
    expect(frames[0].fields[0].values).toEqual([Date.parse('2026-11-27T01:00:00Z'), Date.parse('2026-11-27T02:00:00Z')]);
    expect(frames[0].fields[1]).toMatchObject({ name: 'n', values: [4, 1], labels: { outcome: 'failure' }, config: { displayNameFromDS: 'failure' } });
  });

  it('need a time and a number column', () => {
    expect(timeSeriesFrames('C', { columns: [col('actor', 'string'), col('n', 'number')], rows: [], stats }, {})).toBeUndefined();
  });
});

describe('log volume frames', () => {
  it('give every level each bucket, labelled for Explore', () => {
    const response: HistogramResponse = {
      interval: '1h',
      buckets: [
        { time: '2026-11-27T01:00:00.000Z', group: 'info', count: 5 },
        { time: '2026-11-27T02:00:00.000Z', group: 'error', count: 2 },
        { time: '2026-11-27T02:00:00.000Z', group: '', count: 1 },
      ],
    };
    const frames = volumeFrames('log-volume-A', response, 'severity');
    expect(frames.map((f) => [f.name, f.fields[1].labels, f.fields[1].values])).toEqual([
      ['info', { level: 'info' }, [5, 0]],
      ['error', { level: 'error' }, [0, 2]],
      ['unknown', { level: 'unknown' }, [0, 1]],
    ]);
    expect(volumeFrames('v', response, 'outcome')[0].fields[1].labels).toEqual({ outcome: 'info' });
  });
});

describe('response meta', () => {
  it('carries stats, the executed query, and the coverage and truncation notices', () => {
    const meta = responseMeta(
      {
        ...events,
        stats: { ...stats, truncated: true, rowsReturned: 1000 },
        coverage: { state: 'partial', message: '3 of 4 hours ... (yet)', missingHours: ['2026-11-27T01:00:00.000Z'] },
      },
      'CloudTrail',
      { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T04:00:00.000Z' }
    );
    expect(meta.executedQueryString).toBe('CloudTrail');
    expect(meta.stats?.find((s) => s.displayName === 'Bytes read')).toEqual({ displayName: 'Bytes read', value: 2048, unit: 'decbytes' });
    expect(meta.notices).toEqual([
      {
        severity: 'info',
        text: '3 of 4 hours ... (yet)',
        link: '/a/lookback-siem-app/backfills?from=2026-11-27T01%3A00%3A00.000Z&to=2026-11-27T04%3A00%3A00.000Z',
      },
      { severity: 'warning', text: 'Showing the first 1,000 rows: raise the line limit or narrow the query to see the rest' },
    ]);
  });

  it('says when the missing hours are being loaded first and when they are expected, linking to the Backfills page', () => {
    const missingHours = ['2026-11-27T01:00:00.000Z', '2026-11-27T02:00:00.000Z'];
    const coverage = { state: 'partial' as const, message: '2 of 4 hours ... (yet)', missingHours };
    const range = { from: '2026-11-27T00:00:00.000Z', to: '2026-11-27T04:00:00.000Z' };
    const now = Date.parse('2026-11-27T10:00:00Z');
    const meta = (loadingFirst: { hours: number; expectedAt: string | null }, hours = missingHours) =>
      responseMeta({ ...events, stats, coverage: { ...coverage, missingHours: hours, loadingFirst } }, 'CloudTrail', range, now);

    const soon = meta({ hours: 2, expectedAt: '2026-11-27T10:00:20Z' });
    expect(soon.notices).toEqual([
      {
        severity: 'info',
        text: 'The 2 missing hours of this time range are being loaded first by a running backfill, expected in about 20 s: the results refresh when they land',
        link: '/a/lookback-siem-app/backfills',
      },
    ]);
    expect(soon.custom).toEqual({ loadingFirst: { hours: 2, expectedAt: '2026-11-27T10:00:20Z' } });
    const text = (loadingFirst: { hours: number; expectedAt: string | null }, hours = missingHours) => meta(loadingFirst, hours).notices?.[0].text;
    expect(text({ hours: 1, expectedAt: '2026-11-27T10:03:30Z' })).toMatch(
      /^1 of the 2 missing hours of this time range are being loaded first by a running backfill, expected in about 4 min:/
    );
    expect(text({ hours: 1, expectedAt: '2026-11-27T09:59:00Z' }, missingHours.slice(1))).toMatch(
      /^The missing hour of this time range is being loaded first .* expected any moment now:/
    );
    expect(text({ hours: 2, expectedAt: null })).toMatch(/expected once the backfill's pace is known:/);
    expect(responseMeta({ ...events, stats, coverage }, 'CloudTrail', range, now).custom).toBeUndefined();
  });
});
