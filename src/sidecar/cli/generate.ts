import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createBucket } from '../generate/bucket';
import { describeIncident, describeSummary } from '../generate/describe';
import { GenerateOptionsError } from '../generate/options';
import { GENERATED_LOG_TYPES, type GenerateOptions, type GeneratedLogType } from '../generate/types';
import { uploadObjects } from '../generate/upload';
import { parseOptions, UsageError } from './args';

export const GENERATE_USAGE = `usage: lookback generate --bucket NAME [--endpoint URL] [options]

Writes realistic AWS logs (CloudTrail, ALB, VPC flow) into an S3 bucket, keyed and gzipped as
AWS writes them, with an SSRF -> stolen credentials -> exfiltration incident hidden inside.

  --bucket NAME           target bucket (required)
  --endpoint URL          S3-compatible endpoint (the emulator); default AWS
  --region REGION         S3 client region; default AWS_REGION or us-east-1
  --create-bucket         create the bucket when it does not exist
  --days N                length of the range in days; default 30
  --end ISO               end of the range; default the current hour
  --events N              background events over the range; default 1000000
  --seed S                same seed, same options: same bucket byte for byte; default 1
  --accounts N            accounts; default 3
  --regions A,B           log regions; default us-east-1,eu-west-1
  --types T,U             some of ${GENERATED_LOG_TYPES.join(',')}; default all
  --file-minutes N        minutes per object instead of AWS's 5 (CloudTrail, ALB) and 10 (VPC flow)
  --no-incident           background only
  --incident-at ISO       when the SSRF fetches the credentials
  --concurrency N         PutObject calls in flight; default 16
  --dry-run               print the plan without writing anything
  --json                  print the summary (counts per type and day, incident facts) as JSON
`;

function numberOption(value: string | undefined, name: string, check: (n: number) => boolean, what: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const x = Number(value);
  if (!Number.isFinite(x) || !check(x)) {
    throw new UsageError(`${name} must be ${what}, got "${value}"`);
  }
  return x;
}

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export async function runGenerate(args: string[]): Promise<void> {
  const { values } = parseOptions(args, {
    bucket: { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    'create-bucket': { type: 'boolean' },
    days: { type: 'string' },
    end: { type: 'string' },
    events: { type: 'string' },
    seed: { type: 'string' },
    accounts: { type: 'string' },
    regions: { type: 'string' },
    types: { type: 'string' },
    'file-minutes': { type: 'string' },
    'no-incident': { type: 'boolean' },
    'incident-at': { type: 'string' },
    concurrency: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(GENERATE_USAGE);
    return;
  }
  const fileMinutes = numberOption(values['file-minutes'], '--file-minutes', Number.isInteger, 'a whole number of minutes');
  const types = list(values.types) as GeneratedLogType[] | undefined;
  const options: GenerateOptions = {
    seed: values.seed ?? 1,
    end: values.end ?? Math.floor(Date.now() / 3_600_000) * 3_600_000,
    days: numberOption(values.days, '--days', (x) => x > 0, 'a positive number of days') ?? 30,
    targetEvents: numberOption(values.events, '--events', (x) => Number.isInteger(x) && x >= 0, 'a whole number of events') ?? 1_000_000,
    accounts: numberOption(values.accounts, '--accounts', Number.isInteger, 'a whole number') ?? 3,
    regions: list(values.regions),
    types,
    fileMinutes: fileMinutes === undefined ? undefined : { cloudtrail: fileMinutes, alb: fileMinutes, vpcflow: fileMinutes },
    incident: !values['no-incident'],
    incidentAt: values['incident-at'],
  };
  const concurrency = numberOption(values.concurrency, '--concurrency', (x) => Number.isInteger(x) && x >= 1, 'a whole number of at least 1') ?? 16;

  let bucket;
  try {
    bucket = createBucket(options);
  } catch (err) {
    throw err instanceof GenerateOptionsError ? new UsageError(err.message) : err;
  }
  if (!values.bucket && !values['dry-run']) {
    throw new UsageError(`--bucket is required\n\n${GENERATE_USAGE}`);
  }
  const json = Boolean(values.json);
  const say = (line = '') => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const summary = bucket.summary();
  describeSummary(summary).forEach((l) => say(l));
  say(`reproduce with --seed ${summary.seed} --end ${summary.end} --days ${options.days}`);
  if (summary.incident) {
    say();
    say('incident:');
    describeIncident(summary.incident).forEach((l) => say(`  ${l}`));
  }
  if (values['dry-run']) {
    if (json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    }
    return;
  }

  const endpoint = values.endpoint;
  const s3 = new S3Client({
    endpoint,
    region: values.region ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: Boolean(endpoint),
    credentials: endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'lookback', secretAccessKey: 'lookback' } : undefined,
  });
  const name = values.bucket!;
  await ensureBucket(s3, name, Boolean(values['create-bucket']), endpoint);

  say();
  const started = Date.now();
  let events = 0;
  let bytes = 0;
  let shown = 0;
  const tty = !json && process.stdout.isTTY;
  const progress = (done: number) => {
    const seconds = (Date.now() - started) / 1000;
    const line = `uploaded ${done.toLocaleString('en-US')}/${summary.objects.toLocaleString('en-US')} objects, ${events.toLocaleString('en-US')} events, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round(events / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s)`;
    if (tty) {
      process.stdout.write(`\r${line}`);
    } else {
      say(line);
    }
  };
  try {
    await uploadObjects(s3, name, bucket.objects(), {
      concurrency,
      onUploaded: (o, done) => {
        events += o.events;
        bytes += o.size;
        const now = Date.now();
        if (now - shown >= (tty ? 250 : 5000) || done === summary.objects) {
          shown = now;
          progress(done);
        }
      },
    });
  } finally {
    s3.destroy();
  }
  if (tty) {
    process.stdout.write('\n');
  }
  say(`wrote ${summary.objects.toLocaleString('en-US')} objects to s3://${name}${endpoint ? ` at ${endpoint}` : ''}`);
  if (json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  }
}

async function ensureBucket(s3: S3Client, bucket: string, create: boolean, endpoint: string | undefined): Promise<void> {
  const where = `s3://${bucket}${endpoint ? ` at ${endpoint}` : ''}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) {
      throw new UsageError(`cannot reach ${where}: ${(err as Error).name} ${(err as Error).message}`.trim());
    }
  }
  if (!create) {
    throw new UsageError(`bucket ${where} does not exist; create it or add --create-bucket`);
  }
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}
