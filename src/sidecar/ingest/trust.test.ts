import type { Source } from '../../shared/api';
import type { MessageBackfill } from './backfills';
import type { ObjectRef } from './notifications';
import { partitionByScope, trustScope, type TrustScope } from './trust';

const source: Source = { id: 'trail', logType: 'cloudtrail', bucket: 'acme-trail', region: 'eu-west-1', prefix: 'AWSLogs/111122223333/' };

function ref(bucket: string, key: string, region = 'eu-west-1'): ObjectRef {
  return { bucket, key, size: 10, etag: 'e', region, eventTime: '' };
}

function backfill(fields: Partial<MessageBackfill>): MessageBackfill {
  return {
    id: 'bf-1',
    sourceId: 'trail',
    bucket: 'acme-trail-archive',
    region: 'eu-west-2',
    roleArn: null,
    externalId: null,
    state: 'running',
    ...fields,
  };
}

function scopeOf(...args: Parameters<typeof trustScope>): TrustScope {
  const scope = trustScope(...args);
  if ('refused' in scope) {
    throw new Error(scope.refused);
  }
  return scope;
}

describe('which objects a notification may make the sidecar read', () => {
  it("a live notification: the source's bucket under its prefix only", () => {
    const { trusted, refused } = partitionByScope(
      [
        ref('acme-trail', 'AWSLogs/111122223333/a.json.gz'),
        ref('other-secret-bucket', 'AWSLogs/111122223333/b.json.gz'),
        ref('acme-trail', 'private/c.json.gz'),
      ],
      scopeOf(source, '', undefined)
    );
    expect(trusted.map((r) => r.key)).toEqual(['AWSLogs/111122223333/a.json.gz']);
    expect(refused).toEqual([
      's3://other-secret-bucket/AWSLogs/111122223333/b.json.gz is not in the bucket of source "trail" (acme-trail)',
      's3://acme-trail/private/c.json.gz is not under the prefix of source "trail" (AWSLogs/111122223333/)',
    ]);
  });

  it("reads in the notification's region only when it is a region name", () => {
    const { trusted } = partitionByScope(
      [ref('acme-trail', 'AWSLogs/111122223333/a', 'evil.example#'), ref('acme-trail', 'AWSLogs/111122223333/b', 'us-west-2')],
      scopeOf(source, '', undefined)
    );
    expect(trusted.map((r) => r.region)).toEqual(['eu-west-1', 'us-west-2']);
  });

  it("a backfill notification: its backfill's bucket, if the backfill exists and is the queue source's", () => {
    expect(trustScope(source, 'bf-gone', undefined)).toEqual({ refused: 'names backfill "bf-gone", which does not exist' });
    expect(trustScope(source, 'bf-1', backfill({ sourceId: 'billing' }))).toEqual({
      refused: 'names backfill "bf-1" of source "billing", not of this queue\'s source "trail"',
    });
    const scope = scopeOf(source, 'bf-1', backfill({}));
    const { trusted, refused } = partitionByScope([ref('acme-trail-archive', 'old/x.json.gz', ''), ref('acme-trail', 'AWSLogs/111122223333/y.json.gz')], scope);
    expect(trusted).toEqual([{ ...ref('acme-trail-archive', 'old/x.json.gz'), region: 'eu-west-2' }]);
    expect(refused).toEqual(['s3://acme-trail/AWSLogs/111122223333/y.json.gz is not in the bucket of backfill "bf-1" (acme-trail-archive)']);
  });
});
