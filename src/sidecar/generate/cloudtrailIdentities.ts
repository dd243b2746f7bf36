import type { ApiName } from './cloudtrailApis';
import { awsIp } from './network';
import { Random, seedOf, UPPER_ALNUM, Weighted } from './random';
import { HOUR, isoSeconds } from './time';
import type { AccountInfo, Instance, World } from './world';

// Who calls the APIs in background CloudTrail records: people through SSO, a CI user,
// Lambda functions, an ECS task, the web instances' role, and AWS services.

export const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface Caller {
  /** What kind of caller, for the user agent and TLS details. */
  kind: 'person' | 'ci' | 'lambda' | 'ecs' | 'instance' | 'config' | 'autoscaling' | 'service';
  apis: Weighted<ApiName>;
  /** The calls this caller may make in a region other than us-east-1 (no IAM, no sign-in). */
  regionalApis: Weighted<ApiName>;
  identity(time: number): Record<string, unknown>;
  sourceIp(random: Random, time: number): string;
  userAgent(random: Random, api: string): string;
  /** Console sessions mark their calls. */
  console?: boolean;
  /** The web instance whose role this is, when it is one (its stolen hour is left out). */
  instance?: Instance;
}

export interface AccountCallers {
  callers: Weighted<Caller>;
  /** Without the shop's attacked instance, for the hour whose key was stolen. */
  callersWithoutVictim: Weighted<Caller>;
}

const CLI = (api: string) =>
  `aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/macos#23.4.0 md/arch#arm64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#${api.toLowerCase()}`;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const TERRAFORM =
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.45.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.6';
const BOTO3 =
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.214-223.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69';
const NODE_SDK = 'aws-sdk-js/3.540.0 ua/2.1 os/linux#5.10.214-223.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 exec-env/AWS_ECS_FARGATE';
export const JAVA_SDK =
  'aws-sdk-java/2.25.16 Linux/6.1.79-99.167.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy';

/** A deterministic access key ID: the same caller and session always get the same key. */
export function accessKeyId(seed: string, prefix: 'ASIA' | 'AKIA', ...parts: Array<string | number>): string {
  return prefix + new Random(seedOf(seed, 'key', prefix, ...parts)).chars(16, KEY_ALPHABET);
}

function weighted(entries: Array<[ApiName, number]>): { apis: Weighted<ApiName>; regionalApis: Weighted<ApiName> } {
  const regional = entries.filter(([name]) => !GLOBAL_APIS.has(name));
  return { apis: new Weighted(entries), regionalApis: new Weighted(regional.length > 0 ? regional : entries) };
}

const GLOBAL_APIS = new Set<ApiName>(['GetRole', 'ListRoles', 'ListPolicies', 'ListAttachedRolePolicies', 'ListUsers', 'ListAccessKeys', 'ConsoleLogin']);

/** The principal ID of the CI user, the same in background and planted records. */
export function ciPrincipalId(seed: string, account: string): string {
  return `AIDA${new Random(seedOf(seed, 'ci-principal', account)).chars(17, UPPER_ALNUM)}`;
}

