import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { putAndNotify, REGION } from './harness/bucket';
import { eventually, queueDepth, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const TRAIL_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/04/111122223333_CloudTrail_us-east-1_20261104T1200Z_big.json';
const FLOW_KEY = 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/04/111122223333_vpcflowlogs_us-east-1_fl-0123abcd_20261104T1200Z_big.log.gz';

/** 2,000 default-format flow records of ~100 bytes: 200 KB of text that gzip shrinks to a few KB. */
function flowLines(): string {
  return Array.from(
    { length: 2000 },
    (_, i) => `2 111122223333 eni-0123456789abcdef0 10.0.${i % 200}.${i % 250} 10.0.1.1 ${1024 + i} 443 6 10 840 1793793600 1793793660 ACCEPT OK\n`
  ).join('');
}

/** The ledger entry of a key, once the sidecar recorded it. */
async function entryOf(sidecar: SidecarProcess, key: string): Promise<LedgerEntry> {
  return eventually(
    async () => (await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?limit=1000')).body.objects.find((o) => o.key === key),
    `${key} in the ledger`
  );
}

async function countOf(sidecar: SidecarProcess, key: string): Promise<number> {
  return (await sidecar.api<CountResponse>(`/api/events/count?key=${encodeURIComponent(key)}`)).body.count;
}

/** Per-object limits: an object over one is recorded as failed, naming the setting; what came before the limit stays. */
describe('per-object limits on decompressed bytes and records', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess | undefined;
  let dev: DevSource;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    dev = await createDevSource({ endpoint: emulator.endpoint, id: 'limits', bucket: 'limits-logs' });
  }, 30_000);

  afterEach(async () => {
    await sidecar?.stop();
    removeDir(sidecar?.dataDir ?? '');
    sidecar = undefined;
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('ingest.maxObjectRecords: the first records are kept, the object is failed with the setting to raise, the message is done with', async () => {
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], ingest: { maxObjectRecords: 25 } });
    const end = Date.UTC(2026, 10, 4, 12);
    const [file] = cloudTrailFiles({ account: '111122223333', region: REGION, start: end - 600_000, end, files: 1, eventsPerFile: 40, seed: 11 });
    await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, TRAIL_KEY, JSON.stringify({ Records: file.records }));

    const entry = await entryOf(sidecar, TRAIL_KEY);
    expect(entry).toMatchObject({ status: 'failed', events: 25, malformed: 0 });
    expect(entry.error).toBe(
      `s3://limits-logs/${TRAIL_KEY} has more than 25 records (ingest.maxObjectRecords): the 25 events before the limit were kept, the rest was not read; ` +
        'raise ingest.maxObjectRecords (LOOKBACK_MAX_OBJECT_RECORDS) to read it whole'
    );
    expect(await countOf(sidecar, TRAIL_KEY)).toBe(25);
    const s = sidecar;
    await eventually(async () => ((await queueDepth(s)) === 0 ? true : undefined), 'the message deleted');
  }, 60_000);

  it('ingest.maxObjectBytes (LOOKBACK_MAX_OBJECT_BYTES): a small gzip that inflates past the limit keeps the whole records before it', async () => {
    const limit = 50_000;
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], env: { LOOKBACK_MAX_OBJECT_BYTES: String(limit) } });
    const text = flowLines();
    const created = await putAndNotify(emulator.endpoint, dev.topicArn, dev.source.bucket, FLOW_KEY, text);
    expect(created.size).toBeLessThan(limit / 2);
    const wholeLinesBeforeLimit = text.slice(0, limit).split('\n').length - 1;

    const entry = await entryOf(sidecar, FLOW_KEY);
    expect(entry).toMatchObject({ status: 'failed', logType: 'vpcflow', events: wholeLinesBeforeLimit, malformed: 0 });
    expect(entry.error).toMatch(
      /decompresses to more than 50,000 bytes \(ingest\.maxObjectBytes\): the \d+ events before the limit were kept, the rest was not read; raise ingest\.maxObjectBytes \(LOOKBACK_MAX_OBJECT_BYTES\)/
    );
    expect(await countOf(sidecar, FLOW_KEY)).toBe(wholeLinesBeforeLimit);
    const s = sidecar;
    await eventually(async () => ((await queueDepth(s)) === 0 ? true : undefined), 'the message deleted');
  }, 60_000);
});
