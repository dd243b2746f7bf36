import type { Random } from './random';
import { isoSeconds } from './time';
import type { AccountInfo, World } from './world';

// The API calls background CloudTrail records are made of, with request and response
// elements shaped like the real ones.

export interface ApiContext {
  random: Random;
  world: World;
  account: AccountInfo;
  region: string;
  time: number;
}

export interface Api {
  source: string;
  name: string;
  readOnly: boolean;
  /** Logged in us-east-1 whatever the caller's region (IAM, console sign-in). */
  global?: true;
  /** An S3 data event (trail data-event selectors on the application buckets). */
  data?: true;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  params?(c: ApiContext): Record<string, unknown> | null;
  response?(c: ApiContext): Record<string, unknown> | null;
  resources?(c: ApiContext, params: Record<string, unknown> | null): Array<Record<string, string>>;
  additional?(c: ApiContext): Record<string, unknown>;
}

const BUCKET_SUFFIXES = ['customer-data', 'config', 'orders', 'static-assets', 'backups'];
const ORDER_KEYS = ['orders/2024/', 'invoices/', 'exports/daily/', 'receipts/'];
const PARAMETERS = ['/shop/prod/db/host', '/shop/prod/feature-flags', '/shop/prod/payments/endpoint', '/shop/prod/cache/url'];
const SECRETS = ['shop/prod/db-password', 'shop/prod/stripe-api-key', 'shop/prod/session-secret'];
const TABLES = ['orders', 'carts', 'sessions', 'inventory'];

export const bucketName = (account: string, suffix: string) => `shop-${suffix}-${account}`;
const kmsKeyArn = (c: ApiContext) => `arn:aws:kms:${c.region}:${c.account.id}:key/${c.random.uuid()}`;
const objectKey = (c: ApiContext) => `${c.random.pick(ORDER_KEYS)}${c.random.int(100000, 999999)}.json`;

function s3Object(c: ApiContext, bucket: string): Record<string, unknown> {
  return { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, key: objectKey(c) };
}

function s3Resources(c: ApiContext, params: Record<string, unknown> | null): Array<Record<string, string>> {
  const bucket = String(params?.bucketName ?? '');
  const resources: Array<Record<string, string>> = [];
  if (params?.key) {
    resources.push({ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${String(params.key)}` });
  }
  resources.push({ accountId: c.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` });
  return resources;
}

export function s3DataAdditional(random: Random, bytesOut: number, bytesIn = 0): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': `${random.chars(60, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}=`,
    bytesTransferredOut: bytesOut,
  };
}

const appBucket = (c: ApiContext) => bucketName(c.account.id, c.random.pick(['customer-data', 'orders', 'config']));
const anyBucket = (c: ApiContext) => bucketName(c.account.id, c.random.pick(BUCKET_SUFFIXES));