/** An assumed-role identity of a session that started at `issued`. */
export function assumedRole(
  account: string,
  roleName: string,
  roleId: string,
  session: string,
  keyId: string,
  issued: number,
  extra: Record<string, unknown> = {}
) {
  return {
    type: 'AssumedRole',
    principalId: `${roleId}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
    accountId: account,
    accessKeyId: keyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId,
        arn: `arn:aws:iam::${account}:role/${roleName}`,
        accountId: account,
        userName: roleName,
      },
      attributes: { creationDate: isoSeconds(issued), mfaAuthenticated: 'false' },
      ...extra,
    },
  };
}

/** Instance profile sessions rotate every hour; the key of the session holding `time`. */
export function instanceSession(world: World, instance: Instance, time: number): { keyId: string; issued: number } {
  const hour = Math.floor(time / HOUR);
  return { keyId: accessKeyId(world.seed, 'ASIA', 'instance', instance.instanceId, hour), issued: hour * HOUR };
}

export function buildCallers(world: World, account: AccountInfo, region: string): AccountCallers {
  const random = new Random(seedOf(world.seed, 'callers', account.id));
  const roleId = () => `AROA${random.chars(17, UPPER_ALNUM)}`;
  const entries: Array<[Caller, number]> = [];
  const prodLike = account.kind !== 'shared';

  const people = account.kind === 'shared' ? world.people.filter((p) => p.permissionSet === 'AdministratorAccess') : world.people;
  for (const person of people) {
    const suffix = random.hex(16);
    const role = `AWSReservedSSO_${person.permissionSet}_${suffix}`;
    const id = roleId();
    const issuerArn = `arn:aws:iam::${account.id}:role/aws-reserved/sso.amazonaws.com/${role}`;
    const console = random.chance(0.5);
    entries.push([
      {
        kind: 'person',
        console,
        ...weighted([
          ['DescribeInstances', 10],
          ['DescribeSecurityGroups', 4],
          ['DescribeSubnets', 2],
          ['DescribeVpcs', 2],
          ['ListBuckets', 4],
          ['GetBucketPolicy', 1],
          ['DescribeLogGroups', 4],
          ['GetMetricData', 8],
          ['ListFunctions', 3],
          ['DescribeStacks', 3],
          ['DescribeDBInstances', 2],
          ['DescribeServices', 2],
          ['GetCallerIdentity', 2],
          ['ListRoles', 1.5],
          ['GetRole', 1.5],
          ['ListUsers', 0.5],
          ['ListAccessKeys', 0.3],
          ['ListPolicies', 0.5],
          ['ConsoleLogin', 0.6],
          ['AuthorizeSecurityGroupIngress', 0.1],
          ['CreateTags', 0.3],
        ]),
        identity(time) {
          const session = Math.floor(time / (8 * HOUR));
          return {
            type: 'AssumedRole',
            principalId: `${id}:${person.email}`,
            arn: `arn:aws:sts::${account.id}:assumed-role/${role}/${person.email}`,
            accountId: account.id,
            accessKeyId: accessKeyId(world.seed, 'ASIA', 'sso', account.id, person.name, session),
            sessionContext: {
              sessionIssuer: { type: 'Role', principalId: id, arn: issuerArn, accountId: account.id, userName: role },
              attributes: { creationDate: isoSeconds(session * 8 * HOUR), mfaAuthenticated: 'false' },
            },
          };
        },
        sourceIp: (r) => (r.chance(0.7) ? r.pick(world.officeIps) : person.homeIp),
        userAgent: (_r, api) => (console ? BROWSER : CLI(api)),
      },
      account.kind === 'prod' ? 1.2 : 0.8,
    ]);
  }

  if (prodLike) {
    const ciKey = accessKeyId(world.seed, 'AKIA', 'ci-deploy', account.id);
    const ciPrincipal = ciPrincipalId(world.seed, account.id);
    entries.push([
      {
        kind: 'ci',
        ...weighted([
          ['GetCallerIdentity', 6],
          ['DescribeStacks', 8],
          ['CreateChangeSet', 1],
          ['UpdateFunctionCode', 1],
          ['RegisterTaskDefinition', 1],
          ['UpdateService', 1],
          ['GetAuthorizationToken', 3],
          ['DescribeImages', 2],
          ['PutObject', 2],
        ]),
        identity: () => ({
          type: 'IAMUser',
          principalId: ciPrincipal,
          arn: `arn:aws:iam::${account.id}:user/ci-deploy`,
          accountId: account.id,
          accessKeyId: ciKey,
          userName: 'ci-deploy',
        }),
        sourceIp: (r) => r.pick(world.ciIps),
        userAgent: () => TERRAFORM,
      },
      2,
    ]);
  }

  for (const fn of prodLike ? ['order-processor', 'image-resizer', 'nightly-report'] : ['log-shipper', 'compliance-scan']) {
    const roleName = `${fn}-role`;
    const id = roleId();
    entries.push([
      {
        kind: 'lambda',
        ...weighted([
          ['Decrypt', 10],
          ['GetSecretValue', 3],
          ['GetParameter', 4],
          ['GetObject', 6],
          ['PutObject', 4],
          ['DescribeTable', 2],
          ['CreateLogStream', 2],
        ]),
        identity: (time) => {
          const hour = Math.floor(time / HOUR);
          return assumedRole(account.id, roleName, id, fn, accessKeyId(world.seed, 'ASIA', 'lambda', account.id, fn, hour), hour * HOUR);
        },
        sourceIp: (r) => awsIp(r),
        userAgent: () => BOTO3,
      },
      prodLike ? 5 : 3,
    ]);
  }

  if (prodLike) {
    const id = roleId();
    entries.push([
      {
        kind: 'ecs',
        ...weighted([
          ['Decrypt', 6],
          ['GetSecretValue', 3],
          ['GetParameters', 4],
          ['GetAuthorizationToken', 1],
          ['BatchGetImage', 1],
          ['GetObject', 3],
        ]),
        identity: (time) => {
          const hour = Math.floor(time / HOUR);
          const task = new Random(seedOf(world.seed, 'task', account.id, hour)).hex(32);
          return assumedRole(account.id, 'checkout-api-task', id, task, accessKeyId(world.seed, 'ASIA', 'ecs', account.id, hour), hour * HOUR);
        },
        sourceIp: (r) => awsIp(r),
        userAgent: () => NODE_SDK,
      },
      4,
    ]);
  }

  let victim: Caller | undefined;
  if (account.kind === 'prod') {
    const vpc = world.vpcs.find((v) => v.account === account.id && v.region === region);
    for (const instance of vpc?.web ?? []) {
      const caller: Caller = {
        kind: 'instance',
        instance,
        ...weighted([
          ['Decrypt', 6],
          ['GetSecretValue', 2],
          ['GetParameters', 3],
          ['GetObject', 5],
          ['PutObject', 2],
        ]),
        identity: (time) => {
          const { keyId, issued } = instanceSession(world, instance, time);
          return assumedRole(account.id, world.shop.roleName, world.shop.roleId, instance.instanceId, keyId, issued, {
            ec2RoleDelivery: '2.0',
          });
        },
        sourceIp: () => vpc!.nat.publicIp,
        userAgent: () => JAVA_SDK,
      };
      if (instance === world.shop.instance) {
        victim = caller;
      }
      entries.push([caller, 3]);
    }
  }

  const configRole = roleId();
  entries.push([
    {
      kind: 'config',
      ...weighted([
        ['DescribeInstances', 3],
        ['DescribeSecurityGroups', 3],
        ['DescribeVolumes', 2],
        ['DescribeNetworkInterfaces', 3],
        ['DescribeSubnets', 1],
        ['DescribeVpcs', 1],
        ['GetBucketAcl', 2],
        ['GetBucketPolicy', 2],
        ['GetBucketVersioning', 1],
        ['GetBucketEncryption', 1],
        ['DescribeDBInstances', 1],
        ['GetRole', 1],
        ['ListAttachedRolePolicies', 1],
      ]),
      identity: (time) => {
        const session = Math.floor(time / (6 * HOUR));
        return {
          ...assumedRole(
            account.id,
            'aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
            configRole,
            `AWSConfig-Describe-${session}`,
            accessKeyId(world.seed, 'ASIA', 'config', account.id, session),
            session * 6 * HOUR
          ),
          invokedBy: 'config.amazonaws.com',
        };
      },
      sourceIp: () => 'config.amazonaws.com',
      userAgent: () => 'config.amazonaws.com',
    },
    3,
  ]);

  if (prodLike) {
    const asRole = roleId();
    entries.push([
      {
        kind: 'autoscaling',
        ...weighted([
          ['DescribeInstances', 6],
          ['RunInstances', 1],
          ['TerminateInstances', 1],
          ['CreateTags', 1],
        ]),
        identity: (time) => {
          const hour = Math.floor(time / HOUR);
          return {
            ...assumedRole(
              account.id,
              'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
              asRole,
              'AutoScaling',
              accessKeyId(world.seed, 'ASIA', 'autoscaling', account.id, hour),
              hour * HOUR
            ),
            invokedBy: 'autoscaling.amazonaws.com',
          };
        },
        sourceIp: () => 'autoscaling.amazonaws.com',
        userAgent: () => 'autoscaling.amazonaws.com',
      },
      0.6,
    ]);
  }

  for (const service of ['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com']) {
    entries.push([
      {
        kind: 'service',
        ...weighted([['AssumeRole', 1]]),
        identity: () => ({ type: 'AWSService', invokedBy: service }),
        sourceIp: () => service,
        userAgent: () => service,
      },
      1.5,
    ]);
  }

  return {
    callers: new Weighted(entries),
    callersWithoutVictim: new Weighted(entries.filter(([caller]) => caller !== victim)),
  };
}
