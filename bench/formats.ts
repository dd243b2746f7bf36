// Parse throughput per log format, next to the raw cost of gunzip + line splitting of the same bytes.
//   npx tsc -p bench/tsconfig.json
//   node dist-bench/bench/formats.js [--mb 24] [--runs 3]
//
// Each format gets a payload of about --mb MB (decoded) built from the hand-written samples in
// src/sidecar/formats/testdata, gzipped as AWS delivers it. Both measurements run in this process,
// one after the other, on one core: "raw" = gunzip + split into lines, "parse" = gunzip + detect-free
// parse into events (what ingest does before inserting). Parquet has no gzip layer: its raw cost is
// hyparquet decoding every row. Each figure is the best of --runs runs, alternating raw and parse,
// so a busy machine skews the ratio less.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { queryAsync } from 'chdb';
import { decodeBody } from '../src/sidecar/ingest/decode';
import { lineBatches } from '../src/sidecar/formats/lines';
import { chunksOf, objectInfo, parseAll } from '../src/sidecar/formats/parseAll';
import { parquetRows } from '../src/sidecar/formats/parquetRows';
import { formatOf } from '../src/sidecar/formats/registry';
import type { LogFormat } from '../src/sidecar/formats/types';
import type { LogType } from '../src/shared/api';

const TESTDATA = resolve(__dirname, '../../src/sidecar/formats/testdata');
const CHUNK = 64 * 1024;

interface Case {
  name: string;
  type: LogType;
  key: string;
  /** The decoded object, and the bytes S3 would serve. */
  decoded: Buffer;
  body: Buffer;
  parquet?: boolean;
}

interface Row {
  name: string;
  mb: number;
  events: number;
  rawSeconds: number;
  parseSeconds: number;
}

function argNumber(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/** The records of a sample that parse cleanly, as their raw text. */
async function seeds(format: LogFormat, file: string, key: string): Promise<string[]> {
  const { events } = await parseAll(format, chunksOf(readFileSync(resolve(TESTDATA, file))), objectInfo(key));
  return events.map((e) => e.raw);
}

/**
 * Varies a record the way real traffic does without changing its shape: the last octet of each
 * IPv4 address and every long hex identifier. Without it gzip would see a few lines repeated and
 * both gunzip and the parsers would run on unrealistically hot data.
 */
function vary(record: string, n: number): string {
  let seed = n * 2654435761;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  return record
    .replace(/\b(\d{1,3}\.\d{1,3}\.\d{1,3}\.)\d{1,3}\b/g, (_m, net: string) => `${net}${next() % 250}`)
    .replace(/\b[0-9a-f]{16,}\b/g, (id) => Array.from(id, () => (next() % 16).toString(16)).join(''));
}

/** Repeats records, varied, until the text reaches `bytes`. */
function repeat(records: string[], bytes: number, separator: string): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const r = vary(records[i % records.length], i);
    parts.push(r);
    size += r.length + separator.length;
  }
  return parts.join(separator);
}

async function textCase(name: string, type: LogType, file: string, key: string, bytes: number, header = ''): Promise<Case> {
  const format = formatOf(type)!;
  const body = `${header}${repeat(await seeds(format, file, key), bytes, '\n')}\n`;
  const decoded = Buffer.from(body);
  return { name, type, key, decoded, body: gzipSync(decoded) };
}

