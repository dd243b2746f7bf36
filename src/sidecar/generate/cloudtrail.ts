import { Random } from './random';

export interface CloudTrailFile {
  key: string;
  records: object[];
}

export interface CloudTrailOptions {
  account: string;
  region: string;
  start: number;
  end: number;
  files: number;
  eventsPerFile: number;
  seed: number;
}

const USERS = ['alice', 'bob', 'carol', 'deploy-bot', 'ci-runner'];
const CALLS: Array<[string, string, boolean]> = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['s3.amazonaws.com', 'PutObject', false],
  ['s3.amazonaws.com', 'ListBuckets', true],
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['ec2.amazonaws.com', 'RunInstances', false],
  ['sts.amazonaws.com', 'AssumeRole', true],
  ['sts.amazonaws.com', 'GetCallerIdentity', true],
  ['iam.amazonaws.com', 'ListUsers', true],
  ['kms.amazonaws.com', 'Decrypt', true],
  ['signin.amazonaws.com', 'ConsoleLogin', false],
];
const AGENTS = ['aws-cli/2.15.30 Python/3.11.8 Linux/6.1', 'Boto3/1.34.69 Python/3.12.2', 'console.amazonaws.com', 'terraform/1.7.5'];

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
}

/**
 * CloudTrail log files as a trail delivers them: `{"Records":[...]}` under
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz`.
 */
export function cloudTrailFiles(opts: CloudTrailOptions): CloudTrailFile[] {
  const random = new Random(opts.seed);
  const span = Math.max(1, opts.end - opts.start);
  const files: CloudTrailFile[] = [];
  for (let f = 0; f < opts.files; f++) {
    const fileTime = opts.start + Math.floor(((f + 1) * span) / opts.files);
    const records: object[] = [];
    for (let e = 0; e < opts.eventsPerFile; e++) {
      const time = fileTime - random.int(0, Math.min(span, 5 * 60_000));
      const [source, name, readOnly] = random.pick(CALLS);
      const user = random.pick(USERS);
      const failed = random.next() < 0.04;
      const record: Record<string, unknown> = {
        eventVersion: '1.09',
        userIdentity: {
          type: 'IAMUser',
          principalId: `AIDA${random.hex(16).toUpperCase()}`,
          arn: `arn:aws:iam::${opts.account}:user/${user}`,
          accountId: opts.account,
          accessKeyId: `AKIA${random.hex(16).toUpperCase()}`,
          userName: user,
        },
        eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        eventSource: source,
        eventName: name,
        awsRegion: opts.region,
        sourceIPAddress: `198.51.100.${random.int(1, 254)}`,
        userAgent: random.pick(AGENTS),
        requestParameters: null,
        responseElements: name === 'ConsoleLogin' ? { ConsoleLogin: failed ? 'Failure' : 'Success' } : null,
        requestID: random.hex(32),
        eventID: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
        readOnly,
        eventType: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: opts.account,
      };
      if (failed && name !== 'ConsoleLogin') {
        record.errorCode = 'AccessDenied';
        record.errorMessage = `User: arn:aws:iam::${opts.account}:user/${user} is not authorized to perform: ${source.split('.')[0]}:${name}`;
      }
      records.push(record);
    }
    const day = new Date(fileTime).toISOString().slice(0, 10).replace(/-/g, '/');
    const key = `AWSLogs/${opts.account}/CloudTrail/${opts.region}/${day}/${opts.account}_CloudTrail_${opts.region}_${stamp(fileTime)}_${random.hex(16)}.json.gz`;
    files.push({ key, records });
  }
  return files;
}
