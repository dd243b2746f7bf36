import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../config/load';
import { createDevSource } from '../emulator/devResources';
import { startEmulator } from '../emulator/emulator';
import { publishObjectCreated } from '../emulator/notify';
import { cloudTrailFiles } from '../generate/cloudtrail';
import { createLogger } from '../log';
import { startSidecar } from '../sidecar';
import type { Store } from '../store/store';
import { parseOptions, portOption, untilSignal } from './args';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const BUCKET = 'lookback-demo-logs';
const HOUR = 3_600_000;

/**
 * The main job on embedded defaults: the emulator, the sidecar with chDB, sample CloudTrail
 * files put into S3 with their notifications published, ingested live; then it keeps serving.
 */
export async function runDemo(args: string[]): Promise<void> {
  const { values } = parseOptions(args, {
    port: { type: 'string' },
    'emulator-port': { type: 'string' },
    'data-dir': { type: 'string' },
    files: { type: 'string' },
  });
  const files = Number(values.files ?? 24);
  const out = (line = '') => process.stdout.write(`${line}\n`);

  const emulator = await startEmulator(portOption(values['emulator-port'], 4566, '--emulator-port'));
  out(`emulator (S3 + SNS + SQS) on ${emulator.endpoint}`);
  const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'cloudtrail', bucket: BUCKET, region: REGION, logType: 'cloudtrail' });

  const dataDir = values['data-dir'] ?? join('.lookback', 'demo');
  const config = loadConfig(undefined, {
    ...process.env,
    LOOKBACK_DATA_DIR: dataDir,
    LOOKBACK_LISTEN_PORT: String(portOption(values.port, 8089)),
    LOOKBACK_AWS_ENDPOINT: emulator.endpoint,
    LOOKBACK_AWS_REGION: REGION,
    LOOKBACK_SOURCES: JSON.stringify([dev.source]),
  });
  const sidecar = await startSidecar(config, createLogger(process.env.LOOKBACK_LOG_LEVEL ?? 'warn'));
  out(`sidecar with embedded ClickHouse (chDB) in ${dataDir}, API on ${sidecar.url}`);

  const now = Date.now();
  const trail = cloudTrailFiles({ account: ACCOUNT, region: REGION, start: now - 24 * HOUR, end: now, files, eventsPerFile: 250, seed: 20261127 });
  const s3 = new S3Client({ endpoint: emulator.endpoint, region: REGION, forcePathStyle: true, credentials: { accessKeyId: 'lookback', secretAccessKey: 'lookback' } });
  const before = await ledgerCount(sidecar.store);
  for (const file of trail) {
    const body = gzipSync(JSON.stringify({ Records: file.records }));
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file.key, Body: body }));
    await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, { bucket: BUCKET, key: file.key, size: body.length, etag: put.ETag ?? '' });
  }
  out(`put ${trail.length} CloudTrail files (${trail.length * 250} events) into s3://${BUCKET} and published their notifications`);

  const started = Date.now();
  while ((await ledgerCount(sidecar.store)) < before + trail.length && Date.now() - started < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const totals = await sidecar.store.query<{ events: number; first: string; last: string; failed: number }>(
    `SELECT (SELECT count() FROM events) AS events, (SELECT min(time) FROM events) AS first, (SELECT max(time) FROM events) AS last,
            (SELECT count() FROM ingest_ledger FINAL WHERE status = 'failed') AS failed`
  );
  const t = totals.rows[0];
  out(`ingested in ${((Date.now() - started) / 1000).toFixed(1)} s: ${t.events} events stored, from ${t.first} to ${t.last} UTC, ${t.failed} failed objects`);
  out();
  out('read them:');
  out(`  curl -s -H 'Authorization: Bearer ${sidecar.token}' '${sidecar.url}/api/events/count'`);
  out(`  curl -s -H 'Authorization: Bearer ${sidecar.token}' '${sidecar.url}/api/events?limit=5'`);
  out(`  curl -s '${sidecar.url}/api/health'`);
  out();
  out(`connect Grafana: install the plugin from dist/ and set the sidecar URL ${sidecar.url} and the token above (see README).`);
  out('serving; Ctrl-C stops.');
  await untilSignal();
  await sidecar.stop();
  await emulator.stop();
}

async function ledgerCount(store: Store): Promise<number> {
  const { rows } = await store.query<{ n: number }>('SELECT count() AS n FROM ingest_ledger FINAL');
  return Number(rows[0]?.n ?? 0);
}