async function cases(bytes: number): Promise<Case[]> {
  const ct = 'AWSLogs/123456789012/CloudTrail/us-east-2/2023/07/19/123456789012_CloudTrail_us-east-2_20230719T2120Z_EXAMPLE.json.gz';
  const trail = await seeds(formatOf('cloudtrail')!, 'cloudtrail-mixed.json', ct);
  const trailDoc = Buffer.from(`{"Records":[${repeat(trail, bytes, ',')}]}`);
  const vpcHeader = readFileSync(resolve(TESTDATA, 'vpcflow-v5.log'), 'utf8').split('\n')[0] + '\n';
  const cfHeader = readFileSync(resolve(TESTDATA, 'cloudfront-standard.log'), 'utf8').split('\n').slice(0, 2).join('\n') + '\n';
  const vpcKey =
    'AWSLogs/123456789012/vpcflowlogs/ap-southeast-2/2021/03/26/123456789012_vpcflowlogs_ap-southeast-2_fl-1234abcd_20210326T0330Z_a1b2c3d4.log.gz';
  return [
    { name: 'cloudtrail (Records doc)', type: 'cloudtrail', key: ct, decoded: trailDoc, body: gzipSync(trailDoc) },
    await textCase(
      'alb',
      'alb',
      'alb-access.log',
      'AWSLogs/123456789012/elasticloadbalancing/us-east-2/2018/07/02/123456789012_elasticloadbalancing_us-east-2_app.lb.50dc6c495c0c9188_20180702T2225Z_10.0.0.1_x.log.gz',
      bytes
    ),
    await textCase(
      'alb_connection',
      'alb_connection',
      'alb-connection.log',
      'AWSLogs/123456789012/elasticloadbalancing/us-east-1/2023/10/04/conn_log_123456789012_elasticloadbalancing_us-east-1_app.lb.1234567890abcdef_20231004T1740Z_10.0.0.5_x.log.gz',
      bytes
    ),
    await textCase(
      'elb (classic)',
      'elb',
      'classic-elb.log',
      'AWSLogs/123456789012/elasticloadbalancing/us-west-2/2015/05/13/123456789012_elasticloadbalancing_us-west-2_my-lb_20150513T2340Z_172.160.001.192_x.log',
      bytes
    ),
    await textCase(
      'nlb',
      'nlb',
      'nlb-tls.log',
      'AWSLogs/671290407336/elasticloadbalancing/us-east-2/2020/04/01/671290407336_elasticloadbalancing_us-east-2_net.lb.c6e77e28c25b2234_20200401T0855Z_x.log.gz',
      bytes
    ),
    await textCase('vpcflow (v5 text)', 'vpcflow', 'vpcflow-v5.log', vpcKey, bytes, vpcHeader),
    await parquetCase(vpcKey.replace('.log.gz', '.log.parquet'), bytes),
    await textCase('s3access', 's3access', 's3-server-access.log', 'logs/2019-02-06-00-05-12-1A2B3C4D5E6F7A8B', bytes),
    await textCase('cloudfront', 'cloudfront', 'cloudfront-standard.log', 'cf/EMLARXS9EXAMPLE.2019-12-13-22.b9a3c1d2.gz', bytes, cfHeader),
    await textCase(
      'waf',
      'waf',
      'waf.log',
      'AWSLogs/123456789012/WAFLogs/us-east-1/acl/2018/08/08/00/35/123456789012_waflogs_us-east-1_acl_20180808T0035Z_x.log.gz',
      bytes
    ),
    await textCase(
      'route53resolver',
      'route53resolver',
      'route53-resolver.log',
      'AWSLogs/111122223333/vpcdnsquerylogs/vpc-0/2021/02/04/x_vpcdnsquerylogs_20210204T1755Z_x.log.gz',
      bytes
    ),
    await textCase('guardduty', 'guardduty', 'guardduty-findings.jsonl', 'AWSLogs/123456789012/GuardDuty/us-east-1/2024/03/12/x.jsonl.gz', bytes),
    await textCase('json (generic)', 'json', 'generic-app.jsonl', 'app/2024/05/01/app.jsonl.gz', bytes),
    await textCase('text (generic)', 'text', 'generic-text.log', 'hosts/2024/05/01/messages.log.gz', bytes),
  ];
}

