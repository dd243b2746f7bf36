import { gzipSync } from 'node:zlib';
import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import type { CreatedObject } from '../../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { notificationBody } from '../../src/sidecar/queue/notificationBodies';
import { putObject, REGION, sendRaw } from './harness/bucket';
import { eventually, queueDepth, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess } from './harness/processes';

const BUCKET = 'packed-logs';

function trails(seed: number, files: number, eventsPerFile: number) {
  const end = Date.UTC(2026, 10, 1, 12);
  return cloudTrailFiles({ account: '210987654321', region: REGION, start: end - 3_600_000, end, files, eventsPerFile, seed });
}

/** One message naming all these objects, as S3 notifications with several records are. */
function packed(objects: CreatedObject[]): string {
  return notificationBody(
    objects.map((o) => ({ ...o, etag: o.etag.replace(/"/g, ''), region: REGION, time: Date.now() })),
    ''
  );
}

describe('a message that names many objects', () => {
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('stores each event once when it is redelivered after its insert, and when it arrives again', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'packed-again', bucket: `${BUCKET}-a` });
    const dataDir = tempDir('packed');
    const files = trails(7, 4, 150);
    const objects = await Promise.all(files.map((f) => putObject(emulator.endpoint, dev.source.bucket, f.key, JSON.stringify({ Records: f.records }))));
    const body = packed(objects);

    // Killed right after the one insert that holds all four objects, before their ledger rows.
    const first = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, env: { LOOKBACK_FAILPOINTS: 'after-insert' } });
    await sendRaw(emulator.endpoint, dev.source.liveQueueUrl!, body);
    expect(await first.exited).toBe(137);

    const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir });
    try {
      await sendRaw(emulator.endpoint, dev.source.liveQueueUrl!, body);
      await sendRaw(emulator.endpoint, dev.source.liveQueueUrl!, body);
      const entries = await eventually(
        async () => {
          const { body: ledger } = await second.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${dev.source.id}`);
          const handled = second.logs.filter((l) => /object (ingested|already ingested)/.test(String(l.msg))).length;
          // The redelivered message and the two copies, four objects each.
          return ledger.objects.length === 4 && handled >= 12 && (await queueDepth(second)) === 0 ? ledger.objects : undefined;
        },
        'the redelivered message and both copies to be handled',
        60_000
      );
      expect(entries.map((e) => e.events)).toEqual([150, 150, 150, 150]);
      const { body: count } = await second.api<CountResponse>(`/api/events/count?source=${dev.source.id}`);
      expect(count.count).toBe(600);
    } finally {
      await second.stop();
      removeDir(dataDir);
    }
  }, 120_000);

  it('stores its good objects once when others are missing or corrupt, records why, and is deleted', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'packed-poison', bucket: `${BUCKET}-b` });
    const sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    try {
      const [before, after] = trails(8, 2, 120);
      const good = await Promise.all(
        [before, after].map((f) => putObject(emulator.endpoint, dev.source.bucket, f.key, JSON.stringify({ Records: f.records })))
      );
      const corruptKey = before.key.replace(/\.json\.gz$/, '_corrupt.json.gz');
      // A gzip header, then deflate data garbled from its first block on.
      const garbled = gzipSync(JSON.stringify({ Records: before.records }));
      garbled.fill(0xff, 12, 80);
      const corrupt = await putObject(emulator.endpoint, dev.source.bucket, corruptKey, garbled, false);
      const missing: CreatedObject = {
        bucket: dev.source.bucket,
        key: before.key.replace(/\.json\.gz$/, '_missing.json.gz'),
        size: 100,
        etag: '0123456789abcdef',
      };

      await sendRaw(emulator.endpoint, dev.source.liveQueueUrl!, packed([good[0], missing, corrupt, good[1]]));
      const entries = await eventually(
        async () => {
          const { body } = await sidecar.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${dev.source.id}`);
          return body.objects.length === 4 && (await queueDepth(sidecar)) === 0 ? body.objects : undefined;
        },
        'every object of the message to be recorded and the message deleted',
        60_000
      );
      const byKey = new Map(entries.map((e) => [e.key, e]));
      expect(byKey.get(good[0].key)).toMatchObject({ status: 'ok', events: 120 });
      expect(byKey.get(good[1].key)).toMatchObject({ status: 'ok', events: 120 });
      expect(byKey.get(missing.key)).toMatchObject({ status: 'failed', error: expect.stringMatching(/NoSuchKey/) });
      expect(byKey.get(corruptKey)).toMatchObject({ status: 'failed', events: 0, error: expect.stringMatching(/^cannot decode/) });
      const { body: count } = await sidecar.api<CountResponse>(`/api/events/count?source=${dev.source.id}`);
      expect(count.count).toBe(240);
    } finally {
      await sidecar.stop();
      removeDir(sidecar.dataDir);
    }
  }, 90_000);
});
