import { join } from 'node:path';
import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import { createDevSource } from '../../src/sidecar/emulator/devResources';
import { publishObjectCreated } from '../../src/sidecar/emulator/notify';
import { cloudTrailFiles } from '../../src/sidecar/generate/cloudtrail';
import { ChdbStore } from '../../src/sidecar/store/chdb';
import { putObject, REGION } from './harness/bucket';
import { eventually, queueDepth, removeDir, startEmulatorProcess, startSidecarProcess, tempDir, type EmulatorProcess } from './harness/processes';

const BUCKET = 'exactly-once-logs';

function trail(seed: number, eventsPerFile: number) {
  const end = Date.UTC(2026, 10, 1, 12);
  return cloudTrailFiles({ account: '210987654321', region: REGION, start: end - 3_600_000, end, files: 1, eventsPerFile, seed })[0];
}

describe('every event is stored exactly once', () => {
  let emulator: EmulatorProcess;

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('when the same notification arrives three times', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'thrice', bucket: `${BUCKET}-a` });
    const sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    try {
      const file = trail(1, 300);
      const object = await putObject(emulator.endpoint, dev.source.bucket, file.key, JSON.stringify({ Records: file.records }));
      for (let i = 0; i < 3; i++) {
        await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, object);
      }
      // Three messages name the object; all three must be handled and deleted.
      await eventually(async () => {
        const handled = sidecar.logs.filter((l) => l.key === file.key && /object (ingested|already ingested)/.test(String(l.msg))).length;
        return handled === 3 && (await queueDepth(sidecar)) === 0 ? true : undefined;
      }, 'all three notifications handled');
      const { body } = await sidecar.api<CountResponse>('/api/events/count?source=thrice');
      expect(body.count).toBe(300);
    } finally {
      await sidecar.stop();
      removeDir(sidecar.dataDir);
    }
  }, 60_000);

  it.each(['after-insert', 'after-ledger'])(
    'when the consumer is killed (%s, before the delete) and restarted',
    async (point) => {
      const dev = await createDevSource({ endpoint: emulator.endpoint, id: `crash-${point}`, bucket: `${BUCKET}-${point}` });
      const dataDir = tempDir('crash');
      const first = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, env: { LOOKBACK_FAILPOINTS: point } });
      const file = trail(2, 500);
      const object = await putObject(emulator.endpoint, dev.source.bucket, file.key, JSON.stringify({ Records: file.records }));
      await publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, object);
      expect(await first.exited).toBe(137);

      // The message was never deleted: after its visibility timeout the restarted sidecar gets it again.
      const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir });
      try {
        const entry = await eventually(
          async () => {
            const { body } = await second.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${dev.source.id}`);
            const done = body.objects.find((o) => o.key === file.key);
            const deleted = second.logs.some((l) => l.key === file.key && /object (ingested|already ingested)/.test(String(l.msg)));
            return done && deleted ? done : undefined;
          },
          'the redelivered message to be handled',
          40_000
        );
        expect(entry.events).toBe(500);
        const { body } = await second.api<CountResponse>(`/api/events/count?source=${dev.source.id}`);
        expect(body.count).toBe(500);
      } finally {
        await second.stop();
        removeDir(dataDir);
      }
    },
    90_000
  );

  it('when two live objects share an insert and the consumer is killed after it, before their ledger rows, then restarted without grouping', async () => {
    const dev = await createDevSource({ endpoint: emulator.endpoint, id: 'crash-group', bucket: `${BUCKET}-group` });
    const dataDir = tempDir('crash-group');
    const files = [trail(3, 200), trail(4, 300)];
    const objects = await Promise.all(
      files.map((file) => putObject(emulator.endpoint, dev.source.bucket, file.key, JSON.stringify({ Records: file.records })))
    );
    await Promise.all(objects.map((object) => publishObjectCreated(emulator.endpoint, REGION, dev.topicArn, object)));
    // Both notifications wait on the queue when the sidecar starts, and 5 s is long enough for them to meet in its first group.
    const first = await startSidecarProcess({
      endpoint: emulator.endpoint,
      sources: [dev.source],
      dataDir,
      ingest: { liveGroupMs: 5000 },
      env: { LOOKBACK_FAILPOINTS: 'after-insert' },
    });
    expect(await first.exited).toBe(137);

    // Restarted with every live object on its own: the two come back, and are inserted as the group they were recorded in.
    const second = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source], dataDir, ingest: { liveGroupMs: 0 } });
    try {
      await eventually(
        async () => {
          const { body } = await second.api<{ objects: LedgerEntry[] }>(`/api/objects?source=${dev.source.id}`);
          const done = files.every((file) => body.objects.some((o) => o.key === file.key));
          const deleted = files.every((file) => second.logs.some((l) => l.key === file.key && /object (ingested|already ingested)/.test(String(l.msg))));
          return done && deleted && (await queueDepth(second)) === 0 ? true : undefined;
        },
        'both redelivered messages to be handled',
        40_000
      );
      const { body } = await second.api<CountResponse>(`/api/events/count?source=${dev.source.id}`);
      expect(body.count).toBe(500);
    } finally {
      await second.stop();
    }
    try {
      const store = new ChdbStore(join(dataDir, 'chdb'));
      try {
        const { rows } = await store.query<{ groups: number; members: number }>('SELECT uniqExact(group_id) AS groups, count() AS members FROM live_groups');
        expect(rows.map((r) => ({ groups: Number(r.groups), members: Number(r.members) }))).toEqual([{ groups: 1, members: 2 }]);
      } finally {
        await store.close();
      }
    } finally {
      removeDir(dataDir);
    }
  }, 120_000);
});
