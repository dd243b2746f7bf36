// Search latency on 10 million events: the compiled query next to the same SQL written by hand.
//   npx tsc -p bench/tsconfig.json
//   node dist-bench/bench/query.js [--events 10000000] [--runs 5] [--sql] [--dir PATH]
//
// --dir keeps the generated store in PATH and reuses it on the next run; --sql prints the SQL.
// Events are generated inside chDB with one INSERT ... SELECT FROM numbers(N): 30 days of
// CloudTrail, ALB and VPC flow rows (a third each) with raw text, the fields map and the text
// index, as ingest would store them. Each query runs through the language (parse, check fields,
// compile, run read-only with limits) and as hand-written SQL, alternating, after one warm-up
// each, swapping which runs first; the figure is the median of --runs. The ratio is compiled /
// hand-written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drainPending } from 'chdb';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { FieldCatalog } from '../src/sidecar/query/catalog';
import { compileQuery } from '../src/sidecar/query/compiler';
import type { QueryOptions } from '../src/sidecar/store/store';
import { flag, numberOption, stringOption } from './args';

const EVENTS = numberOption('events', 10_000_000);
const RUNS = numberOption('runs', 5);
const KEEP_DIR = stringOption('dir');

const FROM = '2024-03-01T00:00:00Z';
const TO = '2024-03-31T00:00:00Z';
const SPAN_MS = Date.parse(TO) - Date.parse(FROM);
const NEEDLE_ROW = Math.floor(EVENTS * 0.61803);
const LIMITS: QueryOptions = { readonly: true, maxExecutionSeconds: 120, maxMemoryBytes: 4 * 1024 ** 3, maxResultRows: 1001 };
const RANGE_SQL = "time >= toDateTime64('2024-03-01 00:00:00', 3, 'UTC') AND time < toDateTime64('2024-03-31 00:00:00', 3, 'UTC')";
const COLUMNS =
  'time, received_at, source_id, log_type, event_name, actor, src_ip, src_port, dst_ip, dst_port, outcome, status, severity, region, account, service, user_agent, bytes, raw, fields, bucket, key';

