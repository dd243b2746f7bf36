import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import type { QueryResponse } from '../../src/shared/query';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { conformanceCases, conformanceFile } from '../../src/sidecar/formats/conformanceCorpus';
import { putAndNotify } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const CASES = conformanceCases();
const BUCKET = 'conformance-logs';

/** Every case of the shared corpus, through the live path: S3 → SNS → SQS → sidecar → chDB. */
describe('conformance corpus through the live path', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let dev: DevSource;
  const ledger = new Map<string, LedgerEntry>();

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    dev = await createDevSource({ endpoint: emulator.endpoint, id: 'corpus', bucket: BUCKET });
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source] });
    for (const c of CASES) {
      await putAndNotify(emulator.endpoint, dev.topicArn, BUCKET, c.key, conformanceFile(c));
    }
    await eventually(async () => {
      const { body } = await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?limit=1000');
      return body.objects.length >= CASES.length ? body.objects : undefined;
    }, 'every corpus object in the ledger', 60_000).then((objects) => objects.forEach((o) => ledger.set(o.key, o)));
  }, 90_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const entry = ledger.get(c.key);
    expect(entry).toBeDefined();
    expect(entry!.logType).toBe(c.logType);
    expect(entry!.malformed).toBe(c.malformed);
    if (c.skipped) {
      expect(entry!.status).toBe('skipped');
    }
    const { body } = await sidecar.api<CountResponse>(`/api/events/count?key=${encodeURIComponent(c.key)}`);
    expect(body.count).toBe(c.events);
    expect(entry!.events).toBe(c.events);
    if (c.minTime && c.maxTime) {
      expect(Date.parse(body.minTime!)).toBe(Date.parse(c.minTime));
      expect(Date.parse(body.maxTime!)).toBe(Date.parse(c.maxTime));
    }
  });

  const finds = CASES.flatMap((c) => (c.find ?? []).map((f) => [c.file, f.text, f.count, c.key] as const));

  it.each(finds)('%s: search %s finds %i events through the query API', async (_file, text, count, key) => {
    const { status, body } = await sidecar.api<QueryResponse>('/api/query', {
      method: 'POST',
      body: JSON.stringify({
        query: `events | where key == $key | search ${text} | count`,
        from: '2000-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
        variables: { key },
      }),
    });
    expect(status).toBe(200);
    expect(body.rows).toEqual([[count]]);
  });
});