/** A VPC flow log in Parquet with about as many rows as the text payload, written by ClickHouse with AWS's types. */
async function parquetCase(key: string, bytes: number): Promise<Case> {
  const rows = Math.round(bytes / 200);
  const sql = `SELECT toInt32(5) AS version, '123456789012' AS account_id, concat('eni-', hex(number % 4096)) AS interface_id,
      concat('10.0.', toString(number % 256), '.', toString(number % 251)) AS srcaddr, '203.0.113.9' AS dstaddr,
      toInt32(1024 + number % 60000) AS srcport, toInt32(443) AS dstport, toInt32(6) AS protocol,
      toInt64(1 + number % 90) AS packets, toInt64(60 + number % 9000) AS bytes,
      toInt64(1704067200 + intDiv(number, 100)) AS start, toInt64(1704067260 + intDiv(number, 100)) AS \`end\`,
      if(number % 7 = 0, 'REJECT', 'ACCEPT') AS action, 'OK' AS log_status, 'us-east-1' AS region, 'egress' AS flow_direction
    FROM numbers(${rows}) SETTINGS output_format_parquet_compression_method = 'gzip', output_format_parquet_row_group_size = 100000`;
  const body = Buffer.from((await queryAsync(sql, { format: 'Parquet' })).bytes());
  return { name: 'vpcflow (parquet)', type: 'vpcflow', key, decoded: body, body, parquet: true };
}

async function decoded(body: Buffer): Promise<AsyncIterable<Buffer>> {
  return (await decodeBody(Readable.from(chunksOf(body, CHUNK)))).stream;
}

async function timed(run: () => Promise<number>): Promise<{ seconds: number; count: number }> {
  const start = process.hrtime.bigint();
  const count = await run();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, count };
}

/** The fastest of `runs` runs of raw and parse, interleaved. */
async function best(c: Case, runs: number): Promise<{ raw: number; parse: number; events: number }> {
  let raw = Infinity;
  let parse = Infinity;
  let events = 0;
  for (let i = 0; i < runs; i++) {
    raw = Math.min(raw, (await timed(() => rawCost(c))).seconds);
    const parsed = await timed(() => parseCost(c));
    parse = Math.min(parse, parsed.seconds);
    events = parsed.count;
  }
  return { raw, parse, events };
}

/** gunzip + line splitting (or, for Parquet, hyparquet decoding every row): the floor any parser pays. */
async function rawCost(c: Case): Promise<number> {
  let count = 0;
  if (c.parquet) {
    for await (const { record } of parquetRows(chunksOf(c.body, CHUNK))) {
      count += record ? 1 : 0;
    }
    return count;
  }
  for await (const batch of lineBatches(await decoded(c.body))) {
    count += batch.length;
  }
  return count;
}

async function parseCost(c: Case): Promise<number> {
  const format = formatOf(c.type)!;
  let events = 0;
  for await (const item of format.parse(await decoded(c.body), objectInfo(c.key, c.body.length))) {
    if ('event' in item) {
      events++;
    } else {
      throw new Error(`${c.name}: record ${item.malformed.record} is malformed: ${item.malformed.reason}`);
    }
  }
  return events;
}

function table(rows: Row[]): string {
  const header = ['format', 'MB', 'events', 'raw s', 'parse s', 'events/s', 'MB/s', 'parse/raw'];
  const lines = rows.map((r) => [
    r.name,
    r.mb.toFixed(1),
    String(r.events),
    r.rawSeconds.toFixed(3),
    r.parseSeconds.toFixed(3),
    Math.round(r.events / r.parseSeconds).toLocaleString('en-US'),
    (r.mb / r.parseSeconds).toFixed(1),
    `${(r.parseSeconds / r.rawSeconds).toFixed(1)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const mb = argNumber('mb', 24);
  const runs = argNumber('runs', 3);
  console.log(`Lookback format benchmark: ~${mb} MB decoded per format, best of ${runs}, single core, Node ${process.version}`);
  // Warm up every code path on a small payload so the JIT has compiled it before measuring.
  for (const c of await cases(1024 * 1024)) {
    await rawCost(c);
    await parseCost(c);
  }
  const rows: Row[] = [];
  for (const c of await cases(mb * 1024 * 1024)) {
    const { raw, parse, events } = await best(c, runs);
    rows.push({ name: c.name, mb: c.decoded.length / 1024 / 1024, events, rawSeconds: raw, parseSeconds: parse });
    process.stdout.write('.');
  }
  console.log(`\n\n${table(rows)}\n`);
  console.log('raw = gunzip + split into lines (Parquet: hyparquet decode of all rows); parse = gunzip + parse + normalise into events.');
  console.log('MB = decoded size (the Parquet file size for Parquet); parse/raw = how many times the floor the parser costs.');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