/** 30 days of events, a third each of CloudTrail, ALB and VPC flow; one row carries the needle IP. */
function generateSql(events: number): string {
  const step = SPAN_MS / events;
  return `
INSERT INTO events
SELECT
  toDateTime64('2024-03-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(toUInt64(number * ${step})) AS time,
  time AS received_at,
  ['trail', 'shop-alb', 'vpc'][kind] AS source_id,
  ['cloudtrail', 'alb', 'vpcflow'][kind] AS log_type,
  [['ConsoleLogin', 'GetObject', 'PutObject', 'AssumeRole', 'DescribeInstances', 'ListBuckets', 'RunInstances', 'Decrypt'][h % 8 + 1],
   ['GET', 'POST', 'GET', 'PUT'][h % 4 + 1],
   ['ACCEPT', 'ACCEPT', 'ACCEPT', 'REJECT'][h % 4 + 1]][kind] AS event_name,
  if(kind = 1, concat('arn:aws:iam::111122223333:user/user', toString(h2 % 500)), '') AS actor,
  if(number = ${NEEDLE_ROW}, '203.0.113.77', IPv4NumToString(toUInt32(if(h % 10 = 0, 1358954496, 167772160) + h2 % 65536))) AS src_ip,
  if(kind = 1, NULL, toUInt16(1024 + h % 60000)) AS src_port,
  IPv4NumToString(toUInt32(167772160 + h % 4096)) AS dst_ip,
  if(kind = 1, NULL, [443, 22, 80, 3389, 5432][h2 % 5 + 1]) AS dst_port,
  if(h % 13 = 0, 'failure', 'success') AS outcome,
  [if(h % 13 = 0, 'AccessDenied', 'Success'), toString([200, 200, 200, 404, 500, 502][h % 6 + 1]), 'OK'][kind] AS status,
  if(h % 13 = 0, 'error', 'info') AS severity,
  ['us-east-1', 'eu-west-1', 'us-west-2'][h2 % 3 + 1] AS region,
  '111122223333' AS account,
  ['sts.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'vpc-flow-logs.amazonaws.com'][kind] AS service,
  if(kind = 3, '', ['aws-cli/2.15.30 Python/3.11.8', 'Boto3/1.34.69', 'Mozilla/5.0 Firefox/123.0'][h % 3 + 1]) AS user_agent,
  if(kind = 1, NULL, h % 100000) AS bytes,
  [concat('{"eventVersion":"1.08","eventTime":"', toString(time), '","eventSource":"', service, '","eventName":"', event_name,
          '","awsRegion":"', region, '","sourceIPAddress":"', src_ip, '","userAgent":"', user_agent,
          '","userIdentity":{"type":"IAMUser","arn":"', actor, '"},"requestID":"', hex(h), '","errorCode":"', status,
          '","requestParameters":{"bucketName":"bucket-', toString(h2 % 50), '","key":"k/', toString(h % 1000), '"}}'),
   concat('https ', toString(time), ' app/shop-lb/50dc6c495c0c9188 ', src_ip, ':', toString(src_port), ' ', dst_ip, ':8080 0.001 0.020 0.000 ',
          status, ' ', status, ' 512 ', toString(bytes), ' "', event_name, ' https://shop.example.com:443/item/', toString(h % 1000),
          ' HTTP/1.1" "', user_agent, '" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "Root=1-', hex(h2), '"'),
   concat('2 111122223333 eni-0a1b2c3d4e5f67890 ', src_ip, ' ', dst_ip, ' ', toString(src_port), ' ', toString(dst_port), ' 6 10 ',
          toString(bytes), ' ', toString(toUnixTimestamp(time)), ' ', toString(toUnixTimestamp(time) + 60), ' ', event_name, ' OK')][kind] AS raw,
  [map('eventName', event_name, 'eventSource', service, 'sourceIPAddress', src_ip, 'userIdentity.arn', actor, 'awsRegion', region, 'requestID', hex(h),
       'errorCode', if(h % 13 = 0, 'AccessDenied', ''), 'requestParameters.bucketName', concat('bucket-', toString(h2 % 50)), 'requestParameters.key', concat('k/', toString(h % 1000))),
   map('elb_status_code', status, 'client_ip', src_ip, 'request_verb', event_name, 'user_agent', user_agent, 'sent_bytes', toString(bytes)),
   map('srcaddr', src_ip, 'dstaddr', dst_ip, 'dstport', toString(dst_port), 'action', event_name, 'bytes', toString(bytes))][kind] AS fields,
  'bench-logs' AS bucket,
  concat('AWSLogs/111122223333/bench/', toString(intDiv(number, 5000)), '.gz') AS key,
  '' AS etag,
  toUInt32(number % 5000) AS record_index,
  '' AS backfill_id
FROM (SELECT number, toUInt8(number % 3 + 1) AS kind, sipHash64(number) AS h, sipHash64(number, 7) AS h2 FROM numbers(${events}))
SETTINGS max_insert_threads = 2`;
}

interface Case {
  name: string;
  query: string;
  hand: string;
}