export const APIS = {
  DescribeInstances: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeInstances',
    readOnly: true,
    params: (c) => (c.random.chance(0.5) ? { instancesSet: {}, filterSet: {} } : { maxResults: 1000, instancesSet: {}, filterSet: {} }),
  },
  DescribeSecurityGroups: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeSecurityGroups',
    readOnly: true,
    params: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }),
  },
  DescribeVolumes: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeVolumes',
    readOnly: true,
    params: () => ({ volumeSet: {}, filterSet: {} }),
  },
  DescribeNetworkInterfaces: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeNetworkInterfaces',
    readOnly: true,
    params: () => ({ networkInterfaceIdSet: {}, filterSet: {} }),
  },
  DescribeSubnets: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeSubnets',
    readOnly: true,
    params: () => ({ subnetSet: {}, filterSet: {} }),
  },
  DescribeVpcs: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeVpcs',
    readOnly: true,
    params: () => ({ vpcSet: {}, filterSet: {} }),
  },
  DescribeImages: {
    source: 'ec2.amazonaws.com',
    name: 'DescribeImages',
    readOnly: true,
    params: (c) => ({
      executableBySet: {},
      imagesSet: { items: [{ imageId: `ami-0${c.random.hex(16)}` }] },
      ownersSet: {},
      includeDeprecated: false,
    }),
  },
  RunInstances: {
    source: 'ec2.amazonaws.com',
    name: 'RunInstances',
    readOnly: false,
    params: (c) => ({
      instancesSet: { items: [{ minCount: 1, maxCount: 1 }] },
      instanceType: c.random.pick(['t3.medium', 'm6i.large', 'c6i.xlarge']),
      blockDeviceMapping: {},
      monitoring: { enabled: false },
      disableApiTermination: false,
      launchTemplate: { launchTemplateId: `lt-0${c.random.hex(16)}`, version: String(c.random.int(1, 30)) },
    }),
    response: (c) => ({
      requestId: c.random.uuid(),
      reservationId: `r-0${c.random.hex(16)}`,
      ownerId: c.account.id,
      instancesSet: { items: [{ instanceId: `i-0${c.random.hex(16)}`, instanceState: { code: 0, name: 'pending' } }] },
    }),
  },
  TerminateInstances: {
    source: 'ec2.amazonaws.com',
    name: 'TerminateInstances',
    readOnly: false,
    params: (c) => ({ instancesSet: { items: [{ instanceId: `i-0${c.random.hex(16)}` }] } }),
    response: (c) => ({
      requestId: c.random.uuid(),
      instancesSet: {
        items: [
          {
            instanceId: `i-0${c.random.hex(16)}`,
            currentState: { code: 32, name: 'shutting-down' },
            previousState: { code: 16, name: 'running' },
          },
        ],
      },
    }),
  },
  CreateTags: {
    source: 'ec2.amazonaws.com',
    name: 'CreateTags',
    readOnly: false,
    params: (c) => ({
      resourcesSet: { items: [{ resourceId: `i-0${c.random.hex(16)}` }] },
      tagSet: { items: [{ key: 'Name', value: 'shop-web' }] },
    }),
    response: (c) => ({ requestId: c.random.uuid(), _return: true }),
  },
  AuthorizeSecurityGroupIngress: {
    source: 'ec2.amazonaws.com',
    name: 'AuthorizeSecurityGroupIngress',
    readOnly: false,
    params: (c) => ({
      groupId: `sg-0${c.random.hex(16)}`,
      ipPermissions: {
        items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }],
      },
    }),
    response: (c) => ({ requestId: c.random.uuid(), _return: true }),
  },
  ListBuckets: {
    source: 's3.amazonaws.com',
    name: 'ListBuckets',
    readOnly: true,
    params: () => ({ Host: 's3.amazonaws.com' }),
  },
  GetBucketAcl: {
    source: 's3.amazonaws.com',
    name: 'GetBucketAcl',
    readOnly: true,
    params: (c) => ({ bucketName: anyBucket(c), Host: 's3.amazonaws.com', acl: '' }),
    resources: s3Resources,
  },
  GetBucketPolicy: {
    source: 's3.amazonaws.com',
    name: 'GetBucketPolicy',
    readOnly: true,
    params: (c) => ({ bucketName: anyBucket(c), Host: 's3.amazonaws.com', policy: '' }),
    resources: s3Resources,
  },
  GetBucketVersioning: {
    source: 's3.amazonaws.com',
    name: 'GetBucketVersioning',
    readOnly: true,
    params: (c) => ({ bucketName: anyBucket(c), Host: 's3.amazonaws.com', versioning: '' }),
    resources: s3Resources,
  },
  GetBucketEncryption: {
    source: 's3.amazonaws.com',
    name: 'GetBucketEncryption',
    readOnly: true,
    params: (c) => ({ bucketName: anyBucket(c), Host: 's3.amazonaws.com', encryption: '' }),
    resources: s3Resources,
  },
  GetObject: {
    source: 's3.amazonaws.com',
    name: 'GetObject',
    readOnly: true,
    data: true,
    params: (c) => s3Object(c, appBucket(c)),
    resources: s3Resources,
    additional: (c) => s3DataAdditional(c.random, c.random.int(300, 90_000)),
  },
  PutObject: {
    source: 's3.amazonaws.com',
    name: 'PutObject',
    readOnly: false,
    data: true,
    params: (c) => s3Object(c, appBucket(c)),
    resources: s3Resources,
    additional: (c) => s3DataAdditional(c.random, 0, c.random.int(300, 90_000)),
  },
  HeadObject: {
    source: 's3.amazonaws.com',
    name: 'HeadObject',
    readOnly: true,
    data: true,
    params: (c) => s3Object(c, appBucket(c)),
    resources: s3Resources,
    additional: (c) => s3DataAdditional(c.random, 0),
  },
  Decrypt: {
    source: 'kms.amazonaws.com',
    name: 'Decrypt',
    readOnly: true,
    params: (c) => ({
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      encryptionContext: {
        'aws:secretsmanager:arn': `arn:aws:secretsmanager:${c.region}:${c.account.id}:secret:${c.random.pick(SECRETS)}-${c.random.chars(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
      },
    }),
    resources: (c) => [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: kmsKeyArn(c) }],
  },
  GenerateDataKey: {
    source: 'kms.amazonaws.com',
    name: 'GenerateDataKey',
    readOnly: true,
    params: (c) => ({ keyId: `alias/shop-${c.random.pick(['data', 'backups', 'sessions'])}`, keySpec: 'AES_256' }),
    resources: (c) => [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: kmsKeyArn(c) }],
  },
  GetCallerIdentity: { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true },
  AssumeRole: {
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    readOnly: true,
    params: (c) => {
      const role = c.random.pick(['order-processor-role', 'image-resizer-role', 'checkout-api-task', 'nightly-report-role']);
      return {
        roleArn: `arn:aws:iam::${c.account.id}:role/${role}`,
        roleSessionName: role.replace(/-(role|task)$/, '') + `-${c.random.int(1000, 9999)}`,
      };
    },
    response: (c) => ({
      credentials: {
        accessKeyId: `ASIA${c.random.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
        sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE',
        expiration: new Date(c.time + 3_600_000).toUTCString(),
      },
    }),
  },
  GetRole: {
    source: 'iam.amazonaws.com',
    name: 'GetRole',
    readOnly: true,
    global: true,
    params: (c) => ({
      roleName: c.random.pick(['shop-web-ec2-role', 'order-processor-role', 'OrganizationAccountAccessRole']),
    }),
  },
  ListRoles: {
    source: 'iam.amazonaws.com',
    name: 'ListRoles',
    readOnly: true,
    global: true,
    params: () => ({ maxItems: 100 }),
  },
  ListPolicies: {
    source: 'iam.amazonaws.com',
    name: 'ListPolicies',
    readOnly: true,
    global: true,
    params: () => ({ scope: 'Local', onlyAttached: false }),
  },
  ListAttachedRolePolicies: {
    source: 'iam.amazonaws.com',
    name: 'ListAttachedRolePolicies',
    readOnly: true,
    global: true,
    params: (c) => ({ roleName: c.random.pick(['shop-web-ec2-role', 'order-processor-role']) }),
  },
  ListUsers: { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, global: true, params: () => null },
  ListAccessKeys: {
    source: 'iam.amazonaws.com',
    name: 'ListAccessKeys',
    readOnly: true,
    global: true,
    params: (c) => ({ userName: c.random.pick(['ci-deploy', 'backup-agent']) }),
  },
  ConsoleLogin: {
    source: 'signin.amazonaws.com',
    name: 'ConsoleLogin',
    readOnly: false,
    global: true,
    eventType: 'AwsConsoleSignIn',
    params: () => null,
    response: () => ({ ConsoleLogin: 'Success' }),
    additional: () => ({ MobileVersion: 'No', MFAUsed: 'No' }),
  },
  DescribeLogGroups: {
    source: 'logs.amazonaws.com',
    name: 'DescribeLogGroups',
    readOnly: true,
    params: () => ({ limit: 50 }),
  },
  CreateLogStream: {
    source: 'logs.amazonaws.com',
    name: 'CreateLogStream',
    readOnly: false,
    params: (c) => ({
      logGroupName: `/aws/lambda/${c.random.pick(['order-processor', 'image-resizer', 'nightly-report'])}`,
      logStreamName: `${isoSeconds(c.time).slice(0, 10).replace(/-/g, '/')}/[$LATEST]${c.random.hex(32)}`,
    }),
  },
  GetMetricData: {
    source: 'monitoring.amazonaws.com',
    name: 'GetMetricData',
    readOnly: true,
    params: (c) => ({ startTime: isoSeconds(c.time - 10_800_000), endTime: isoSeconds(c.time), maxDatapoints: 1440 }),
  },
  ListFunctions: {
    source: 'lambda.amazonaws.com',
    name: 'ListFunctions20150331',
    readOnly: true,
    params: () => ({ functionVersion: 'ALL' }),
  },
  UpdateFunctionCode: {
    source: 'lambda.amazonaws.com',
    name: 'UpdateFunctionCode20150331v2',
    readOnly: false,
    params: (c) => ({
      functionName: c.random.pick(['order-processor', 'image-resizer', 'nightly-report']),
      s3Bucket: bucketName(c.account.id, 'artifacts'),
      s3Key: `lambda/${c.random.hex(12)}.zip`,
      publish: true,
    }),
  },
  GetSecretValue: {
    source: 'secretsmanager.amazonaws.com',
    name: 'GetSecretValue',
    readOnly: true,
    params: (c) => ({
      secretId: `arn:aws:secretsmanager:${c.region}:${c.account.id}:secret:${c.random.pick(SECRETS)}`,
    }),
  },
  GetParameters: {
    source: 'ssm.amazonaws.com',
    name: 'GetParameters',
    readOnly: true,
    params: (c) => ({ names: [c.random.pick(PARAMETERS), c.random.pick(PARAMETERS)], withDecryption: true }),
  },
  GetParameter: {
    source: 'ssm.amazonaws.com',
    name: 'GetParameter',
    readOnly: true,
    params: (c) => ({ name: c.random.pick(PARAMETERS), withDecryption: true }),
  },
  GetAuthorizationToken: {
    source: 'ecr.amazonaws.com',
    name: 'GetAuthorizationToken',
    readOnly: true,
    params: () => null,
  },
  BatchGetImage: {
    source: 'ecr.amazonaws.com',
    name: 'BatchGetImage',
    readOnly: true,
    params: (c) => ({
      repositoryName: 'shop/checkout-api',
      imageIds: [{ imageTag: `v${c.random.int(1, 3)}.${c.random.int(0, 40)}.${c.random.int(0, 9)}` }],
      acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
    }),
  },
  DescribeServices: {
    source: 'ecs.amazonaws.com',
    name: 'DescribeServices',
    readOnly: true,
    params: () => ({ cluster: 'shop', services: ['checkout-api'] }),
  },
  UpdateService: {
    source: 'ecs.amazonaws.com',
    name: 'UpdateService',
    readOnly: false,
    params: (c) => ({
      cluster: 'shop',
      service: 'checkout-api',
      taskDefinition: `checkout-api:${c.random.int(100, 400)}`,
      forceNewDeployment: false,
    }),
  },
  RegisterTaskDefinition: {
    source: 'ecs.amazonaws.com',
    name: 'RegisterTaskDefinition',
    readOnly: false,
    params: () => ({
      family: 'checkout-api',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
    }),
  },
  DescribeStacks: {
    source: 'cloudformation.amazonaws.com',
    name: 'DescribeStacks',
    readOnly: true,
    params: (c) => ({ stackName: c.random.pick(['shop-network', 'shop-app', 'shop-data']) }),
  },
  CreateChangeSet: {
    source: 'cloudformation.amazonaws.com',
    name: 'CreateChangeSet',
    readOnly: false,
    params: (c) => ({
      stackName: c.random.pick(['shop-network', 'shop-app', 'shop-data']),
      changeSetName: `cd-${c.random.hex(8)}`,
      changeSetType: 'UPDATE',
    }),
  },
  DescribeTable: {
    source: 'dynamodb.amazonaws.com',
    name: 'DescribeTable',
    readOnly: true,
    params: (c) => ({ tableName: c.random.pick(TABLES) }),
  },
  DescribeDBInstances: {
    source: 'rds.amazonaws.com',
    name: 'DescribeDBInstances',
    readOnly: true,
    params: () => ({ dBInstanceIdentifier: 'shop-db' }),
  },
} satisfies Record<string, Api>;

export type ApiName = keyof typeof APIS;
