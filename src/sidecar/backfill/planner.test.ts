import { planBackfill, PlanError, type ListUnit, type PlanRequest } from './planner';
import { MemoryBucket } from './testing';

const ACCT = '111122223333';
const ACCT2 = '444455556666';
const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
const at = (t: string) => Date.parse(t);

function trailKey(acct: string, region: string, date: string, hhmm = '0000', service = 'CloudTrail'): string {
  const [y, m, d] = date.split('-');
  return `AWSLogs/${acct}/${service}/${region}/${y}/${m}/${d}/${acct}_${service}_${region}_${y}${m}${d}T${hhmm}Z_abc.json.gz`;
}

function plan(bucket: MemoryBucket, req: Partial<PlanRequest> & Pick<PlanRequest, 'logType'>): Promise<ListUnit[]> {
  return planBackfill({ root: '', prefixes: [], window: null, ...req }, bucket);
}

const prefixes = (units: ListUnit[]) => units.map((u) => u.prefix);

describe('planning a backfill', () => {
  const trail = new MemoryBucket('trail', [
    trailKey(ACCT, 'us-east-1', '2024-05-01'),
    trailKey(ACCT, 'us-east-1', '2024-05-02'),
    trailKey(ACCT, 'eu-west-1', '2024-05-02'),
    trailKey(ACCT2, 'us-east-1', '2024-05-02'),
    trailKey(ACCT, 'us-east-1', '2024-05-02', '0000', 'CloudTrail-Digest'),
    `AWSLogs/o-abcdefghij/${ACCT}/CloudTrail/us-west-2/2024/05/02/x.json.gz`,
    `AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/2024/05/02/${ACCT}_elasticloadbalancing_us-east-1_app.web.1_20240502T0005Z_10.0.0.1_x.log.gz`,
  ]);

  it('lists only the day folders of the range, in every account and region found, org trails included', async () => {
    const units = await plan(trail, { logType: 'cloudtrail', window: { from: day('2024-05-02'), to: day('2024-05-03') } });
    expect(prefixes(units)).toEqual([
      `AWSLogs/${ACCT}/CloudTrail/eu-west-1/2024/05/02/`,
      `AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/05/02/`,
      `AWSLogs/${ACCT2}/CloudTrail/us-east-1/2024/05/02/`,
      `AWSLogs/o-abcdefghij/${ACCT}/CloudTrail/us-west-2/2024/05/02/`,
    ]);
    expect(units[0]).toMatchObject({ time: day('2024-05-02'), filter: { from: day('2024-05-02'), to: day('2024-05-03'), logType: 'cloudtrail' } });
    // Discovery used delimiter listings only; no object was listed, the bucket never whole.
    expect(trail.pagedPrefixes()).toEqual([]);
    expect(trail.calls.some((c) => c.prefix === '' && c.op === 'page')).toBe(false);
  });

  it('follows a prefix that fixes the account and narrows to the dates it names', async () => {
    const units = await plan(trail, {
      logType: 'cloudtrail',
      prefixes: [`AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/05/`],
      window: { from: day('2024-04-30'), to: day('2024-05-03') },
    });
    expect(prefixes(units)).toEqual([`AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/05/01/`, `AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/05/02/`]);
  });

  it('lists a whole location folder when there is no time range', async () => {
    const units = await plan(trail, { logType: 'cloudtrail', prefixes: [`AWSLogs/${ACCT}/CloudTrail/`] });
    expect(prefixes(units)).toEqual([`AWSLogs/${ACCT}/CloudTrail/eu-west-1/`, `AWSLogs/${ACCT}/CloudTrail/us-east-1/`]);
    expect(units[0].filter).toEqual({ from: null, to: null, logType: 'cloudtrail' });
  });

  it('finds every service under the accounts for an auto source, and keeps the ELB file kind for an ALB source', async () => {
    const window = { from: day('2024-05-02'), to: day('2024-05-03') };
    const auto = await plan(trail, { logType: 'auto', prefixes: [`AWSLogs/${ACCT}/`], window });
    expect(prefixes(auto)).toEqual([
      `AWSLogs/${ACCT}/CloudTrail/eu-west-1/2024/05/02/`,
      `AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/05/02/`,
      `AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/2024/05/02/`,
    ]);
    const alb = await plan(trail, { logType: 'alb', window });
    expect(alb).toEqual([
      { prefix: `AWSLogs/${ACCT}/elasticloadbalancing/us-east-1/2024/05/02/`, time: window.from, filter: { ...window, logType: 'alb', elbKind: 'alb' } },
    ]);
  });

  it('uses hour folders on the days the range covers in part (WAF always, VPC flow when partitioned hourly)', async () => {
    const waf = new MemoryBucket('aws-waf-logs-x', [
      `AWSLogs/${ACCT}/WAFLogs/cloudfront/shop-acl/2024/05/02/10/05/x.log.gz`,
      `AWSLogs/${ACCT}/WAFLogs/us-east-1/api/2024/05/02/10/05/x.log.gz`,
    ]);
    const units = await plan(waf, { logType: 'waf', window: { from: at('2024-05-02T22:30:00Z'), to: at('2024-05-04T01:00:00Z') } });
    expect(prefixes(units)).toEqual([
      `AWSLogs/${ACCT}/WAFLogs/cloudfront/shop-acl/2024/05/02/22/`,
      `AWSLogs/${ACCT}/WAFLogs/cloudfront/shop-acl/2024/05/02/23/`,
      `AWSLogs/${ACCT}/WAFLogs/cloudfront/shop-acl/2024/05/03/`,
      `AWSLogs/${ACCT}/WAFLogs/cloudfront/shop-acl/2024/05/04/00/`,
      `AWSLogs/${ACCT}/WAFLogs/us-east-1/api/2024/05/02/22/`,
      `AWSLogs/${ACCT}/WAFLogs/us-east-1/api/2024/05/02/23/`,
      `AWSLogs/${ACCT}/WAFLogs/us-east-1/api/2024/05/03/`,
      `AWSLogs/${ACCT}/WAFLogs/us-east-1/api/2024/05/04/00/`,
    ]);

    const flow = new MemoryBucket('flow', [
      `AWSLogs/${ACCT}/vpcflowlogs/us-east-1/2024/05/02/09/a.log.gz`,
      `AWSLogs/${ACCT}/vpcflowlogs/us-east-1/2024/05/02/10/b.log.gz`,
      `AWSLogs/${ACCT}/vpcflowlogs/eu-west-1/2024/05/02/c.log.gz`,
    ]);
    const flowUnits = await plan(flow, { logType: 'vpcflow', window: { from: at('2024-05-02T10:00:00Z'), to: at('2024-05-02T12:00:00Z') } });
    expect(prefixes(flowUnits)).toEqual([`AWSLogs/${ACCT}/vpcflowlogs/eu-west-1/2024/05/02/`, `AWSLogs/${ACCT}/vpcflowlogs/us-east-1/2024/05/02/10/`]);
  });

  it('reads Hive-style VPC flow partitions and Route 53 resolver folders per VPC', async () => {
    const hive = new MemoryBucket('flow', [
      `AWSLogs/aws-account-id=${ACCT}/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=05/day=02/x.log.parquet`,
    ]);
    const units = await plan(hive, { logType: 'vpcflow', window: { from: day('2024-05-02'), to: day('2024-05-03') } });
    expect(prefixes(units)).toEqual([`AWSLogs/aws-account-id=${ACCT}/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=05/day=02/`]);

    const dns = new MemoryBucket('dns', [
      `AWSLogs/${ACCT}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/05/02/x.log.gz`,
      `AWSLogs/${ACCT}/vpcdnsquerylogs/vpc-0123456789abcdef0/2024/05/01/y.log.gz`,
    ]);
    const dnsUnits = await plan(dns, { logType: 'route53resolver', window: { from: day('2024-05-02'), to: day('2024-05-03') } });
    expect(prefixes(dnsUnits)).toEqual([
      `AWSLogs/${ACCT}/vpcdnsquerylogs/vpc-0123456789abcdef0/2024/05/02/`,
      `AWSLogs/${ACCT}/vpcdnsquerylogs/vpc-0a1b2c3d4e5f60718/2024/05/02/`,
    ]);
  });

  it('names CloudFront and S3 access log prefixes by date, per distribution and per partition', async () => {
    const cf = new MemoryBucket('cf', ['cf/E2ABCDEF123.2024-05-02-10.x1.gz', 'cf/E9ZZZ.2024-05-01-23.y.gz', 'cf/readme.txt']);
    const cfUnits = await plan(cf, { logType: 'cloudfront', root: 'cf/', window: { from: at('2024-05-01T23:00:00Z'), to: day('2024-05-03') } });
    expect(prefixes(cfUnits)).toEqual(['cf/E2ABCDEF123.2024-05-01-23.', 'cf/E2ABCDEF123.2024-05-02-', 'cf/E9ZZZ.2024-05-01-23.', 'cf/E9ZZZ.2024-05-02-']);

    const simple = new MemoryBucket('s3logs', ['logs/2024-05-02-10-11-12-0123456789ABCDEF']);
    const simpleUnits = await plan(simple, {
      logType: 's3access',
      prefixes: ['logs/'],
      window: { from: at('2024-05-02T10:00:00Z'), to: at('2024-05-02T12:00:00Z') },
    });
    expect(prefixes(simpleUnits)).toEqual(['logs/2024-05-02-10-', 'logs/2024-05-02-11-']);

    const partitioned = new MemoryBucket('s3logs', [`logs/${ACCT}/us-east-1/shop-assets/2024/05/02/2024-05-02-00-00-00-0123456789ABCDEF`]);
    const partitionedUnits = await plan(partitioned, { logType: 's3access', prefixes: ['logs/'], window: { from: day('2024-05-02'), to: day('2024-05-03') } });
    expect(prefixes(partitionedUnits)).toEqual([`logs/${ACCT}/us-east-1/shop-assets/2024/05/02/`]);
  });

  it('descends date folders of an unknown layout, and lists a prefix without them whole', async () => {
    const dated = new MemoryBucket('app', ['app/2024/04/30/a.json', 'app/2024/05/01/b.json', 'app/2024/05/02/c.json', 'app/2023/12/31/d.json']);
    const units = await plan(dated, { logType: 'json', root: 'app/', window: { from: day('2024-05-01'), to: day('2024-05-02') } });
    expect(prefixes(units)).toEqual(['app/2024/05/01/']);
    expect(dated.calls.filter((c) => c.op === 'folders').map((c) => c.prefix)).toEqual(['app/', 'app/2024/', 'app/2024/05/']);

    const flat = new MemoryBucket('app', ['app/a.json', 'app/b.json']);
    const flatUnits = await plan(flat, { logType: 'json', prefixes: ['app/'], window: { from: day('2024-05-01'), to: day('2024-05-02') } });
    expect(flatUnits).toEqual([{ prefix: 'app/', time: null, filter: { from: day('2024-05-01'), to: day('2024-05-02'), logType: 'json' } }]);
  });

  it.each([
    [
      'cloudtrail',
      `AWSLogs/${ACCT}/elasticloadbalancing/`,
      /"elasticloadbalancing\/" is not CloudTrail\/ in \[prefix\/\]AWSLogs\/\[<organization ID>\/\]<account ID>\/CloudTrail\/<region>\/YYYY\/MM\/DD\//,
    ],
    ['cloudtrail', 'AWSLogs/12345/', /"12345\/" is not account ID/],
    ['cloudtrail', `AWSLogs/${ACCT}/CloudTrail/us-east-1/2024/13/`, /"13\/" is not MM/],
    ['cloudtrail', 'logs', /cannot hold cloudtrail logs: they are under \[prefix\/\]AWSLogs\//],
    ['cloudfront', 'cf/E123-2024', /cannot hold CloudFront logs/],
  ] as const)('rejects a %s prefix %s that cannot match the layout', async (logType, prefix, message) => {
    const bucket = new MemoryBucket('b', [trailKey(ACCT, 'us-east-1', '2024-05-02')]);
    const error = await plan(bucket, { logType, prefixes: [prefix] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanError);
    expect((error as PlanError).field).toBe('prefixes[0]');
    expect((error as PlanError).message).toMatch(message);
    expect(bucket.calls).toEqual([]);
  });

  it('rejects a prefix outside the source prefix, and one that selects nothing', async () => {
    await expect(plan(trail, { logType: 'cloudtrail', root: 'trail/', prefixes: ['other/'] })).rejects.toThrow(
      'prefix "other/" is outside the source\'s prefix "trail/"'
    );
    await expect(plan(trail, { logType: 'guardduty', window: { from: day('2024-05-02'), to: day('2024-05-03') } })).rejects.toThrow(
      /nothing under s3:\/\/trail\/ is laid out as \[prefix\/\]AWSLogs\/<account ID>\/GuardDuty\/<region>\/YYYY\/MM\/DD\/ in the time range/
    );
  });
});
