// Peak memory of ingest-parsing one 1 GB (uncompressed) CloudTrail `{"Records":[...]}` document.
//   npx tsc -p bench/tsconfig.json
//   node --expose-gc dist-bench/bench/memory-1gb.js [--mb 1024] [--plain]
//
// The document is generated on the fly and streamed (never held whole), gzipped as CloudTrail
// delivers it (unless --plain), then read the way ingest reads an S3 body: gunzip by magic, peek,
// detect by key, parse, and build the store row of every event. Rows are dropped instead of being
// inserted, so the figure is the parse path's own. It prints the peak RSS growth over the RSS
// measured just before the object is read; the budget is 200 MB.
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { decodeBody, peek } from '../src/sidecar/ingest/decode';
import { toEventRow, type RowContext } from '../src/sidecar/ingest/rows';
import { timeFromKey } from '../src/sidecar/keys/keyTime';
import { detectFormat } from '../src/sidecar/formats/registry';

const BUDGET_MB = 200;
const KEY = 'AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/123456789012_CloudTrail_us-east-1_20240501T2355Z_MEMORYBENCH01.json.gz';
const CHUNK_CHARS = 256 * 1024;
const CALLS = [
  ['s3.amazonaws.com', 'GetObject', true],
  ['ec2.amazonaws.com', 'DescribeInstances', true],
  ['iam.amazonaws.com', 'CreateAccessKey', false],
  ['sts.amazonaws.com', 'AssumeRole', true],
  ['kms.amazonaws.com', 'Decrypt', true],
] as const;

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0').slice(-width);
}

/** One realistic management/data event (about 1.1 KB), different for every n. */
function record(n: number): string {
  const [source, name, readOnly] = CALLS[n % CALLS.length];
  const time = new Date(Date.UTC(2024, 4, 1) + n * 50).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const user = `user-${n % 97}`;
  const id = `${hex(n * 2654435761, 8)}-${hex(n, 4)}-4${hex(n >> 4, 3)}-a${hex(n >> 8, 3)}-${hex(n * 40503, 12)}`;
  return JSON.stringify({
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEID${n % 13}:${user}`,
      arn: `arn:aws:sts::123456789012:assumed-role/Operator/${user}`,
      accountId: '123456789012',
      accessKeyId: `ASIA${hex(n, 16).toUpperCase()}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEID',
          arn: 'arn:aws:iam::123456789012:role/Operator',
          accountId: '123456789012',
          userName: 'Operator',
        },
        attributes: { creationDate: time, mfaAuthenticated: 'false' },
      },
    },
    eventTime: time,
    eventSource: source,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.${(n >> 8) % 256}.${n % 256}`,
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/s3api.get-object',
    errorCode: n % 41 === 0 ? 'AccessDenied' : undefined,
    requestParameters: { bucketName: `bucket-${n % 7}`, key: `reports/2024/05/01/object-${n}.csv`, Host: `bucket-${n % 7}.s3.us-east-1.amazonaws.com` },
    responseElements: null,
    additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredOut: n % 65536 },
    requestID: hex(n * 7919, 16).toUpperCase(),
    eventID: id,
    readOnly,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::bucket-${n % 7}/reports/2024/05/01/object-${n}.csv` }],
    eventType: 'AwsApiCall',
    managementEvent: !readOnly,
    recipientAccountId: '123456789012',
    eventCategory: readOnly ? 'Data' : 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `bucket-${n % 7}.s3.us-east-1.amazonaws.com` },
  });
}

/** The document, `bytes` long (give or take a record), produced chunk by chunk. */
async function* document(bytes: number): AsyncGenerator<Buffer> {
  let written = 0;
  let n = 0;
  let chunk = '{"Records":[';
  while (written + chunk.length < bytes) {
    chunk += (n > 0 ? ',' : '') + record(n++);
    if (chunk.length >= CHUNK_CHARS) {
      written += chunk.length;
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  yield Buffer.from(`${chunk}]}`);
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--mb');
  const size = (at > 0 ? Number(process.argv[at + 1]) : 1024) * 1024 * 1024;
  const plain = process.argv.includes('--plain');
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  let peakSampled = baseline;
  let peakHeap = 0;
  const started = Date.now();

  const source = Readable.from(document(size));
  const body = plain ? source : source.pipe(createGzip({ level: 1 }));
  const { stream: decoded, gzip } = await decodeBody(body);
  const { head, stream } = await peek(decoded);
  const detection = detectFormat('auto', KEY, head);
  if ('error' in detection) {
    throw new Error(detection.error);
  }
  const ctx: RowContext = {
    sourceId: 'bench',
    logType: detection.format.type,
    bucket: 'bench',
    key: KEY,
    etag: 'bench',
    backfillId: '',
    receivedAt: '2024-05-02 00:00:00.000',
    fallbackTime: timeFromKey(KEY) ?? Date.now(),
  };
  let events = 0;
  let malformed = 0;
  let rawChars = 0;
  let index = 0;
  for await (const item of detection.format.parse(stream, { bucket: 'bench', key: KEY, size, keyTime: timeFromKey(KEY) })) {
    index++;
    if ('malformed' in item) {
      malformed++;
      continue;
    }
    rawChars += toEventRow(item.event, index, ctx).raw.length;
    events++;
    if (events % 20_000 === 0) {
      const usage = process.memoryUsage();
      peakSampled = Math.max(peakSampled, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const peakRss = Math.max(peakSampled, process.resourceUsage().maxRSS * 1024);
  const growth = peakRss - baseline;
  console.log(
    `document: ${mb(size)} MB of CloudTrail JSON, one {"Records":[...]} object, ${gzip ? 'gzipped (level 1)' : 'not compressed'}, detected as ${detection.format.type}`
  );
  console.log(
    `events: ${events.toLocaleString('en-US')} (${mb(rawChars)} MB of raw record text), malformed: ${malformed}, in ${seconds.toFixed(1)} s (${(size / 1024 / 1024 / seconds).toFixed(1)} MB/s)`
  );
  console.log(`RSS: baseline ${mb(baseline)} MB, peak ${mb(peakRss)} MB, peak heap used ${mb(peakHeap)} MB`);
  console.log(`peak RSS growth: ${mb(growth)} MB (budget ${BUDGET_MB} MB): ${growth < BUDGET_MB * 1024 * 1024 ? 'OK' : 'OVER BUDGET'}`);
  if (growth >= BUDGET_MB * 1024 * 1024 || malformed > 0) {
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
