import type { Source } from '../../shared/api';
import { checkRequest, keyWindow } from './request';

const NOW = Date.UTC(2026, 10, 1, 12);
const sources: Source[] = [
  {
    id: 'trail',
    logType: 'cloudtrail',
    bucket: 'trail-logs',
    region: 'eu-west-1',
    backfillQueueUrl: 'http://sqs/trail-backfill',
    roleArn: 'arn:aws:iam::111122223333:role/reader',
    externalId: 'xyz',
  },
  { id: 'noqueue', logType: 'alb', bucket: 'alb-logs', region: 'us-east-1' },
];

const errors = (body: unknown) => {
  const checked = checkRequest(body, sources, NOW);
  return checked.ok ? [] : checked.errors;
};

describe('a backfill request', () => {
  it('takes bucket, region and role from the source, and the layout lag as margin', () => {
    const checked = checkRequest({ sourceId: 'trail', from: '2026-10-01T00:00:00Z', to: '2026-10-08T00:00:00Z' }, sources, NOW);
    expect(checked).toMatchObject({
      ok: true,
      request: {
        bucket: 'trail-logs',
        region: 'eu-west-1',
        from: Date.UTC(2026, 9, 1),
        to: Date.UTC(2026, 9, 8),
        marginMinutes: 15,
        order: 'newest',
        roleArn: sources[0].roleArn,
        externalId: 'xyz',
        prefixes: [],
      },
    });
    if (checked.ok) {
      expect(keyWindow(checked.request)).toEqual({ from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 9, 8, 0, 15) });
    }
    const untilNow = checkRequest(
      { sourceId: 'trail', from: '2026-10-31T00:00:00Z', marginMinutes: 0, order: 'oldest', roleArn: 'arn:aws:iam::444455556666:role/other' },
      sources,
      NOW
    );
    expect(untilNow).toMatchObject({
      ok: true,
      request: { to: NOW, marginMinutes: 0, order: 'oldest', roleArn: 'arn:aws:iam::444455556666:role/other', externalId: null },
    });
  });

  it.each([
    [{ sourceId: 'nope', from: '2026-10-01T00:00:00Z' }, 'sourceId', /no source "nope" \(known: trail, noqueue\)/],
    [{ sourceId: 'noqueue', from: '2026-10-01T00:00:00Z' }, 'sourceId', /has no backfillQueueUrl/],
    [{ sourceId: 'trail', from: '2026-10-08T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'to', /must be after from/],
    [{ sourceId: 'trail', from: '1999-01-01T00:00:00Z', to: '2000-01-01T00:00:00Z' }, 'from', /before S3 existed/],
    [{ sourceId: 'trail', from: '2026-10-01T00:00:00Z', to: '2031-01-01T00:00:00Z' }, 'to', /more than a day in the future/],
    [{ sourceId: 'trail', from: '2007-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to', /spans 6940 days; a backfill covers at most 3660/],
    [{ sourceId: 'trail', from: 'last tuesday' }, 'from', /must be an ISO 8601 time/],
    [{ sourceId: 'trail', to: '2026-10-01T00:00:00Z' }, 'from', /is required with to/],
    [{ sourceId: 'trail' }, 'from', /give a time range \(from, to\) or prefixes/],
    [{ sourceId: 'trail', prefixes: ['/AWSLogs/'] }, 'prefixes[0]', /empty folder name/],
    [{ sourceId: 'trail', from: '2026-10-01T00:00:00Z', bucket: 'Bad_Bucket' }, 'bucket', /must match pattern/],
    [{ sourceId: 'trail', from: '2026-10-01T00:00:00Z', order: 'random' }, 'order', /must be one of: newest, oldest/],
    [{ sourceId: 'trail', from: '2026-10-01T00:00:00Z', colour: 'red' }, 'colour', /is not a known field/],
  ])('rejects %j on %s', (body, field, message) => {
    const found = errors(body);
    expect(found.find((e) => e.field === field)?.message).toMatch(message);
  });
});