const CASES: Case[] = [
  {
    name: 'needle search (an IP, text index)',
    query: 'search 203.0.113.77',
    hand: `SELECT ${COLUMNS} FROM events WHERE ${RANGE_SQL} AND hasAllTokens(lower(raw), '203.0.113.77') AND position(raw, '203.0.113.77') > 0 ORDER BY time DESC LIMIT 1001`,
  },
  {
    name: 'needle search (a word, any case)',
    query: 'search AccessDenied and user123 | take 100',
    hand: `SELECT ${COLUMNS} FROM events WHERE ${RANGE_SQL} AND hasToken(lower(raw), 'accessdenied') AND hasToken(lower(raw), 'user123') ORDER BY time DESC LIMIT 100`,
  },
  {
    name: 'count by hour over 30 days',
    query: 'events | summarize count() by bin(time, 1h)',
    hand: `SELECT toStartOfHour(time) AS hour, count() FROM events WHERE ${RANGE_SQL} GROUP BY hour ORDER BY hour LIMIT 1001`,
  },
  {
    name: 'top 10 values of a field',
    query: 'CloudTrail | summarize n = count() by userIdentity.arn | top 10 by n',
    hand: `SELECT fields['userIdentity.arn'] AS arn, count() AS n FROM events WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' GROUP BY arn ORDER BY n DESC LIMIT 10`,
  },
  // Sentinel's tables and operators (issue 18): each side of a join is a time-bounded subquery.
  {
    name: 'join: failures and roles per user',
    query:
      'AWSCloudTrail | where EventName == "ConsoleLogin" and ErrorCode == "AccessDenied" | summarize failures = count() by UserIdentityArn' +
      ' | join kind=inner (AWSCloudTrail | where EventName == "AssumeRole" | summarize roles = count() by UserIdentityArn) on UserIdentityArn',
    hand: `SELECT l.arn, l.failures, r.arn, r.roles
FROM (SELECT fields['userIdentity.arn'] AS arn, count() AS failures FROM events
      WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' AND event_name = 'ConsoleLogin' AND fields['errorCode'] = 'AccessDenied' GROUP BY arn) AS l
INNER JOIN (SELECT fields['userIdentity.arn'] AS arn, count() AS roles FROM events
      WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' AND event_name = 'AssumeRole' GROUP BY arn) AS r ON l.arn = r.arn
LIMIT 1001`,
  },
  {
    name: 'join: logins, no role from 10.0.1.x',
    query:
      'AWSCloudTrail | where EventName == "ConsoleLogin"' +
      ' | join kind=leftanti (AWSCloudTrail | where EventName == "AssumeRole" and SourceIpAddress startswith "10.0.1." | distinct UserIdentityArn) on UserIdentityArn' +
      ' | summarize logins = count() by UserIdentityArn',
    hand: `SELECT l.arn, count() AS logins
FROM (SELECT fields['userIdentity.arn'] AS arn FROM events WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' AND event_name = 'ConsoleLogin') AS l
LEFT ANTI JOIN (SELECT DISTINCT fields['userIdentity.arn'] AS arn FROM events
      WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' AND event_name = 'AssumeRole' AND startsWith(fields['sourceIPAddress'], '10.0.1.')) AS r ON l.arn = r.arn
GROUP BY l.arn
LIMIT 1001`,
  },
  {
    name: 'make-series: VPC bytes per hour',
    query: 'AWSVPCFlow | make-series total = sum(Bytes) default = 0 on TimeGenerated step 1h by Action',
    hand: `SELECT action, arrayMap(i -> toFloat64(m[i]), range(720)) AS total,
  arrayMap(i -> toDateTime64('2024-03-01 00:00:00', 3, 'UTC') + toIntervalHour(i), range(720)) AS hours
FROM (SELECT action, mapFromArrays(groupArray(b), groupArray(v)) AS m
      FROM (SELECT event_name AS action, toUInt64(intDiv(toUnixTimestamp(time) - 1709251200, 3600)) AS b, sum(bytes) AS v FROM events
            WHERE ${RANGE_SQL} AND log_type = 'vpcflow' GROUP BY action, b)
      GROUP BY action)
LIMIT 1001`,
  },
  {
    name: 'RequestParameters from raw JSON',
    query: 'AWSCloudTrail | summarize n = count() by Bucket = tostring(parse_json(RequestParameters).bucketName) | top 10 by n',
    hand: `SELECT fields['requestParameters.bucketName'] AS bucket, count() AS n FROM events WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' GROUP BY bucket ORDER BY n DESC LIMIT 10`,
  },
  {
    name: 'RequestParameters, hand SQL on raw too',
    query: 'AWSCloudTrail | summarize n = count() by Bucket = tostring(parse_json(RequestParameters).bucketName) | top 10 by n',
    hand: `SELECT JSONExtractString(raw, 'requestParameters', 'bucketName') AS bucket, count() AS n FROM events WHERE ${RANGE_SQL} AND log_type = 'cloudtrail' GROUP BY bucket ORDER BY n DESC LIMIT 10`,
  },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Waits for what a migration left running on a reused store (an index built on the parts written before). */
async function mutationsDone(store: ChdbStore): Promise<void> {
  for (let announced = false; ; announced = true) {
    const { rows } = await store.query<{ n: number }>("SELECT count() AS n FROM system.mutations WHERE table = 'events' AND NOT is_done");
    if (Number(rows[0].n) === 0) {
      return;
    }
    if (!announced) {
      process.stdout.write('waiting for the migration to build its index on the stored events...\n');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main(): Promise<void> {
  const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'lookback-bench-query-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    await mutationsDone(store);
    const existing = await store.query<{ n: number }>('SELECT count() AS n FROM events');
    if (Number(existing.rows[0].n) === 0) {
      process.stdout.write(`generating ${EVENTS.toLocaleString('en')} events over 30 days...\n`);
      const generation = await timed(() => store.exec(generateSql(EVENTS)));
      process.stdout.write(`  generated in ${(generation / 1000).toFixed(1)} s\n`);
    }
    const { rows } = await store.query<{ n: number; bytes: number }>(
      "SELECT sum(rows) AS n, sum(data_compressed_bytes) AS bytes FROM system.parts WHERE table = 'events' AND active"
    );
    process.stdout.write(`  ${Number(rows[0].n).toLocaleString('en')} rows, ${(Number(rows[0].bytes) / 1024 ** 2).toFixed(0)} MiB on disk\n`);

    const catalog = new FieldCatalog(store);
    const catalogMs = await timed(() => catalog.snapshot());
    process.stdout.write(`  field catalog (mapKeys per log type): ${catalogMs.toFixed(0)} ms, cached afterwards\n\n`);
    const snapshot = await catalog.snapshot();

    process.stdout.write(`${'query'.padEnd(40)}${'compiled ms'.padStart(12)}${'hand SQL ms'.padStart(13)}${'ratio'.padStart(8)}${'rows'.padStart(7)}\n`);
    for (const c of CASES) {
      const compile = () => compileQuery(c.query, { from: Date.parse(FROM), to: Date.parse(TO), maxRows: 1000, fields: snapshot });
      const compiled = compile();
      const viaLanguage = async () => {
        const q = compile();
        return store.query(q.sql, q.params, LIMITS);
      };
      const byHand = () => store.query(c.hand, {}, LIMITS);
      const ours = await viaLanguage();
      const theirs = await byHand();
      if (ours.rows.length !== theirs.rows.length) {
        throw new Error(`${c.name}: the compiled query returned ${ours.rows.length} rows, the hand-written one ${theirs.rows.length}`);
      }
      const compiledTimes: number[] = [];
      const handTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        // Swap which goes first each run, so caches warmed by one do not favour the other.
        if (i % 2 === 0) {
          compiledTimes.push(await timed(viaLanguage));
          handTimes.push(await timed(byHand));
        } else {
          handTimes.push(await timed(byHand));
          compiledTimes.push(await timed(viaLanguage));
        }
      }
      const a = median(compiledTimes);
      const b = median(handTimes);
      process.stdout.write(
        `${c.name.padEnd(40)}${a.toFixed(1).padStart(12)}${b.toFixed(1).padStart(13)}${(a / b).toFixed(2).padStart(8)}${String(ours.rows.length).padStart(7)}\n`
      );
      if (flag('sql')) {
        process.stdout.write(`${compiled.sql}\n${JSON.stringify(compiled.params)}\n\n`);
      }
    }
  } finally {
    await store.close();
    await drainPending();
    if (!KEEP_DIR) {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
