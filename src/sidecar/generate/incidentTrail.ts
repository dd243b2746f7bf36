import { cloudTrailRecord, endpointHost, type RecordSpec } from './cloudtrail';
import { s3DataAdditional } from './cloudtrailApis';
import { ciPrincipalId, JAVA_SDK } from './cloudtrailIdentities';
import { ADMIN_POLICY, attackerCli, PERSISTENCE_USER, SECOND, type IncidentContext, type PlantedEvent } from './incidentContext';
import { Random, seedOf } from './random';
import { trailStream } from './streamIds';
import { HOUR, MINUTE } from './time';
import type { IncidentFacts } from './types';

export interface PlantedTrail {
  planted: PlantedEvent[];
  /** Calls the instance itself made with the key. */
  instanceEvents: number;
  bursts: IncidentFacts['cloudtrail']['getObjectBursts'];
}

type Spec = Omit<RecordSpec, 'account' | 'tlsHost'>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IAM's date style in CloudTrail responses: `Oct 25, 2019 7:55:52 PM`. */
function iamDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${d.getUTCHours() % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${clock} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/**
 * The CloudTrail side: the key's issue to the instance and the instance's own calls with it,
 * then the attacker's calls from outside: enumeration, persistence and exfiltration.
 */
export function plantCloudTrail(ctx: IncidentContext): PlantedTrail {
  if (!ctx.has('cloudtrail')) {
    return { planted: [], instanceEvents: 0, bursts: [] };
  }
  const { shop, attackerIp } = ctx.world;
  const { account, region, instance } = shop;
  const random = new Random(seedOf(ctx.options.seed, 'incident-trail'));
  const planted: PlantedEvent[] = [];

  const plant = (spec: Spec, step: PlantedEvent['step'], direct = true) => {
    const tlsHost = direct ? endpointHost(spec.source, spec.region, spec.requestParameters) : undefined;
    const text = JSON.stringify(cloudTrailRecord({ ...spec, account, tlsHost }, random));
    planted.push({ logType: 'cloudtrail', stream: trailStream(account, spec.region), time: spec.time, text, step });
  };
  const at = (offset: number) => Math.floor((ctx.t0 + offset + random.int(0, 20) * SECOND) / SECOND) * SECOND;
  const attacker = (offset: number, source: string, name: string, awsRegion: string, command: string, extra: Partial<Spec> = {}): Spec => ({
    time: at(offset),
    identity: ctx.stolen.identity,
    source,
    name,
    region: awsRegion,
    sourceIp: attackerIp,
    userAgent: attackerCli(command),
    requestParameters: null,
    responseElements: null,
    readOnly: true,
    ...extra,
  });

  // The key's issue: ec2.amazonaws.com assumes the role for the instance; the response carries the key.
  const issued = ctx.stolen.issued;
  if (issued >= ctx.options.start) {
    const roleArn = `arn:aws:iam::${account}:role/${shop.roleName}`;
    const expiration = new Date(issued + 6 * HOUR).toUTCString();
    plant(
      {
        time: issued,
        identity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
        source: 'sts.amazonaws.com',
        name: 'AssumeRole',
        region,
        sourceIp: 'ec2.amazonaws.com',
        userAgent: 'ec2.amazonaws.com',
        requestParameters: { roleArn, roleSessionName: instance.instanceId },
        responseElements: {
          credentials: { accessKeyId: ctx.stolen.keyId, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE', expiration },
          assumedRoleUser: { assumedRoleId: `${shop.roleId}:${instance.instanceId}`, arn: ctx.stolen.arn },
        },
        readOnly: true,
      },
      'context',
      false
    );
  }

  // The instance's own calls in the hour the key is current, through its NAT gateway.
  let instanceEvents = 0;
  const secret = `arn:aws:secretsmanager:${region}:${account}:secret:shop/prod/db-password`;
  const own: Array<[string, string, Record<string, unknown>]> = [
    ['Decrypt', 'kms.amazonaws.com', { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:secretsmanager:arn': secret } }],
    ['GetParameters', 'ssm.amazonaws.com', { names: ['/shop/prod/db/host', '/shop/prod/feature-flags'], withDecryption: true }],
  ];
  for (let t = issued + 2 * MINUTE; t < issued + HOUR; t += 5 * MINUTE) {
    if (t < ctx.options.start) {
      continue;
    }
    for (const [name, source, requestParameters] of own) {
      const time = Math.floor((t + random.int(0, 90) * SECOND) / SECOND) * SECOND;
      const sourceIp = shop.vpc.nat.publicIp;
      plant(
        {
          time,
          identity: ctx.stolen.identity,
          source,
          name,
          region,
          sourceIp,
          userAgent: JAVA_SDK,
          requestParameters,
          responseElements: null,
          readOnly: true,
        },
        'context'
      );
      instanceEvents++;
    }
  }

  // Enumeration: who am I, what is there, what may I do.
  plant(attacker(6 * MINUTE, 'sts.amazonaws.com', 'GetCallerIdentity', region, 'sts.get-caller-identity'), 'enumeration');
  plant(
    attacker(6 * MINUTE + 40 * SECOND, 's3.amazonaws.com', 'ListBuckets', region, 's3.ls', {
      requestParameters: { Host: 's3.amazonaws.com' },
    }),
    'enumeration'
  );
  const swept = [region, ...ctx.options.regions.filter((r) => r !== region)];
  swept.forEach((r, i) =>
    plant(
      attacker(7 * MINUTE + 30 * SECOND + i * 25 * SECOND, 'ec2.amazonaws.com', 'DescribeInstances', r, 'ec2.describe-instances', {
        requestParameters: { instancesSet: {}, filterSet: {} },
      }),
      'enumeration'
    )
  );
  plant(attacker(9 * MINUTE + 30 * SECOND, 'iam.amazonaws.com', 'ListUsers', 'us-east-1', 'iam.list-users'), 'enumeration');
  plant(
    attacker(10 * MINUTE, 'iam.amazonaws.com', 'ListAttachedRolePolicies', 'us-east-1', 'iam.list-attached-role-policies', {
      requestParameters: { roleName: shop.roleName },
    }),
    'enumeration'
  );
  const denied = 'iam:GetAccountAuthorizationDetails';
  plant(
    attacker(10 * MINUTE + 40 * SECOND, 'iam.amazonaws.com', 'GetAccountAuthorizationDetails', 'us-east-1', 'iam.get-account-authorization-details', {
      errorCode: 'AccessDenied',
      errorMessage: `User: ${ctx.stolen.arn} is not authorized to perform: ${denied} on resource: * because no identity-based policy allows the ${denied} action`,
    }),
    'enumeration'
  );

  // Persistence: a key of their own on the CI user, made administrator, and tried.
  const created = attacker(13 * MINUTE, 'iam.amazonaws.com', 'CreateAccessKey', 'us-east-1', 'iam.create-access-key', {
    readOnly: false,
    requestParameters: { userName: PERSISTENCE_USER },
  });
  created.responseElements = {
    accessKey: {
      userName: PERSISTENCE_USER,
      accessKeyId: ctx.persistenceKey,
      status: 'Active',
      createDate: iamDate(created.time),
    },
  };
  plant(created, 'persistence');
  plant(
    attacker(14 * MINUTE, 'iam.amazonaws.com', 'AttachUserPolicy', 'us-east-1', 'iam.attach-user-policy', {
      readOnly: false,
      requestParameters: { userName: PERSISTENCE_USER, policyArn: ADMIN_POLICY },
    }),
    'persistence'
  );
  const ciUser = {
    type: 'IAMUser',
    principalId: ciPrincipalId(ctx.options.seed, account),
    arn: `arn:aws:iam::${account}:user/${PERSISTENCE_USER}`,
    accountId: account,
    accessKeyId: ctx.persistenceKey,
    userName: PERSISTENCE_USER,
  };
  plant(
    attacker(15 * MINUTE + 30 * SECOND, 'sts.amazonaws.com', 'GetCallerIdentity', region, 'sts.get-caller-identity', {
      identity: ciUser,
    }),
    'persistence'
  );

  // Exfiltration: a shell on the instance (its dump leaves through the VPC), and the bucket copied.
  const command = {
    documentName: 'AWS-RunShellScript',
    instanceIds: [instance.instanceId],
    parameters: 'HIDDEN_DUE_TO_SECURITY_REASONS',
  };
  plant(
    attacker(17 * MINUTE, 'ssm.amazonaws.com', 'SendCommand', region, 'ssm.send-command', {
      readOnly: false,
      requestParameters: { ...command, interactive: false },
      responseElements: {
        command: {
          commandId: random.uuid(),
          ...command,
          documentVersion: '$DEFAULT',
          status: 'Pending',
          requestedDateTime: iamDate(ctx.t0 + 17 * MINUTE),
          targetCount: 1,
        },
      },
    }),
    'exfiltration'
  );
  const bucket = shop.customerBucket;
  const host = `${bucket}.s3.${region}.amazonaws.com`;
  const bucketResource = { accountId: account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` };
  const sync = { data: true, userAgent: `[${attackerCli('s3.sync')}]` };
  plant(
    attacker(18 * MINUTE, 's3.amazonaws.com', 'ListObjects', region, 's3.sync', {
      ...sync,
      requestParameters: {
        bucketName: bucket,
        Host: host,
        'list-type': '2',
        prefix: 'exports/',
        'encoding-type': 'url',
      },
      additionalEventData: s3DataAdditional(random, 0),
      resources: [bucketResource],
    }),
    'exfiltration'
  );
  const bursts: PlantedTrail['bursts'] = [];
  let part = 0;
  for (let b = 0; b < 3; b++) {
    const from = ctx.t0 + (19 + b * 9) * MINUTE;
    const objects = random.int(80, 160);
    const span = random.int(90, 170) * SECOND;
    let bytes = 0;
    const times: number[] = [];
    for (let i = 0; i < objects; i++) {
      const time = Math.floor((from + (i * span) / objects) / SECOND) * SECOND;
      const size = random.int(2_000_000, 25_000_000);
      const key = `exports/customers/${new Date(ctx.t0).getUTCFullYear()}/customers-${String(part++).padStart(5, '0')}.csv.gz`;
      bytes += size;
      times.push(time);
      plant(
        attacker(0, 's3.amazonaws.com', 'GetObject', region, 's3.sync', {
          ...sync,
          time,
          requestParameters: { bucketName: bucket, Host: host, key },
          additionalEventData: s3DataAdditional(random, size),
          resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, bucketResource],
        }),
        'exfiltration'
      );
    }
    bursts.push({
      from: new Date(times[0]).toISOString(),
      to: new Date(times[times.length - 1]).toISOString(),
      objects,
      bytes,
    });
  }
  return { planted, instanceEvents, bursts };
}
